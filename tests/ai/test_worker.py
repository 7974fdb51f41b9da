"""A real `celery worker` process over Redis runs a queued AI run against the test database."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import Celery

from igny8.ai import services
from igny8.ai.models import AIRun
from tests.services import redis_url
from tests.subprocess_db import database_url

REDIS_URL = redis_url()
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_task_to_success(alice):
    run = services.run_create(account=alice.account, function_name="test_per_item", payload={"ids": [1, 2]})
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_RESULT_BACKEND": "django-db",
        "OPENAI_API_KEY": "",
        "RUNWARE_API_KEY": "",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "LOG_LEVEL": "WARNING",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "tests.ai.worker_app",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-Q",
            "celery",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        sender = Celery(broker=REDIS_URL, set_as_current=False)
        sender.send_task(
            "igny8.ai.tasks.run_ai_task",
            args=["test_per_item", {"ids": [1, 2]}, alice.account.pk],
            task_id=run.task_id,
            queue="celery",
        )
        for _ in range(300):  # up to ~60 s; the loop ends as soon as the row says it is done
            run.refresh_from_db()
            if run.status in ("success", "failed") or worker.poll() is not None:
                break
            time.sleep(0.2)
        sender.close()
    finally:
        worker.terminate()
        try:
            _, errors = worker.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            _, errors = worker.communicate()
    assert run.status == "success", errors.decode()[-3000:]
    assert (run.items_succeeded, run.percentage, run.provider, run.attempts) == (2, 100, "offline", 1)
    assert [s["stepName"] for s in run.response_steps][-1] == "DONE"
    assert AIRun.objects.get(pk=run.pk).credits_reserved == 100
