"""Forgot password: Django's reset views in our layout, the same answer for unknown emails, a
limit per client address, and a new password that revokes the user's API tokens."""

import re

from django.core import mail
from django.test import Client

from igny8.accounts.models import User

LINK = re.compile(r"http://testserver(/password/reset/[^/\s]+/[^/\s]+/)")
NEW = "a-brand-new-passphrase"


def test_sign_in_offers_the_reset_link(db):
    page = Client().get("/login/").content.decode()
    assert '<a href="/password/reset/">Forgot your password?</a>' in page


def test_reset_round_trip(alice, mail_worker):
    client = Client()
    assert client.get("/password/reset/").status_code == 200
    with mail_worker():
        sent = client.post("/password/reset/", {"email": "ALICE@example.com"})
    assert (sent.status_code, sent["Location"]) == (302, "/password/reset/sent/")
    assert "If a user with that email exists here" in client.get(sent["Location"]).content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert (message.to, message.subject) == (["alice@example.com"], "Reset your IGNY8 password")
    link = LINK.search(message.body).group(1)

    opened = client.get(link)  # Django swaps the token for a session and redirects
    assert opened.status_code == 302
    form = client.get(opened["Location"])
    assert form.status_code == 200
    assert "Choose a new password" in form.content.decode()
    weak = client.post(opened["Location"], {"new_password1": "123", "new_password2": "123"})
    assert weak.status_code == 200  # Django's view re-renders an invalid form with 200
    assert "This password is too short. It must contain at least 10 characters." in weak.content.decode()
    done = client.post(opened["Location"], {"new_password1": NEW, "new_password2": NEW})
    assert (done.status_code, done["Location"]) == (302, "/password/reset/done/")
    assert "Your new password is set" in client.get(done["Location"]).content.decode()
    assert User.objects.get(pk=alice.user.pk).check_password(NEW)
    # The new password revoked the API token made before it.
    assert alice.client().get("/api/v1/auth/me/").status_code == 401
    used = Client().get(link)
    assert used.status_code == 200
    assert "This link cannot be used" in used.content.decode()


def test_an_unknown_email_gets_the_same_answer_and_no_mail(db, mail_worker):
    with mail_worker():
        sent = Client().post("/password/reset/", {"email": "nobody@example.com"})
    assert (sent.status_code, sent["Location"]) == (302, "/password/reset/sent/")
    assert mail.outbox == []


def test_reset_requests_are_limited_per_address(alice, settings, mail_worker):
    settings.PASSWORD_RESET_RATE = "2/hour"
    client = Client()
    with mail_worker():
        statuses = [
            client.post("/password/reset/", {"email": "alice@example.com"}).status_code for _ in range(3)
        ]
    assert statuses == [302, 302, 429]
    refused = client.post("/password/reset/", {"email": "alice@example.com"})
    assert "Too many password reset requests from this address; try again in 3600 s." in (
        refused.content.decode()
    )
    assert len(mail.outbox) == 2


def test_emailed_links_use_the_public_address_not_the_request_host(alice, settings, mail_worker):
    """Behind a proxy the Host header is whatever reached us: IGNY8_PUBLIC_URL decides emailed links
    (password reset and sign-up alike)."""
    from django.test import Client

    settings.PUBLIC_URL = "https://seo.example.com/"
    client = Client()
    with mail_worker():
        client.post("/password/reset/", {"email": "alice@example.com"})
        client.post("/signup/", {"email": "new@example.com", "full_name": "N", "account_name": "N Co"})
    bodies = [m.body for m in mail.outbox]
    assert len(bodies) == 2
    assert re.search(r"https://seo\.example\.com/password/reset/[^/\s]+/[^/\s]+/", bodies[0])
    assert re.search(r"https://seo\.example\.com/signup/confirm/\S+/", bodies[1])
    assert not any("testserver" in body for body in bodies)
