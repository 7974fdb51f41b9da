"""Real `celery worker` subprocesses over Redis (db 14) against the test database; always killed."""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from tests.services import redis_url
from tests.subprocess_db import database_url

REDIS_URL = redis_url(offset=1)
# A solo-pool worker of the test app (also started by bench/automation_throughput.py).
WORKER_COMMAND = [
    sys.executable,
    "-m",
    "celery",
    "-A",
    "tests.automation.worker_app",
    "worker",
    "--pool=solo",
    "--without-gossip",
    "--without-mingle",
    "--without-heartbeat",
    "-Q",
    "celery",
    "--loglevel=WARNING",
]
ROOT = Path(__file__).resolve().parents[2]


def flush(broker_url: str = REDIS_URL) -> None:
    import redis

    redis.Redis.from_url(broker_url).flushdb()


def start_worker(
    name: str, *, broker_url: str = REDIS_URL, extra_env: dict | None = None
) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker_url,
        "OPENAI_API_KEY": "",
        "RUNWARE_API_KEY": "",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "LOG_LEVEL": "WARNING",
        "IGNY8_VAR_DIR": str(settings.VAR_DIR),  # the same encryption key as this process
        **(extra_env or {}),
    }
    command = [*WORKER_COMMAND, f"--hostname={name}@test"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def stop(worker: subprocess.Popen, *, kill: bool = False) -> str:
    if worker.poll() is None:
        worker.kill() if kill else worker.terminate()
    try:
        _, errors = worker.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        worker.kill()
        _, errors = worker.communicate()
    return (errors or b"").decode()[-3000:]


@contextmanager
def workers(*names: str, **options):
    started = [start_worker(name, **options) for name in names]
    try:
        yield started
    finally:
        for worker in started:
            stop(worker)
