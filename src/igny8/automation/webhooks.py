"""Inbound webhooks: POST /api/v1/automation/webhooks/{rule public_id}/ with two headers,
`X-IGNY8-Timestamp: <unix seconds when sent>` and
`X-IGNY8-Signature: sha256=<hex HMAC-SHA256 of "{timestamp}.{raw body}", keyed by the rule's secret>`
(Stripe's scheme). Unknown id: 404. Missing or wrong signature, or a timestamp further than
WEBHOOK_TOLERANCE_SECONDS from the server's clock: 401. A delivery already received (same
signature, so same timestamp and body): 409. The JSON body is the execution's context."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
import uuid
from datetime import UTC, datetime

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from igny8.automation import conf
from igny8.automation.models import AutomationRule, ScheduledTask, Source, WebhookDelivery
from igny8.automation.services import rule_execute
from igny8.core.errors import Conflict, Invalid


class SignatureRefused(Exception):
    """The delivery's signature or timestamp is missing, wrong or stale; the message says which and
    how to fix it. The endpoint answers it with 401 (apis.WebhookView)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


HEADER = "HTTP_X_IGNY8_SIGNATURE"
TIMESTAMP_HEADER = "HTTP_X_IGNY8_TIMESTAMP"
PREFIX = "sha256="
# Unix seconds, at most 12 digits: anything longer is not a time a sender could mean (and would
# overflow a datetime).
_SECONDS = re.compile(r"[0-9]{1,12}")


def _digest(*, secret: str, timestamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def sign(*, secret: str, body: bytes, timestamp: int | str) -> str:
    """The X-IGNY8-Signature value of `body` sent at `timestamp` (unix seconds)."""
    return PREFIX + _digest(secret=secret, timestamp=str(timestamp), body=body)


def signed_headers(*, secret: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    """Both headers of a delivery sent now (or at `timestamp`), for senders written in Python."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    return {"X-IGNY8-Timestamp": stamp, "X-IGNY8-Signature": sign(secret=secret, body=body, timestamp=stamp)}


def signature_valid(*, secret: str, body: bytes, timestamp: str, header: str) -> bool:
    if not secret or not header:
        return False
    expected = sign(secret=secret, body=body, timestamp=timestamp)
    return hmac.compare_digest(expected.encode(), header.strip().encode("utf-8", "replace"))


def webhook_rule(*, public_id: str) -> AutomationRule:
    try:
        key = uuid.UUID(str(public_id))
    except ValueError as error:
        raise Http404("No such webhook.") from error
    rule = (
        AutomationRule.objects.filter(public_id=key, account__is_active=True)
        .select_related("account", "site")
        .first()
    )
    if rule is None:
        raise Http404("No such webhook.")
    return rule


def _signed_at(*, timestamp: str, now: datetime) -> datetime:
    """The sender's time, refused when it is outside the tolerance window (a stale capture being
    replayed after its nonce was pruned, or a sender whose clock is off)."""
    tolerance = conf.webhook_tolerance_seconds()
    seconds = int(timestamp)
    off = seconds - int(now.timestamp())
    if abs(off) > tolerance:
        direction = "behind" if off < 0 else "ahead of"
        raise SignatureRefused(
            f"X-IGNY8-Timestamp is {abs(off)} seconds {direction} the server's clock (at most {tolerance} "
            "allowed): sign each delivery with the current time and check the sender's clock."
        )
    return datetime.fromtimestamp(seconds, tz=UTC)


def _context(body: bytes) -> dict:
    try:
        context = json.loads(body or b"{}")
    except ValueError as error:
        raise Invalid(errors={"body": ["Send a JSON object."]}) from error
    if not isinstance(context, dict):
        raise Invalid(errors={"body": ["Send a JSON object."]})
    return context


def webhook_receive(
    *, public_id: str, body: bytes, signature: str, timestamp: str, now: datetime | None = None
) -> ScheduledTask:
    rule = webhook_rule(public_id=public_id)
    timestamp = (timestamp or "").strip()
    if not _SECONDS.fullmatch(timestamp):
        raise SignatureRefused("Bad or missing X-IGNY8-Timestamp: send the time of sending in unix seconds.")
    if not signature_valid(
        secret=rule.webhook_secret.get("secret", ""), body=body, timestamp=timestamp, header=signature
    ):
        raise SignatureRefused(
            'Bad or missing X-IGNY8-Signature: send "sha256=" + the hex HMAC-SHA256 of '
            '"{X-IGNY8-Timestamp}.{body}" keyed by the rule\'s secret.'
        )
    now = now or timezone.now()
    signed_at = _signed_at(timestamp=timestamp, now=now)
    context = _context(body)
    site_id = context.pop("site_id", None)
    # The delivery is recorded in the execution's transaction: a refused execution (rule off,
    # no credits) leaves the delivery unused, so the sender may retry it within the window.
    with transaction.atomic():
        try:
            with transaction.atomic():
                WebhookDelivery.objects.create(
                    rule=rule,
                    signature=signature.strip()[len(PREFIX) :],
                    signed_at=signed_at,
                    received_at=now,
                )
        except IntegrityError as error:
            raise Conflict(
                "This delivery was already received (same X-IGNY8-Timestamp and signature); "
                "a new delivery needs the current time in X-IGNY8-Timestamp and a new signature."
            ) from error
        return rule_execute(rule=rule, site_id=site_id, context=context, source=Source.WEBHOOK)
