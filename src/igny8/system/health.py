"""Liveness of the three moving parts: database, broker, worker."""

import socket
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from igny8.config.celery import app
from igny8.system.models import WorkerHeartbeat


def database_status() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"ok": True, "vendor": connection.vendor}
    except Exception as error:  # any driver error means "down"; the message says which
        return {"ok": False, "vendor": connection.vendor, "error": str(error)}


def broker_status() -> dict:
    transport = settings.CELERY_BROKER_URL.split("://", 1)[0]
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return {"ok": True, "transport": transport}
    except Exception as error:  # kombu raises transport-specific errors
        return {"ok": False, "transport": transport, "error": str(error)}


def worker_status() -> dict:
    stale_after = timedelta(seconds=settings.WORKER_HEARTBEAT_STALE_SECONDS)
    beat = WorkerHeartbeat.objects.order_by("-last_seen_at").first()
    if beat is None:
        return {"ok": False, "error": "No worker has reported yet (is `igny8 worker` running, and beat?)."}
    age = timezone.now() - beat.last_seen_at
    result = {
        "ok": age <= stale_after,
        "worker": beat.worker,
        "last_seen_at": beat.last_seen_at.isoformat(),
        "seconds_ago": round(age.total_seconds(), 1),
    }
    if not result["ok"]:
        result["error"] = f"Last heartbeat {int(age.total_seconds())} s ago."
    return result


def record_heartbeat(*, worker: str | None = None) -> WorkerHeartbeat:
    beat, _ = WorkerHeartbeat.objects.update_or_create(
        worker=worker or socket.gethostname(), defaults={"last_seen_at": timezone.now()}
    )
    return beat


def health_report() -> tuple[dict, int]:
    report = {"database": database_status(), "broker": broker_status(), "worker": worker_status()}
    essential_ok = report["database"]["ok"] and report["broker"]["ok"]
    report["status"] = ("ok" if report["worker"]["ok"] else "degraded") if essential_ok else "down"
    return report, 200 if essential_ok else 503
