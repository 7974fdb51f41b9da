"""Inbound webhooks: POST /api/v1/automation/webhooks/{rule public_id}/ with
`X-IGNY8-Signature: sha256=<hex HMAC-SHA256 of the raw body, keyed by the rule's secret>`.
Unknown id: 404. Missing or wrong signature: 401. The JSON body is the execution's context."""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid

from django.http import Http404
from rest_framework import exceptions, serializers

from igny8.automation.models import AutomationRule, ScheduledTask, Source
from igny8.automation.services import rule_execute

HEADER = "HTTP_X_IGNY8_SIGNATURE"
PREFIX = "sha256="


def sign(*, secret: str, body: bytes) -> str:
    return PREFIX + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_valid(*, secret: str, body: bytes, header: str) -> bool:
    if not secret or not header:
        return False
    return hmac.compare_digest(sign(secret=secret, body=body).encode(), header.strip().encode())


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


def webhook_receive(*, public_id: str, body: bytes, signature: str) -> ScheduledTask:
    rule = webhook_rule(public_id=public_id)
    if not signature_valid(secret=rule.webhook_secret.get("secret", ""), body=body, header=signature):
        raise exceptions.AuthenticationFailed("Bad or missing X-IGNY8-Signature.")
    try:
        context = json.loads(body or b"{}")
    except ValueError as error:
        raise serializers.ValidationError({"body": ["Send a JSON object."]}) from error
    if not isinstance(context, dict):
        raise serializers.ValidationError({"body": ["Send a JSON object."]})
    site_id = context.pop("site_id", None)
    return rule_execute(rule=rule, site_id=site_id, context=context, source=Source.WEBHOOK)
