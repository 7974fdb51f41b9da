"""A real Celery worker process, over the embedded filesystem broker and over Redis, executing a
task enqueued from this process against the same database."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from kombu import Connection

from igny8.system.models import WorkerHeartbeat
from igny8.system.tasks import record_heartbeat
from tests.services import redis_url
from tests.subprocess_db import database_url

REDIS_URL = redis_url()


def run_worker_and_send(broker_url: str, transport_options: dict, *, var_dir: Path) -> str:
    probe = f"probe-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker_url,
        "IGNY8_VAR_DIR": str(var_dir),
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
def test_worker_over_filesystem_broker(tmp_path):
    if not settings.CELERY_BROKER_URL.startswith("filesystem://"):
        pytest.skip("the embedded broker is not configured")
    # A broker folder of its own: messages other tests left in var/test/broker would queue ahead.
    broker = tmp_path / "broker"
    options = {
        **settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        "data_folder_in": str(broker / "queue"),
        "data_folder_out": str(broker / "queue"),
        "processed_folder": str(broker / "processed"),
        "control_folder": str(broker / "control"),
    }
    for folder in ("queue", "processed", "control"):
        (broker / folder).mkdir(parents=True)
    probe = run_worker_and_send("filesystem://", options, var_dir=tmp_path)
    assert WorkerHeartbeat.objects.filter(worker=probe).count() == 1


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_worker_over_redis(tmp_path):
    probe = run_worker_and_send(REDIS_URL, {}, var_dir=tmp_path)
    assert WorkerHeartbeat.objects.filter(worker=probe).count() == 1
