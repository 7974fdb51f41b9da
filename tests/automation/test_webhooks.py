"""Inbound webhooks: the signature covers a timestamp and the body, a timestamp outside the
tolerance window is refused, and each delivery starts at most one execution (replays are 409)."""

import hashlib
import hmac
import json
import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction

from igny8.automation import services, tasks, webhooks
from igny8.automation.models import AutomationRule, ScheduledTask, WebhookDelivery
from igny8.core.errors import Conflict

RULES = "/api/v1/automation/rules/"
NOW = datetime(2026, 5, 4, 12, 0, 0, tzinfo=UTC)
NOW_TS = int(NOW.timestamp())
BODY = json.dumps({"task_ids": [], "source": "crm"}).encode()
UNSIGNED = (
    'Bad or missing X-IGNY8-Signature: send "sha256=" + the hex HMAC-SHA256 of '
    '"{X-IGNY8-Timestamp}.{body}" keyed by the rule\'s secret.'
)
NO_TIMESTAMP = "Bad or missing X-IGNY8-Timestamp: send the time of sending in unix seconds."
REPLAY = (
    "This delivery was already received (same X-IGNY8-Timestamp and signature); "
    "a new delivery needs the current time in X-IGNY8-Timestamp and a new signature."
)


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch):
    """The server's clock stands still at NOW, so offsets and messages are exact."""
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


@pytest.fixture
def hook(api, alice):
    body = {"name": "Hook", "site": alice.site.pk, "actions": [{"type": "generate_content", "params": {}}]}
    created = api.post(RULES, body, format="json").json()["data"]
    return created


def deliver(client, hook, *, body=BODY, timestamp=NOW_TS, secret=None, headers=None):
    headers = headers or webhooks.signed_headers(
        secret=secret or hook["webhook_secret"], body=body, timestamp=timestamp
    )
    return client.post(hook["webhook_url"], body, content_type="application/json", headers=headers)


def test_signature_covers_timestamp_and_body():
    expected = "sha256=" + hmac.new(b"s3cret", b"1700000000.{}", hashlib.sha256).hexdigest()
    assert webhooks.sign(secret="s3cret", body=b"{}", timestamp=1700000000) == expected
    assert webhooks.signed_headers(secret="s3cret", body=b"{}", timestamp=1700000000) == {
        "X-IGNY8-Timestamp": "1700000000",
        "X-IGNY8-Signature": expected,
    }
    assert webhooks.sign(secret="s3cret", body=b"{}", timestamp=1700000001) != expected


def test_signed_unsigned_unknown_and_rotated(api, client, hook, sent):
    unsigned = client.post(hook["webhook_url"], BODY, content_type="application/json")
    assert (unsigned.status_code, unsigned.json()["error"]) == (401, NO_TIMESTAMP)
    only_timestamp = deliver(client, hook, headers={"X-IGNY8-Timestamp": str(NOW_TS)})
    assert (only_timestamp.status_code, only_timestamp.json()["error"]) == (401, UNSIGNED)
    assert deliver(client, hook, secret="not-the-secret").status_code == 401
    # The signature of another timestamp does not sign this one.
    moved = webhooks.signed_headers(secret=hook["webhook_secret"], body=BODY, timestamp=NOW_TS)
    moved["X-IGNY8-Timestamp"] = str(NOW_TS + 1)
    assert deliver(client, hook, headers=moved).json()["error"] == UNSIGNED
    unknown = "/api/v1/automation/webhooks/00000000-0000-0000-0000-000000000000/"
    headers = webhooks.signed_headers(secret=hook["webhook_secret"], body=BODY, timestamp=NOW_TS)
    assert client.post(unknown, BODY, content_type="application/json", headers=headers).status_code == 404
    assert ScheduledTask.objects.count() == 0 and WebhookDelivery.objects.count() == 0

    accepted = deliver(client, hook)
    assert accepted.status_code == 202
    task = ScheduledTask.objects.get()
    assert (task.source, task.context) == ("webhook", {"task_ids": [], "source": "crm"})
    assert accepted.json()["data"] == {"scheduled_task_id": task.pk, "status": "pending"}

    rotated = api.post(f"{RULES}{hook['id']}/rotate_secret/").json()["data"]["webhook_secret"]
    assert deliver(client, hook, timestamp=NOW_TS - 1).status_code == 401  # the old secret
    assert deliver(client, hook, timestamp=NOW_TS - 1, secret=rotated).status_code == 202


def test_replayed_delivery_is_refused_and_starts_no_second_execution(client, hook, sent):
    headers = webhooks.signed_headers(secret=hook["webhook_secret"], body=BODY, timestamp=NOW_TS - 10)
    first = deliver(client, hook, headers=headers)
    assert first.status_code == 202
    for _ in range(4):
        replay = deliver(client, hook, headers=headers)
        assert (replay.status_code, replay.json()["error"]) == (409, REPLAY)
    assert ScheduledTask.objects.count() == 1
    assert sent == [first.json()["data"]["scheduled_task_id"]]
    delivery = WebhookDelivery.objects.get()
    assert (delivery.signature, delivery.signed_at, delivery.received_at) == (
        headers["X-IGNY8-Signature"][len("sha256=") :],
        NOW - timedelta(seconds=10),
        NOW,
    )


def test_two_different_deliveries_are_both_accepted(client, hook, sent):
    other_body = json.dumps({"task_ids": [], "source": "crm", "delivery": 2}).encode()
    assert deliver(client, hook).status_code == 202
    assert deliver(client, hook, timestamp=NOW_TS + 1).status_code == 202  # same body, a second later
    assert deliver(client, hook, body=other_body).status_code == 202  # same second, another body
    assert ScheduledTask.objects.count() == 3 and len(sent) == 3
    assert WebhookDelivery.objects.count() == 3


@pytest.mark.parametrize(
    ("offset", "message"),
    [
        (-301, "X-IGNY8-Timestamp is 301 seconds behind the server's clock"),
        (301, "X-IGNY8-Timestamp is 301 seconds ahead of the server's clock"),
        (-86400 * 365, "X-IGNY8-Timestamp is 31536000 seconds behind the server's clock"),
    ],
)
def test_timestamp_outside_the_window_is_refused(client, hook, sent, offset, message):
    response = deliver(client, hook, timestamp=NOW_TS + offset)
    assert response.status_code == 401
    assert response.json()["error"] == (
        f"{message} (at most 300 allowed): sign each delivery with the current time and check the "
        "sender's clock."
    )
    assert ScheduledTask.objects.count() == 0 and WebhookDelivery.objects.count() == 0


def test_window_edges_and_tolerance_setting(client, hook, sent, settings):
    assert deliver(client, hook, timestamp=NOW_TS - 300).status_code == 202
    assert deliver(client, hook, timestamp=NOW_TS + 300).status_code == 202
    settings.WEBHOOK_TOLERANCE_SECONDS = 30
    assert deliver(client, hook, timestamp=NOW_TS - 31).status_code == 401
    assert deliver(client, hook, timestamp=NOW_TS - 30).status_code == 202


ARABIC_INDIC_DIGITS = "\u0661\u0667" + "\u0660" * 8  # int() reads them; a timestamp is ASCII digits


@pytest.mark.parametrize(
    "value", ["", "  ", "abc", "1.7e9", "-5", "1234567890123", ARABIC_INDIC_DIGITS, "9" * 400]
)
def test_malformed_timestamp_is_refused_without_a_server_error(client, hook, sent, value):
    body_sig = webhooks.sign(secret=hook["webhook_secret"], body=BODY, timestamp=value)
    response = deliver(client, hook, headers={"X-IGNY8-Timestamp": value, "X-IGNY8-Signature": body_sig})
    assert (response.status_code, response.json()["error"]) == (401, NO_TIMESTAMP)


def test_a_refused_execution_leaves_the_delivery_unused(api, client, hook, sent):
    """The delivery is recorded in the execution's transaction: a rule switched off refuses it
    (409), and the same delivery, retried after the rule is back on, starts its execution."""
    AutomationRule.objects.filter(pk=hook["id"]).update(status="paused")
    headers = webhooks.signed_headers(secret=hook["webhook_secret"], body=BODY, timestamp=NOW_TS)
    refused = deliver(client, hook, headers=headers)
    assert (refused.status_code, refused.json()["error"]) == (409, "This rule is paused; activate it first.")
    assert WebhookDelivery.objects.count() == 0
    AutomationRule.objects.filter(pk=hook["id"]).update(status="active")
    assert deliver(client, hook, headers=headers).status_code == 202
    assert deliver(client, hook, headers=headers).status_code == 409
    assert ScheduledTask.objects.count() == 1


def test_a_bad_body_is_400_and_not_remembered(client, hook, sent):
    response = deliver(client, hook, body=b"[1, 2]")
    assert (response.status_code, response.json()["errors"]) == (400, {"body": ["Send a JSON object."]})
    assert WebhookDelivery.objects.count() == 0


def test_one_delivery_row_per_signature(alice, hook):
    rule = AutomationRule.objects.get(pk=hook["id"])
    WebhookDelivery.objects.create(rule=rule, signature="ab" * 32, signed_at=NOW, received_at=NOW)
    with pytest.raises(IntegrityError), transaction.atomic():
        WebhookDelivery.objects.create(rule=rule, signature="ab" * 32, signed_at=NOW, received_at=NOW)


def test_cleanup_prunes_deliveries_past_twice_the_window(alice, hook, sent):
    rule = AutomationRule.objects.get(pk=hook["id"])
    for seconds, signature in ((601, "a" * 64), (599, "b" * 64), (0, "c" * 64)):
        signed = NOW - timedelta(seconds=seconds)
        WebhookDelivery.objects.create(rule=rule, signature=signature, signed_at=signed, received_at=NOW)
    tasks.cleanup_executions()
    assert sorted(WebhookDelivery.objects.values_list("signature", flat=True)) == ["b" * 64, "c" * 64]
    assert services.webhook_deliveries_prune(now=NOW + timedelta(seconds=600)) == 1
    assert list(WebhookDelivery.objects.values_list("signature", flat=True)) == ["c" * 64]


@pytest.mark.django_db(transaction=True)
def test_two_racing_copies_of_one_delivery_start_one_execution(client, hook, sent):
    """Committed transactions, one thread per copy: the unique (rule, signature) row lets one win."""
    from django.db import connection

    headers = webhooks.signed_headers(secret=hook["webhook_secret"], body=BODY, timestamp=NOW_TS)
    public_id = hook["webhook_url"].rstrip("/").rsplit("/", 1)[1]
    start, outcomes = threading.Barrier(2), []

    def copy() -> None:
        start.wait()
        try:
            webhooks.webhook_receive(
                public_id=public_id,
                body=BODY,
                signature=headers["X-IGNY8-Signature"],
                timestamp=headers["X-IGNY8-Timestamp"],
            )
            outcomes.append("accepted")
        except Conflict as error:
            outcomes.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=copy) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == sorted(["accepted", REPLAY])
    assert ScheduledTask.objects.count() == 1 and WebhookDelivery.objects.count() == 1
    assert len(sent) == 1
