"""A real Celery worker process, over the embedded filesystem broker and over Redis, executing a
task enqueued from this process against the same database."""

import os
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from kombu import Connection

from igny8.system.models import WorkerHeartbeat
from igny8.system.tasks import record_heartbeat
from tests.subprocess_db import database_url

REDIS_URL = "redis://127.0.0.1:6379/15"


def run_worker_and_send(broker_url: str, transport_options: dict) -> str:
    probe = f"probe-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker_url,
        "IGNY8_VAR_DIR": str(settings.VAR_DIR),
        "LOG_LEVEL": "WARNING",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "igny8.cli", "worker", "--concurrency", "1", "--hostname", f"{probe}@test"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        with Connection(broker_url, transport_options=transport_options) as conn:
            record_heartbeat.apply_async(args=[probe], connection=conn)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and worker.poll() is None:
            if WorkerHeartbeat.objects.filter(worker=probe).exists():
                return probe
            time.sleep(0.3)
        output = worker.stdout.read().decode() if worker.poll() is not None else "(still running)"
        pytest.fail(f"the worker did not run the task within 60 s: {output[-2000:]}")
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


@pytest.mark.django_db(transaction=True)
def test_worker_over_filesystem_broker():
    if not settings.CELERY_BROKER_URL.startswith("filesystem://"):
        pytest.skip("the embedded broker is not configured")
    probe = run_worker_and_send("filesystem://", settings.CELERY_BROKER_TRANSPORT_OPTIONS)
    assert WorkerHeartbeat.objects.filter(worker=probe).count() == 1


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_worker_over_redis():
    probe = run_worker_and_send(REDIS_URL, {})
    assert WorkerHeartbeat.objects.filter(worker=probe).count() == 1
