"""Issue 17 point 4: the sign-in and sign-up limits hold whatever X-Forwarded-For says, per address
and per email, in a cache every web process shares; member additions are limited per account."""

import uuid

import pytest
import time_machine
from django.core import mail
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from igny8.accounts import throttles
from igny8.accounts.models import Invitation, User

TOKEN_URL = "/api/v1/auth/token/"
WRONG = {"email": "alice@example.com", "password": "wrong-password"}
RIGHT = {"email": "alice@example.com", "password": "correct-horse-battery"}


def token_attempt(body: dict, **meta) -> int:
    return APIClient().post(TOKEN_URL, body, format="json", **meta).status_code


@pytest.fixture
def frozen():
    """The clock stands still, so the waits are exact whatever the machine's speed."""
    with time_machine.travel("2026-03-02 10:00:00+00:00", tick=False) as traveller:
        yield traveller


def test_30_wrong_passwords_with_a_new_forwarded_address_each_hit_429_after_20(alice, frozen):
    statuses = [token_attempt(WRONG, HTTP_X_FORWARDED_FOR=f"203.0.113.{i}") for i in range(30)]
    assert statuses == [401] * 20 + [429] * 10
    refused = APIClient().post(TOKEN_URL, RIGHT, format="json", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert refused.json() == {
        "success": False,
        "error": "Too many sign-in attempts from this address; try again in 60 s.",
        "errors": {},
    }


def test_the_web_login_counts_the_same_way(alice):
    client = Client()
    statuses = [
        client.post(
            "/login/",
            {"username": "alice@example.com", "password": "wrong-password"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i}",
        ).status_code
        for i in range(30)
    ]
    assert statuses == [200] * 20 + [429] * 10
    # The API shares the web login's counter: the same address is refused there too.
    assert token_attempt(RIGHT) == 429


def test_failures_per_email_are_limited_whatever_the_address(alice, frozen):
    statuses = [token_attempt(WRONG, REMOTE_ADDR=f"192.0.2.{i}") for i in range(31)]
    assert statuses == [401] * 30 + [429]
    # The right password from yet another address is not even checked, on the API or the web.
    refused = APIClient().post(TOKEN_URL, RIGHT, format="json", REMOTE_ADDR="192.0.2.200")
    assert (refused.status_code, refused.json()["error"]) == (
        429,
        "Too many failed sign-ins for this email; try again in 3600 s.",
    )
    web = Client(REMOTE_ADDR="192.0.2.201").post(
        "/login/", {"username": "ALICE@example.com", "password": "correct-horse-battery"}
    )
    assert web.status_code == 429
    assert "Too many failed sign-ins for this email; try again in 3600 s." in web.content.decode()
    frozen.shift(3600)  # an hour on, the failures have aged out
    assert token_attempt(RIGHT, REMOTE_ADDR="192.0.2.202") == 201
    # Another user signing in from one of those addresses is not held up.
    User.objects.create_user("dora@example.com", "correct-horse-battery")
    assert token_attempt({"email": "dora@example.com", "password": "correct-horse-battery"}) == 201


def test_successful_sign_ins_do_not_count_against_the_email(alice, settings):
    settings.SIGNIN_EMAIL_RATE = "2/hour"
    assert [token_attempt(RIGHT, REMOTE_ADDR=f"192.0.2.{i}") for i in range(4)] == [201] * 4
    assert [token_attempt(WRONG, REMOTE_ADDR=f"192.0.2.{i}") for i in range(3)] == [401, 401, 429]


def test_behind_one_trusted_proxy_the_right_most_forwarded_address_is_the_client(alice, settings):
    settings.TRUSTED_PROXIES = 1
    settings.SIGNIN_RATE = "2/min"
    # The client writes what it likes on the left; the proxy appends the address it saw.
    statuses = [token_attempt(WRONG, HTTP_X_FORWARDED_FOR=f"10.9.9.{i}, 198.51.100.7") for i in range(3)]
    assert statuses == [401, 401, 429]
    assert token_attempt(WRONG, HTTP_X_FORWARDED_FOR="198.51.100.7, 198.51.100.8") == 401


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "client"),
    [
        (0, "192.0.2.1", "203.0.113.9", "192.0.2.1"),
        (1, "10.0.0.2", "203.0.113.9, 198.51.100.7", "198.51.100.7"),
        (2, "10.0.0.2", "203.0.113.9, 198.51.100.7, 10.0.0.1", "198.51.100.7"),
        (3, "10.0.0.2", "198.51.100.7", "198.51.100.7"),  # fewer hops than proxies: the left-most
        (1, "10.0.0.2", "", "10.0.0.2"),
        (0, "2001:db8:1:2:aaaa::1", "", "2001:db8:1:2::/64"),
        (0, "::ffff:192.0.2.5", "", "192.0.2.5"),
    ],
)
def test_client_address(rf, settings, proxies, remote, forwarded, client):
    settings.TRUSTED_PROXIES = proxies
    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert throttles.client_address(request) == client


def test_the_counters_live_in_the_database_cache_every_process_reads(alice, settings, monkeypatch):
    settings.SIGNIN_RATE = "2/min"
    assert [token_attempt(WRONG), token_attempt(WRONG)] == [401, 401]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {settings.CACHE_TABLE}")
        assert cursor.fetchone()[0] == 2  # one counter for the address, one for the email
    # A cache object of its own, as another web process has, sees the same counts.
    monkeypatch.setattr(throttles, "cache", DatabaseCache(settings.CACHE_TABLE, {}))
    assert token_attempt(WRONG) == 429


@pytest.mark.redis
def test_the_counters_hold_in_redis(alice, settings, monkeypatch):
    from django.core.cache.backends.redis import RedisCache

    from tests.services import redis_url

    settings.SIGNIN_RATE = "2/min"
    prefix = f"igny8-test-{uuid.uuid4().hex}"  # its own keys: the Redis databases are shared
    params = {"KEY_PREFIX": prefix}
    monkeypatch.setattr(throttles, "cache", RedisCache(redis_url(), params))
    assert [token_attempt(WRONG), token_attempt(WRONG)] == [401, 401]
    # Another process's client of the same Redis sees the same counts.
    monkeypatch.setattr(throttles, "cache", RedisCache(redis_url(), params))
    assert token_attempt(WRONG) == 429
    client = RedisCache(redis_url(), params)._cache.get_client(write=True)
    keys = client.keys(f"{prefix}:*")
    assert len(keys) == 2  # one counter for the address, one for the email
    client.delete(*keys)


def test_15_sign_ups_from_one_address_send_10_emails(db, mail_worker):
    statuses = []
    for i in range(15):
        form = {"email": f"user{i}@example.com", "full_name": f"User {i}", "account_name": f"Company {i}"}
        with mail_worker():
            response = Client().post("/signup/", form, HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")
        statuses.append(response.status_code)
    assert statuses == [302] * 10 + [429] * 5
    assert len(mail.outbox) == 10


def test_member_additions_are_limited_per_account_even_when_refused(alice, bob, settings):
    settings.MEMBER_ADD_RATE = "2/hour"
    client = alice.client()
    url = "/api/v1/accounts/members/"
    # A refusal (409, its transaction rolled back) still counts; so does each invitation sent.
    assert client.post(url, {"email": "bob@example.com", "role": "editor"}, format="json").status_code == 409
    assert client.post(url, {"email": "erin@example.com", "role": "editor"}, format="json").status_code == 201
    refused = client.post(url, {"email": "someone@example.com", "role": "editor"}, format="json")
    assert (refused.status_code, refused.json()["error"]) == (
        429,
        "Too many member additions in this account; try again in 3600 s.",
    )
    invited = Invitation.objects.filter(account=alice.account).values_list("email", flat=True)
    assert list(invited) == ["erin@example.com"]


@pytest.mark.parametrize("rate", ["twenty", "20", "20/fortnight", "x/min"])
def test_a_malformed_rate_names_the_expected_format(rate):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match=r"is not a rate like 20/min, 10/hour or 100/day\.$"):
        throttles.rate_parse(rate)
