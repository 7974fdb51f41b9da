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
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
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
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
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
}
WORKER_HEARTBEAT_STALE_SECONDS = int(os.environ.get("WORKER_HEARTBEAT_STALE_SECONDS", 120))

# --- AI providers and runs (docs/ai-engine.md) ----------------------------------------------
# Account integration settings win; these are the instance-wide fallback; with no key at all the
# offline provider runs (no network, output labelled as an offline draft).
OPENAI_API_KEY = os.environ.get("OPENAI_API_KEY", "")
OPENAI_BASE_URL = os.environ.get("OPENAI_BASE_URL", "")
OPENAI_MODEL = os.environ.get("OPENAI_MODEL", "gpt-4o-mini")
RUNWARE_API_KEY = os.environ.get("RUNWARE_API_KEY", "")
RUNWARE_BASE_URL = os.environ.get("RUNWARE_BASE_URL", "https://api.runware.ai/v1")
AI_TEXT_TIMEOUT_SECONDS = float(os.environ.get("AI_TEXT_TIMEOUT_SECONDS", 120))
AI_IMAGE_TIMEOUT_SECONDS = float(os.environ.get("AI_IMAGE_TIMEOUT_SECONDS", 180))
AI_MAX_ATTEMPTS = int(os.environ.get("AI_MAX_ATTEMPTS", 4))
AI_RETRY_BASE_SECONDS = float(os.environ.get("AI_RETRY_BASE_SECONDS", 2))
AI_RETRY_MAX_SECONDS = float(os.environ.get("AI_RETRY_MAX_SECONDS", 60))
# A run whose row has not moved for this long is presumed orphaned by a dead worker.
AI_RUN_STALE_SECONDS = int(os.environ.get("AI_RUN_STALE_SECONDS", 900))
AI_RUN_MAX_ATTEMPTS = int(os.environ.get("AI_RUN_MAX_ATTEMPTS", 2))

# --- Demo workspace -------------------------------------------------------------------------
DEMO_EMAIL = os.environ.get("DEMO_EMAIL", "demo@igny8.local")
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "igny8-demo")

# --- Sign-up (docs/web.md) ------------------------------------------------------------------
# Anyone may create a user and an account at /signup/; false hides it (404) and leaves account
# creation to staff and the `igny8` command.
SIGNUP_OPEN = env_bool("IGNY8_SIGNUP_OPEN", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Text AI calls in flight at once within one per-item run (1 = strictly sequential). Images use the
# account's image_generation `concurrency` setting instead (default 1, the reference's queue).
AI_TEXT_CONCURRENCY = int(os.environ.get("AI_TEXT_CONCURRENCY", 2))
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
WORDPRESS_TIMEOUT_SECONDS = float(os.environ.get("WORDPRESS_TIMEOUT_SECONDS", 30))
WORDPRESS_MAX_ATTEMPTS = int(os.environ.get("WORDPRESS_MAX_ATTEMPTS", 3))
WORDPRESS_RETRY_BASE_SECONDS = float(os.environ.get("WORDPRESS_RETRY_BASE_SECONDS", 2))
WORDPRESS_RETRY_MAX_SECONDS = float(os.environ.get("WORDPRESS_RETRY_MAX_SECONDS", 30))
# Internal links inserted per article before publishing (0 turns the linker off).
INTERNAL_LINKS_PER_ARTICLE = int(os.environ.get("INTERNAL_LINKS_PER_ARTICLE", 3))

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
