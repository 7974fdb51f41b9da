from datetime import timedelta

from django.utils import timezone
from rest_framework.test import APIClient

from igny8.config.celery import app
from igny8.system.health import record_heartbeat
from igny8.system.models import WorkerHeartbeat


def test_degraded_until_a_worker_reports(db):
    body = APIClient().get("/healthz").json()
    assert body["status"] == "degraded"
    assert body["database"] == {"ok": True, "vendor": body["database"]["vendor"]}
    assert body["broker"]["ok"] is True
    assert body["worker"] == {
        "ok": False,
        "error": "No worker has reported yet (is `igny8 worker` running, and beat?).",
    }
    record_heartbeat(worker="celery@test")
    body = APIClient().get("/healthz").json()
    assert (body["status"], body["worker"]["ok"], body["worker"]["worker"]) == ("ok", True, "celery@test")


def test_stale_worker_and_broker_down(db, monkeypatch):
    WorkerHeartbeat.objects.create(worker="old", last_seen_at=timezone.now() - timedelta(minutes=10))
    assert APIClient().get("/healthz").json()["worker"]["error"].startswith("Last heartbeat 60")
    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = APIClient().get("/healthz")
    assert response.status_code == 503
    assert (response.json()["status"], response.json()["broker"]["ok"]) == ("down", False)
