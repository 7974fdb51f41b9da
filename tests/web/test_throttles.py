"""Signing in and signing up through the web pages share the API's per-address rate limits."""

import pytest
from django.core import mail
from rest_framework.test import APIClient


@pytest.fixture
def low_limits(settings):
    settings.SIGNIN_RATE = "2/min"
    settings.SIGNUP_RATE = "1/hour"


def test_web_sign_in_is_rate_limited_without_checking_the_password(client, alice, low_limits):
    wrong = {"username": "alice@example.com", "password": "wrong"}
    assert client.post("/login/", wrong).status_code == 200  # the form's own error
    assert client.post("/login/", wrong).status_code == 200
    refused = client.post("/login/", {"username": "alice@example.com", "password": "correct-horse-battery"})
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Too many sign-in attempts from this address; try again in 60 s." in page
    assert 'value="alice@example.com"' in page
    assert "_auth_user_id" not in client.session  # the right password did not get through


def test_the_api_token_endpoint_and_the_web_login_count_together(client, alice, low_limits):
    api_client = APIClient()
    body = {"email": "alice@example.com", "password": "wrong"}
    assert api_client.post("/api/v1/auth/token/", body, format="json").status_code == 401
    assert client.post("/login/", {"username": "alice@example.com", "password": "x"}).status_code == 200
    assert api_client.post("/api/v1/auth/token/", body, format="json").status_code == 429


def test_sign_up_is_rate_limited(client, db, low_limits, mail_worker):
    form = {"email": "first@example.com", "full_name": "First", "account_name": "First Co"}
    with mail_worker():
        assert client.post("/signup/", form).status_code == 302
        refused = client.post("/signup/", {**form, "email": "second@example.com"})
    assert refused.status_code == 429
    assert "Too many sign-ups from this address; try again in 3600 s." in refused.content.decode()
    assert [m.to for m in mail.outbox] == [["first@example.com"]]
