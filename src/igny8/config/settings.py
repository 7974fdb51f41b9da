"""The one settings module. Every value comes from the environment with a default that starts
the embedded setup (SQLite + filesystem broker under var/) with zero configuration.
.env.example lists every variable."""

import os
from pathlib import Path

import dj_database_url

from igny8.config.paths import home_dir, var_dir


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept under var/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        import secrets

        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


HOME_DIR: Path = home_dir()
VAR_DIR: Path = var_dir()
PACKAGE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
# The address emailed links and shown webhook URLs use (behind a proxy); "" = the request's own.
PUBLIC_URL = os.environ.get("IGNY8_PUBLIC_URL", "").strip()
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "http://127.0.0.1:8000,http://localhost:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_celery_results",
    "django_celery_beat",
    "igny8.core",
    "igny8.accounts",
    "igny8.planner",
    "igny8.writer",
    "igny8.system",
    "igny8.ai",
    "igny8.billing",
    "igny8.automation",
    "igny8.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",  # after whitenoise: static files need no policy
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "igny8.web.errors.DomainErrorMiddleware",  # a refusal no HTML view caught: a page, not a 500
]

ROOT_URLCONF = "igny8.config.urls"
WSGI_APPLICATION = "igny8.config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "igny8.web.views.onboarding.signup_context",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite by default. WAL lets readers run beside the one writer; IMMEDIATE transactions take the
# write lock at BEGIN so two writers queue on busy_timeout instead of failing with
# "database is locked" when a read lock cannot be upgraded.
SQLITE_PATH = VAR_DIR / "igny8.sqlite3"
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{SQLITE_PATH}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    # The test database is a file too, so a real worker process in a test can share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test_igny8.sqlite3")}
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Files ----------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on a missing root
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": os.environ.get(
            "STATICFILES_STORAGE", "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True
# Keyword CSVs of 100,000 rows are a few MB; refuse anything far beyond that before reading it.
KEYWORD_IMPORT_MAX_BYTES = int(os.environ.get("KEYWORD_IMPORT_MAX_BYTES", 20 * 1024 * 1024))
# Above this a file is imported by a worker (planner/import_jobs.py) and the request answers at once:
# ~1 MB (~20,000 rows) reads in about a second, far inside any web worker's timeout.
KEYWORD_IMPORT_SYNC_MAX_BYTES = int(os.environ.get("KEYWORD_IMPORT_SYNC_MAX_BYTES", 1024 * 1024))
# A background import whose worker has not reported for this long is queued again (or failed).
KEYWORD_IMPORT_STALE_SECONDS = int(os.environ.get("KEYWORD_IMPORT_STALE_SECONDS", 300))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# Every path that sets a password applies these (sign-up, `createuser`, the demo, the password page,
# the admin); the last one refuses the service's own name and old demo login (accounts/passwords.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "igny8.accounts.passwords.ServiceWordsValidator"},
]

# --- Secrets at rest ------------------------------------------------------------------------
# Comma-separated Fernet keys, newest first (MultiFernet rotation). Empty: a key file under var/.
ENCRYPTION_KEYS = env_list("IGNY8_ENCRYPTION_KEYS", "")
ENCRYPTION_KEY_FILE = VAR_DIR / "encryption.key"

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "igny8.accounts.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["igny8.core.api.EnvelopeRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "igny8.core.api.EnvelopePagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "EXCEPTION_HANDLER": "igny8.core.api.envelope_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "PAGE_SIZE": 25,
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "IGNY8 API",
    "DESCRIPTION": "Keywords, clusters, ideas, tasks, content and images for each site of an account.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI's files come from the drf-spectacular-sidecar package: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Content-Security-Policy (django-csp; docs/security.md) ------------------------------------
# Everything the pages run or style comes from our own static files: no inline <script> or
# <style>, no on*= / style= attributes, no eval (htmx's is off in base.html's htmx-config). A
# script that slipped into generated text therefore cannot run. Nothing is framed, and forms post
# only to this origin. tests/web/test_csp.py holds every page to exactly this policy.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# --- Celery ---------------------------------------------------------------------------------
# filesystem:// needs no server: producers and workers exchange messages as files under var/.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
BROKER_DIR = VAR_DIR / "broker"
if CELERY_BROKER_URL.startswith("filesystem://"):
    for sub in ("queue", "processed", "control"):
        (BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        # Broadcast (remote control) exchanges; kombu's default is ./control in the working directory.
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "django-db")
CELERY_RESULT_EXTENDED = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TRACK_STARTED = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "igny8.system.tasks.record_heartbeat", "schedule": 30.0},
    "ai-sweep-stale-runs": {"task": "igny8.ai.tasks.sweep_stale_runs", "schedule": 60.0},
    "planner-sweep-keyword-imports": {"task": "igny8.planner.tasks.sweep_keyword_imports", "schedule": 60.0},
    "system-sweep-provider-checks": {"task": "igny8.system.tasks.sweep_provider_checks", "schedule": 60.0},
}
WORKER_HEARTBEAT_STALE_SECONDS = int(os.environ.get("WORKER_HEARTBEAT_STALE_SECONDS", 120))

# --- AI providers and runs (docs/ai-engine.md) ----------------------------------------------
# Account integration settings win; these are the instance-wide fallback; with no key at all the
# offline provider runs (no network, output labelled as an offline draft).
OPENAI_API_KEY = os.environ.get("OPENAI_API_KEY", "")
OPENAI_BASE_URL = os.environ.get("OPENAI_BASE_URL", "")
# Empty: the provider's own current default (ai/providers/openai.py, gpt-5.4-mini).
OPENAI_MODEL = os.environ.get("OPENAI_MODEL", "")
RUNWARE_API_KEY = os.environ.get("RUNWARE_API_KEY", "")
RUNWARE_BASE_URL = os.environ.get("RUNWARE_BASE_URL", "https://api.runware.ai/v1")
# Whether accounts without a key of their own may run on the keys above (docs/security.md). An
# account that sets its own base URL must always bring its own key.
SHARE_SERVER_KEYS = env_bool("IGNY8_SHARE_SERVER_KEYS", True)
# Test images (Settings > Generate a test image) per account and hour; each is charged like an image.
TEST_IMAGES_PER_HOUR = int(os.environ.get("IGNY8_TEST_IMAGES_PER_HOUR", 20))
AI_TEXT_TIMEOUT_SECONDS = float(os.environ.get("AI_TEXT_TIMEOUT_SECONDS", 120))
AI_IMAGE_TIMEOUT_SECONDS = float(os.environ.get("AI_IMAGE_TIMEOUT_SECONDS", 180))
# Every outbound call made while a web request waits (the API's key test, the WordPress connection
# test): one try, this timeout per call, so a dead address costs seconds, never a web worker.
OUTBOUND_REQUEST_TIMEOUT_SECONDS = float(os.environ.get("OUTBOUND_REQUEST_TIMEOUT_SECONDS", 5))
# A test on a worker whose worker stopped reporting for this long is failed (never re-run: a test
# image costs credits, and the person can press Test again).
PROVIDER_CHECK_STALE_SECONDS = int(os.environ.get("PROVIDER_CHECK_STALE_SECONDS", 1200))
AI_MAX_ATTEMPTS = int(os.environ.get("AI_MAX_ATTEMPTS", 4))
AI_RETRY_BASE_SECONDS = float(os.environ.get("AI_RETRY_BASE_SECONDS", 2))
AI_RETRY_MAX_SECONDS = float(os.environ.get("AI_RETRY_MAX_SECONDS", 60))
# A run whose row has not moved for this long is presumed orphaned by a dead worker.
AI_RUN_STALE_SECONDS = int(os.environ.get("AI_RUN_STALE_SECONDS", 900))
AI_RUN_MAX_ATTEMPTS = int(os.environ.get("AI_RUN_MAX_ATTEMPTS", 2))

# --- Outbound requests (src/igny8/core/outbound.py, docs/security.md) -----------------------------
# Every server-side fetch refuses private, loopback, link-local, CGNAT and reserved addresses. This
# comma-separated list of addresses, networks (CIDR) or host names is the operator's exception, e.g.
# a WordPress or a model server on the same machine: IGNY8_OUTBOUND_ALLOW=127.0.0.1,10.0.5.0/24
OUTBOUND_ALLOW = env_list("IGNY8_OUTBOUND_ALLOW", "")

# --- Demo workspace -------------------------------------------------------------------------
DEMO_EMAIL = os.environ.get("DEMO_EMAIL", "demo@igny8.local")
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "home-coffee-lab")  # must pass the password rules

# --- Credits and plans (docs/operators.md#credits-and-plans) ---------------------------------
# The plan of accounts made by `igny8 createuser` and `igny8 demo`: a plan's name, e.g. Unlimited
# for a team that pays its AI provider itself; empty means the plan marked default (Starter).
IGNY8_DEFAULT_PLAN = os.environ.get("IGNY8_DEFAULT_PLAN", "")
# Tops each account up to its plan's monthly credits once per plan period (idempotent).
CELERY_BEAT_SCHEDULE["billing-renew-credits"] = {
    "task": "igny8.billing.tasks.renew_credits",
    "schedule": 3600.0,
}

# --- Sign-up (docs/web.md) ------------------------------------------------------------------
# Anyone may create a user and an account at /signup/; false hides it (404) and leaves account
# creation to staff and the `igny8` command.
SIGNUP_OPEN = env_bool("IGNY8_SIGNUP_OPEN", True)

# --- Email: invitations, sign-up and password reset (docs/operators.md) ------------------------
# Sent by the worker (accounts/emails.py), never in a web request: printed to the worker's console
# until EMAIL_HOST is set; then sent over SMTP (EMAIL_TIMEOUT per try, retried by Celery).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 587))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", 20))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "IGNY8 <noreply@igny8.local>")
# Invitation, password reset and sign-up links stop working after this many days / seconds / hours.
INVITATION_MAX_AGE_DAYS = int(os.environ.get("IGNY8_INVITATION_MAX_AGE_DAYS", 7))
PASSWORD_RESET_TIMEOUT = int(os.environ.get("IGNY8_PASSWORD_RESET_TIMEOUT", 3 * 3600))
PASSWORD_RESET_RATE = os.environ.get("IGNY8_PASSWORD_RESET_RATE", "10/hour")  # per client address
SIGNUP_LINK_MAX_AGE_HOURS = int(os.environ.get("IGNY8_SIGNUP_LINK_MAX_AGE_HOURS", 48))

# --- Rate limits, client address, API tokens, cookies (accounts/throttles.py, docs/security.md) --
# The sign-in/sign-up limits count in the default cache, shared by every web process: a database
# table by default (created by the accounts migrations), Redis when IGNY8_CACHE_URL=redis://… is set.
CACHE_URL = os.environ.get("IGNY8_CACHE_URL", "")
CACHE_TABLE = "igny8_cache"  # accounts/migrations/0003 creates it under this name
if CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            # Django culls past 300 entries by default: a stream of made-up emails must not push
            # live counters out.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }
# The client address is REMOTE_ADDR; behind N proxies the operator trusts (each appends to
# X-Forwarded-For) it is the Nth address from the right. 0 ignores X-Forwarded-For: anyone writes it.
TRUSTED_PROXIES = int(os.environ.get("IGNY8_TRUSTED_PROXIES", 0))
REST_FRAMEWORK["NUM_PROXIES"] = TRUSTED_PROXIES  # DRF's own throttles use the same address
SIGNIN_RATE = os.environ.get("IGNY8_SIGNIN_RATE", "20/min")  # attempts per client address
SIGNIN_EMAIL_RATE = os.environ.get("IGNY8_SIGNIN_EMAIL_RATE", "30/hour")  # failures per email
SIGNUP_RATE = os.environ.get("IGNY8_SIGNUP_RATE", "10/hour")  # per client address
MEMBER_ADD_RATE = os.environ.get("IGNY8_MEMBER_ADD_RATE", "30/hour")  # per account
# API tokens stop working this many days after they are made (0: never); a password change
# revokes them at once.
TOKEN_TTL_DAYS = int(os.environ.get("IGNY8_TOKEN_TTL_DAYS", 90))
# Served over HTTPS (directly or behind a TLS proxy): cookies only over HTTPS, and HSTS.
SECURE_COOKIES = env_bool("IGNY8_SECURE_COOKIES", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = int(os.environ.get("IGNY8_HSTS_SECONDS", 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("IGNY8_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("IGNY8_HSTS_PRELOAD", False)
# The header a TLS-terminating proxy sets to "https", e.g. X-Forwarded-Proto; only set it when the
# proxy always overwrites it, or a client could claim HTTPS.
PROXY_SSL_HEADER = os.environ.get("IGNY8_PROXY_SSL_HEADER", "")
if PROXY_SSL_HEADER:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + PROXY_SSL_HEADER.upper().replace("-", "_"), "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Provider calls in flight at once, found at run time per provider key (ai/pacing.py, ADR 0008):
# start here, grow while calls succeed, halve on a 429, never above the max. Shared by every run
# and worker on the same key. Images are also capped by the account's image_generation `concurrency`.
AI_CONCURRENCY_START = int(os.environ.get("AI_CONCURRENCY_START", 4))
AI_CONCURRENCY_MAX = int(os.environ.get("AI_CONCURRENCY_MAX", 32))
# While calls are in flight a run touches its heartbeat this often (at most a quarter of
# AI_RUN_STALE_SECONDS), so the sweep never takes a live run for dead.
AI_HEARTBEAT_SECONDS = float(os.environ.get("AI_HEARTBEAT_SECONDS", 30))
# A call's slot in its key's shared level (ai/pacing.py) is leased this long and renewed by its run
# every fifth of it: a worker killed mid-call holds the key's slot at most this long.
AI_PACE_LEASE_SECONDS = float(os.environ.get("AI_PACE_LEASE_SECONDS", 30))
# auto_cluster refuses fewer keywords than this: clusters of a handful of keywords say little.
AUTO_CLUSTER_MIN_KEYWORDS = int(os.environ.get("AUTO_CLUSTER_MIN_KEYWORDS", 5))

# --- Publishing (docs/wordpress.md) ----------------------------------------------------------
INSTALLED_APPS += ["igny8.publishing"]
# Due scheduled publications are sent by our worker, so a site whose WP-Cron never fires still
# publishes on time.
CELERY_BEAT_SCHEDULE["publishing-publish-due"] = {
    "task": "igny8.publishing.tasks.publish_due",
    "schedule": 60.0,
}
# Sitemaps read by a worker (publishing/sitemap_jobs.py): an address, an uploaded index, or an
# upload above this size; a smaller uploaded urlset is read in the request (it fetches nothing).
SITEMAP_SYNC_MAX_BYTES = int(os.environ.get("SITEMAP_SYNC_MAX_BYTES", 1024 * 1024))
# A running sitemap import whose heartbeat (one per sitemap read) is older than this lost its worker.
SITEMAP_IMPORT_STALE_SECONDS = int(os.environ.get("SITEMAP_IMPORT_STALE_SECONDS", 300))
CELERY_BEAT_SCHEDULE["publishing-sweep-sitemap-imports"] = {
    "task": "igny8.publishing.tasks.sweep_sitemap_imports",
    "schedule": 60.0,
}
WORDPRESS_TIMEOUT_SECONDS = float(os.environ.get("WORDPRESS_TIMEOUT_SECONDS", 30))
WORDPRESS_MAX_ATTEMPTS = int(os.environ.get("WORDPRESS_MAX_ATTEMPTS", 3))
WORDPRESS_RETRY_BASE_SECONDS = float(os.environ.get("WORDPRESS_RETRY_BASE_SECONDS", 2))
WORDPRESS_RETRY_MAX_SECONDS = float(os.environ.get("WORDPRESS_RETRY_MAX_SECONDS", 30))
# Internal links inserted per article before publishing (0 turns the linker off).
INTERNAL_LINKS_PER_ARTICLE = int(os.environ.get("INTERNAL_LINKS_PER_ARTICLE", 3))

# Stored keyword embeddings nothing references any more (docs/clustering.md, "Embeddings").
CELERY_BEAT_SCHEDULE["planner-prune-embeddings"] = {
    "task": "igny8.planner.tasks.prune_embeddings",
    "schedule": 3600.0,
}

# --- Automation (docs/automation.md) --------------------------------------------------------
CELERY_BEAT_SCHEDULE["automation-start-due-rules"] = {
    "task": "igny8.automation.tasks.start_due_rules",
    "schedule": 60.0,
}
CELERY_BEAT_SCHEDULE["automation-sweep"] = {
    "task": "igny8.automation.tasks.sweep_executions",
    "schedule": 60.0,
}
CELERY_BEAT_SCHEDULE["automation-cleanup"] = {
    "task": "igny8.automation.tasks.cleanup_executions",
    "schedule": 3600.0,
}
# An execution (and its site lock) whose heartbeat is older than this lost its worker.
AUTOMATION_STALE_SECONDS = int(os.environ.get("AUTOMATION_STALE_SECONDS", 120))
AUTOMATION_MAX_ATTEMPTS = int(os.environ.get("AUTOMATION_MAX_ATTEMPTS", 2))
# The account must hold an execution's credit estimate plus this much (percent) to start it.
AUTOMATION_CREDIT_BUFFER_PERCENT = int(os.environ.get("AUTOMATION_CREDIT_BUFFER_PERCENT", 10))
AUTOMATION_RETENTION_DAYS = int(os.environ.get("AUTOMATION_RETENTION_DAYS", 30))
AUTOMATION_AI_THREADED = env_bool("AUTOMATION_AI_THREADED", True)
# --- Webhook replay protection (docs/automation.md#webhooks) ----------------------------------
# A signed X-IGNY8-Timestamp further than this from the server's clock is refused; within it, a
# delivery's signature is remembered (automation WebhookDelivery) and accepted once.
WEBHOOK_TOLERANCE_SECONDS = int(os.environ.get("IGNY8_WEBHOOK_TOLERANCE_SECONDS", 300))
