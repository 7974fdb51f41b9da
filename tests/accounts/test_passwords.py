"""Issue 17 point 8: the password rules (Django's four validators, length 10, and the service's own
name) on every path that sets a password; the cookie and HSTS settings an HTTPS operator turns on."""

import json
import os
import re
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import password_validation
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client

from igny8.accounts.models import User

SIMILAR_TO_EMAIL = "The password is too similar to the email."
REFUSED = [
    (
        "84736291",
        [
            "This password is too short. It must contain at least 10 characters.",
            "This password is entirely numeric.",
        ],
    ),
    ("8473629105", ["This password is entirely numeric."]),
    ("new.user@example.com", [SIMILAR_TO_EMAIL]),
    ("igny8-demo", ["The password is too similar to the name of this service."]),
    ("igny8-demo-2026", ["The password is too similar to the name of this service."]),
    ("password123", ["This password is too common."]),
]


def signup(password: str, worker):
    """Sign up, then choose the password behind the emailed link (accounts/signup.py); `worker` is
    the mail_worker fixture."""
    client = Client()
    form = {"email": "new.user@example.com", "full_name": "New User", "account_name": "New Co"}
    with worker():
        assert client.post("/signup/", form).status_code == 302
    link = re.search(r"http://testserver(/signup/confirm/\S+/)", mail.outbox[-1].body).group(1)
    return client.post(link, {"new_password1": password, "new_password2": password})


@pytest.mark.parametrize(("password", "messages"), REFUSED)
def test_sign_up_refuses_weak_passwords(db, password, messages, mail_worker):
    response = signup(password, mail_worker)
    assert response.status_code == 400
    page = response.content.decode()
    for message in messages:
        assert f'<p class="error" id="id_new_password2_error" role="alert">{message}</p>' in page
    assert User.objects.count() == 0


def test_sign_up_takes_a_good_password(db, mail_worker):
    assert signup("a-long-unusual-passphrase", mail_worker).status_code == 302
    assert User.objects.get().email == "new.user@example.com"


def test_createuser_applies_the_same_rules(db):
    with pytest.raises(CommandError) as refused:
        call_command(
            "createuser", "--email", "new.user@example.com", "--password", "igny8-demo", stdout=StringIO()
        )
    assert str(refused.value) == "The password is too similar to the name of this service."
    with pytest.raises(CommandError, match=r"^The password is too similar to the email\.$"):
        call_command(
            "createuser",
            "--email",
            "new.user@example.com",
            "--password",
            "new.user@example.com",
            stdout=StringIO(),
        )
    assert User.objects.count() == 0


def test_the_password_page_applies_the_same_rules(alice):
    web = Client()
    web.force_login(alice.user)
    response = web.post(
        "/password/",
        {"old_password": "correct-horse-battery", "new_password1": "84736291", "new_password2": "84736291"},
    )
    assert response.status_code == 200
    assert "This password is entirely numeric." in response.content.decode()
    assert User.objects.get(pk=alice.user.pk).check_password("correct-horse-battery")


def test_the_demo_password_passes_the_rules_and_a_weak_one_stops_the_demo(db, settings):
    demo = User(email=settings.DEMO_EMAIL, full_name="Demo Owner")
    password_validation.validate_password(settings.DEMO_PASSWORD, user=demo)  # raises if refused
    assert settings.DEMO_PASSWORD == "home-coffee-lab"
    settings.DEMO_PASSWORD = "igny8-demo"
    with pytest.raises(
        CommandError, match=r"^DEMO_PASSWORD: The password is too similar to the name of this service\.$"
    ):
        call_command("demo", stdout=StringIO())
    assert User.objects.count() == 0


def test_the_validators_are_the_full_set():
    names = [v["NAME"].rsplit(".", 1)[1] for v in django_settings.AUTH_PASSWORD_VALIDATORS]
    assert names == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
        "ServiceWordsValidator",
    ]
    assert django_settings.AUTH_PASSWORD_VALIDATORS[1]["OPTIONS"] == {"min_length": 10}


# --- Cookies and HSTS --------------------------------------------------------------------------

SETTINGS_PRINTED = [
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SAMESITE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
    "TRUSTED_PROXIES",
    "TOKEN_TTL_DAYS",
]


def settings_with(env: dict, tmp_path) -> dict:
    script = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {SETTINGS_PRINTED!r}}} | "
        "{'CACHE': settings.CACHES['default']['BACKEND']}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("IGNY8_")}
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={
            **clean,
            "IGNY8_VAR_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "igny8.config.settings",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_embedded_default_speaks_plain_http(tmp_path):
    assert settings_with({}, tmp_path) == {
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SAMESITE": "Lax",
        "SECURE_HSTS_SECONDS": 0,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
        "SECURE_HSTS_PRELOAD": False,
        "SECURE_PROXY_SSL_HEADER": None,
        "TRUSTED_PROXIES": 0,
        "TOKEN_TTL_DAYS": 90,
        "CACHE": "django.core.cache.backends.db.DatabaseCache",
    }


def test_an_https_deployment_behind_a_proxy(tmp_path):
    env = {
        "IGNY8_SECURE_COOKIES": "true",
        "IGNY8_HSTS_SECONDS": "31536000",
        "IGNY8_HSTS_INCLUDE_SUBDOMAINS": "true",
        "IGNY8_HSTS_PRELOAD": "true",
        "IGNY8_PROXY_SSL_HEADER": "X-Forwarded-Proto",
        "IGNY8_TRUSTED_PROXIES": "1",
        "IGNY8_TOKEN_TTL_DAYS": "30",
        "IGNY8_CACHE_URL": "redis://127.0.0.1:6379/3",
    }
    assert settings_with(env, tmp_path) == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SAMESITE": "Lax",
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "TRUSTED_PROXIES": 1,
        "TOKEN_TTL_DAYS": 30,
        "CACHE": "django.core.cache.backends.redis.RedisCache",
    }


def test_signing_in_over_https_sets_secure_cookies_and_hsts(alice, settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    client = Client()
    response = client.post(
        "/login/",
        {"username": "alice@example.com", "password": "correct-horse-battery"},
        HTTP_X_FORWARDED_PROTO="https",
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert (session["secure"], session["httponly"], session["samesite"]) == (True, True, "Lax")
    assert response["Strict-Transport-Security"] == "max-age=31536000"
