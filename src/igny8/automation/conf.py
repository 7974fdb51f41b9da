"""Automation settings with their defaults (each can be set in settings.py or the environment)."""

from django.conf import settings


def stale_seconds() -> int:
    """An execution (and its site lock) whose heartbeat is older than this lost its worker."""
    return int(getattr(settings, "AUTOMATION_STALE_SECONDS", 120))


def max_attempts() -> int:
    return int(getattr(settings, "AUTOMATION_MAX_ATTEMPTS", 2))


def credit_buffer_percent() -> int:
    return int(getattr(settings, "AUTOMATION_CREDIT_BUFFER_PERCENT", 10))


def ai_threaded() -> bool:
    """Run each AI run on a thread while this one reports progress (True), or inline (tests)."""
    return bool(getattr(settings, "AUTOMATION_AI_THREADED", True))


def retention_days() -> int:
    return int(getattr(settings, "AUTOMATION_RETENTION_DAYS", 30))


def poll_seconds() -> float:
    return float(getattr(settings, "AUTOMATION_POLL_SECONDS", 0.5))


def webhook_tolerance_seconds() -> int:
    """How far a webhook's signed X-IGNY8-Timestamp may be from the server's clock (either way)."""
    return int(getattr(settings, "WEBHOOK_TOLERANCE_SECONDS", 300))
