"""Emails are sent by a worker (accounts/emails.py, accounts/tasks.py): sign-up, invitation and
password reset requests answer without contacting the SMTP server, the worker sends exactly one
message, an SMTP failure is retried with Celery's backoff and then logged, and a rolled-back
transaction sends nothing."""

import logging
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction
from django.test import Client

from igny8.accounts import emails, tasks
from igny8.accounts.models import Invitation
from igny8.core import jobs
from tests.loopback import SilentPort

MEMBERS = "/api/v1/accounts/members/"


@pytest.fixture
def dead_smtp(settings):
    """An SMTP server that accepts connections and never says a word: every send through Django's
    SMTP backend waits for the greeting until EMAIL_TIMEOUT."""
    with SilentPort() as port:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = port.host, port.port
        settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = False, 0.1
        yield port


def run_worker(sent: list[tuple[str, list]]) -> None:
    for task_name, args in sent:
        assert task_name == emails.TASK
        tasks.send_email.apply(args=args)


def test_an_invitation_answers_without_smtp_and_the_worker_sends_it(
    alice, api, dead_smtp, broker, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(MEMBERS, {"email": "dave@example.com", "role": "viewer"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["message"] == (
        "Invitation to dave@example.com is on its way; they join when they follow its link."
    )
    assert Invitation.objects.get().email == "dave@example.com"
    assert (dead_smtp.connections(), mail.outbox) == (0, [])  # the request never touched SMTP
    assert [name for name, _ in broker] == [emails.TASK]

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # a working server now
    run_worker(broker)
    assert [(m.to, m.subject) for m in mail.outbox] == [(["dave@example.com"], "Join Account A on IGNY8")]


def test_signup_answers_without_smtp_and_the_worker_sends_it(
    db, dead_smtp, broker, settings, django_capture_on_commit_callbacks
):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/signup/", {"email": "erin@example.com", "full_name": "Erin", "account_name": "Erin Co"}
        )
    assert (response.status_code, response["Location"]) == (302, "/signup/sent/")
    assert "A message to the address you gave is on its way." in client.get("/signup/sent/").content.decode()
    assert (dead_smtp.connections(), mail.outbox, len(broker)) == (0, [], 1)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run_worker(broker)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["erin@example.com"], "Finish creating your IGNY8 account")
    ]


def test_a_password_reset_answers_without_smtp_and_the_worker_sends_it(
    alice, dead_smtp, broker, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post("/password/reset/", {"email": "alice@example.com"})
    assert (response.status_code, response["Location"]) == (302, "/password/reset/sent/")
    assert (dead_smtp.connections(), mail.outbox, len(broker)) == (0, [], 1)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run_worker(broker)
    [message] = mail.outbox
    assert (message.to, message.subject) == (["alice@example.com"], "Reset your IGNY8 password")
    assert "/password/reset/" in message.body


def test_an_smtp_server_that_never_answers_is_tried_six_times_then_the_failure_is_logged(dead_smtp, caplog):
    with caplog.at_level(logging.ERROR, logger="igny8.accounts.tasks"):
        result = tasks.send_email.apply(
            args=["Join Account A on IGNY8", "the link", ["dave@example.com"], None]
        )
    assert result.failed()
    assert isinstance(result.result, smtplib.SMTPServerDisconnected)  # no greeting in time
    # Celery's retry: the first try and MAX_RETRIES more, each a connection to the server.
    assert dead_smtp.connections() == 1 + tasks.MAX_RETRIES == 6
    assert [r.getMessage() for r in caplog.records if r.name == "igny8.accounts.tasks"] == [
        "Email 'Join Account A on IGNY8' to dave@example.com was not sent after 6 tries: "
        "Connection unexpectedly closed: timed out"
    ]
    assert mail.outbox == []


class FlakyBackend(EmailBackend):
    """Refused twice (the server is restarting), then it takes the message."""

    refusals = 0

    def send_messages(self, messages):
        if FlakyBackend.refusals < 2:
            FlakyBackend.refusals += 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


def test_a_refused_send_is_retried_and_the_message_goes_out_once(settings, caplog):
    settings.EMAIL_BACKEND = "tests.accounts.test_emails.FlakyBackend"
    FlakyBackend.refusals = 0
    with caplog.at_level(logging.ERROR, logger="igny8.accounts.tasks"):
        result = tasks.send_email.apply(args=["Subject", "Body", ["erin@example.com"], "<p>Body</p>"])
    assert result.successful()
    assert FlakyBackend.refusals == 2
    [message] = mail.outbox
    assert (message.to, message.subject, message.body) == (["erin@example.com"], "Subject", "Body")
    assert message.alternatives[0].content == "<p>Body</p>"
    assert [r for r in caplog.records if r.name == "igny8.accounts.tasks"] == []


def test_a_rolled_back_transaction_queues_no_email(db, broker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            emails.email_send(subject="Join", body="link", to=["dave@example.com"])
            raise RuntimeError("the invitation failed after the email was queued")
        emails.email_send(subject="Join", body="link", to=["erin@example.com"])
    assert broker == [(emails.TASK, ["Join", "link", ["erin@example.com"], None])]


def test_a_broker_that_refuses_is_logged_without_the_message(db, monkeypatch, caplog):
    """The loss the docs accept: logged with the task id, never with the link in the body."""
    from igny8.config.celery import app

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(app.tasks[emails.TASK], "apply_async", refuse)

    with caplog.at_level(logging.ERROR, logger="igny8.core.jobs"):
        sent = jobs.send(
            task_name=emails.TASK, args=["Join", "secret-link", ["d@example.com"], None], task_id="t1"
        )
    assert sent is False
    [record] = caplog.records
    assert (
        record.getMessage()
        == f"Could not enqueue {emails.TASK} t1; a job kept in a row is sent again by its sweep"
    )
    assert "secret-link" not in record.getMessage()
