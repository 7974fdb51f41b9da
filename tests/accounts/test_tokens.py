"""Issue 17 point 8: API tokens are listed and revoked by their owner, expire, and die with a
password change wherever the password changes; a re-hash of the same password keeps them."""

from datetime import timedelta

import time_machine
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from igny8.accounts.models import ApiToken, User
from igny8.accounts.tokens import token_create

TOKENS = "/api/v1/auth/tokens/"
NEW_PASSWORD = "a-brand-new-passphrase"


def bearer(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def me(key: str):
    return bearer(key).get("/api/v1/auth/me/")


def test_a_user_lists_their_own_live_tokens(alice, charlie, settings):
    settings.TOKEN_TTL_DAYS = 90
    made = timezone.now().replace(microsecond=0) + timedelta(seconds=1)
    with time_machine.travel(made, tick=False):
        second = token_create(user=alice.user, name="deploy script")
        response = bearer(alice.token).get(TOKENS)
    assert response.status_code == 200
    rows = response.json()["data"]
    assert [(r["name"], r["prefix"], r["current"]) for r in rows] == [
        ("deploy script", second[:12], False),
        ("cli", alice.token[:12], True),
    ]
    iso = "%Y-%m-%dT%H:%M:%SZ"
    assert rows[0]["created_at"] == made.strftime(iso)
    assert rows[0]["expires_at"] == (made + timedelta(days=90)).strftime(iso)
    assert rows[0]["last_used_at"] is None
    assert set(rows[0]) == {"id", "name", "prefix", "created_at", "last_used_at", "expires_at", "current"}
    assert "key_hash" not in response.content.decode()
    # Tokens belong to a user, not an account: naming alice's account shows charlie only his own.
    theirs = bearer(charlie.token).get(TOKENS, HTTP_X_ACCOUNT_ID=str(alice.account.pk)).json()["data"]
    assert [(r["prefix"], r["current"]) for r in theirs] == [(charlie.token[:12], True)]


def test_a_revoked_token_gets_401_and_others_tokens_are_not_yours_to_revoke(alice, charlie):
    spare = token_create(user=alice.user, name="spare")
    spare_id = ApiToken.objects.get(name="spare").pk
    charlie_id = ApiToken.objects.get(user=charlie.user).pk

    assert bearer(alice.token).delete(f"{TOKENS}{charlie_id}/").status_code == 404
    assert me(charlie.token).status_code == 200
    assert bearer(alice.token).delete(f"{TOKENS}{2**64}/").status_code == 404  # no OverflowError

    assert bearer(alice.token).delete(f"{TOKENS}{spare_id}/").status_code == 204
    refused = me(spare)
    assert (refused.status_code, refused.json()["error"]) == (401, "Invalid or revoked API token.")
    assert refused["WWW-Authenticate"] == "Bearer"
    assert me(alice.token).status_code == 200
    assert [r["name"] for r in bearer(alice.token).get(TOKENS).json()["data"]] == ["cli"]


def test_tokens_expire_after_the_configured_days(alice, settings):
    settings.TOKEN_TTL_DAYS = 2
    with time_machine.travel(timezone.now(), tick=False) as clock:
        key = token_create(user=alice.user, name="short")
        clock.shift(timedelta(days=2) - timedelta(seconds=1))
        assert me(key).status_code == 200
        clock.shift(timedelta(seconds=1))
        refused = me(key)
        assert (refused.status_code, refused.json()["error"]) == (
            401,
            "This API token expired; sign in again for a new one "
            "(POST /api/v1/auth/token/ or `igny8 token`).",
        )
        assert "short" not in [r["name"] for r in bearer(alice.token).get(TOKENS).json()["data"]]


def test_zero_days_means_tokens_never_expire(alice, settings):
    settings.TOKEN_TTL_DAYS = 0
    token_create(user=alice.user, name="forever")
    assert ApiToken.objects.get(name="forever").expires_at is None


REVOKED = (
    "This API token was revoked when the password changed; sign in again for a new one "
    "(POST /api/v1/auth/token/ or `igny8 token`)."
)


def test_changing_the_password_on_the_password_page_revokes_every_token(alice):
    other = token_create(user=alice.user, name="other")
    web = Client()
    web.force_login(alice.user)
    page = web.get("/password/").content.decode()
    assert "Your API tokens" in page and alice.token[:12] in page and other[:12] in page
    changed = web.post(
        "/password/",
        {
            "old_password": "correct-horse-battery",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert changed.status_code == 302
    for key in (alice.token, other):
        refused = me(key)
        assert (refused.status_code, refused.json()["error"]) == (401, REVOKED)
    assert "You have no API tokens." in web.get("/password/").content.decode()
    # A token made with the new password works.
    fresh = APIClient().post(
        "/api/v1/auth/token/", {"email": "alice@example.com", "password": NEW_PASSWORD}, format="json"
    )
    assert me(fresh.json()["data"]["token"]).status_code == 200


def test_a_password_set_in_the_admin_revokes_the_tokens(alice):
    staff = User.objects.create_superuser(email="root@example.com", password="correct-horse-battery")
    admin = Client()
    admin.force_login(staff)
    response = admin.post(
        f"/admin/accounts/user/{alice.user.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302
    assert me(alice.token).status_code == 401


def test_set_password_anywhere_revokes_the_tokens(alice):
    """`changepassword`, a reset form, a script: they all call set_password and save."""
    user = User.objects.get(pk=alice.user.pk)
    user.set_password(NEW_PASSWORD)
    user.save()
    assert (me(alice.token).status_code, me(alice.token).json()["error"]) == (401, REVOKED)


class FastPBKDF2(PBKDF2PasswordHasher):
    iterations = 2


def test_a_rehash_of_the_same_password_keeps_the_tokens(alice, settings):
    # New hasher settings (as after a Django upgrade) re-hash a correct password at sign-in.
    settings.PASSWORD_HASHERS = [
        "tests.accounts.test_tokens.FastPBKDF2",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    before = User.objects.get(pk=alice.user.pk).password
    fresh = APIClient().post(
        "/api/v1/auth/token/",
        {"email": "alice@example.com", "password": "correct-horse-battery"},
        format="json",
    )
    assert fresh.status_code == 201
    after = User.objects.get(pk=alice.user.pk).password
    assert before.startswith("md5$") and after.startswith("pbkdf2_sha256$2$")
    assert me(alice.token).status_code == 200
    # Also when the checked user is saved whole afterwards (a profile form confirming the password).
    User.objects.filter(pk=alice.user.pk).update(
        password=make_password("correct-horse-battery", hasher="md5")
    )
    user = User.objects.get(pk=alice.user.pk)
    assert user.check_password("correct-horse-battery")
    user.full_name = "Alice"
    user.save()
    assert User.objects.get(pk=alice.user.pk).password.startswith("pbkdf2_sha256$2$")
    assert me(alice.token).status_code == 200


def test_tokens_are_revoked_from_the_password_page(alice, charlie):
    spare = token_create(user=alice.user, name="spare")
    spare_id = ApiToken.objects.get(name="spare").pk
    web = Client()
    web.force_login(alice.user)
    response = web.post(f"/password/tokens/{spare_id}/revoke/", follow=True)
    assert response.status_code == 200
    assert "The API token was revoked; scripts using it now get 401." in response.content.decode()
    assert me(spare).status_code == 401
    charlie_id = ApiToken.objects.get(user=charlie.user).pk
    assert web.post(f"/password/tokens/{charlie_id}/revoke/").status_code == 404
    assert web.get(f"/password/tokens/{spare_id}/revoke/").status_code == 405
    assert me(charlie.token).status_code == 200


def test_anonymous_clients_cannot_list_tokens(db):
    assert APIClient().get(TOKENS).status_code == 401
    assert Client().post("/password/tokens/1/revoke/").status_code == 302  # to the sign-in page
