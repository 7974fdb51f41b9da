"""A bounded, seeded chaos test on the embedded default (SQLite + filesystem broker), issue 12:
a real `celery worker` runs an AI run against a slow loopback OpenAI-compatible server that counts
the calls per item; the worker is SIGKILLed 5 times at seeded moments while the run is running,
the stale sweep re-queues the run each time, and a last worker finishes it. Then: no item was sent
to the provider twice, every item was saved or failed with the reason, the ledger equals usage."""

import os
import random
import signal
import subprocess
import sys
import time
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from celery import Celery
from django.core.management import call_command
from django.utils import timezone

from igny8.ai import services
from igny8.ai.models import TERMINAL, AIRun, AIRunHold, AIRunItem
from igny8.ai.run_items import WORKER_DIED
from tests.chaos.provider import SlowProvider
from tests.subprocess_db import database_url

ROOT = Path(__file__).resolve().parents[2]
ITEMS = [1, 2, 3, 4, 5]
KILLS = 5
PROVIDER_SECONDS = 1.0


def _worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "tests.ai.worker_app", "worker", "--pool=solo",
         "--concurrency=1", "--without-gossip", "--without-mingle", "--without-heartbeat",
         "-Q", "celery", "--loglevel=WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def _wait(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.django_db(transaction=True)
def test_five_sigkills_pay_no_item_twice_and_the_books_balance(alice, settings, monkeypatch, tmp_path):
    provider = SlowProvider(seconds=PROVIDER_SECONDS)
    settings.OPENAI_API_KEY, settings.OPENAI_BASE_URL, settings.OPENAI_MODEL = (
        "sk-x",
        provider.url,
        "gpt-4o-mini",
    )
    settings.OUTBOUND_ALLOW = ["127.0.0.1"]
    settings.AI_RUN_MAX_ATTEMPTS = KILLS + 2
    var = tmp_path / "var"
    queue = var / "broker" / "queue"
    sender = Celery(
        set_as_current=False,  # the project's app stays current for the tests that follow
        broker="filesystem://",
        broker_transport_options={
            "data_folder_in": str(queue), "data_folder_out": str(queue),
            "processed_folder": str(var / "broker" / "processed"), "store_processed": False,
            "control_folder": str(var / "broker" / "control"),  # kombu's default is ./control
        },
    )  # fmt: skip
    for folder in (queue, var / "broker" / "processed", var / "broker" / "control"):
        folder.mkdir(parents=True, exist_ok=True)

    def send(*, task_name, args, task_id=None):
        sender.send_task(task_name, args=args, task_id=task_id, queue="celery")
        return True

    monkeypatch.setattr("igny8.core.jobs.send", send)
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "IGNY8_VAR_DIR": str(var),
        "CELERY_BROKER_URL": "filesystem://",
        "OPENAI_API_KEY": "sk-x",
        "OPENAI_BASE_URL": provider.url,
        "OPENAI_MODEL": "gpt-4o-mini",
        "IGNY8_OUTBOUND_ALLOW": "127.0.0.1",
        "AI_CONCURRENCY_MAX": "1",
        "AI_HEARTBEAT_SECONDS": "0.5",
        "AI_PACE_LEASE_SECONDS": "2",  # a killed worker's slot frees the key within 2 s
        "RUNWARE_API_KEY": "",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
    }
    run = services.run_start(account=alice.account, function_name="test_per_item", payload={"ids": ITEMS})
    seed = random.Random(1212)
    kills = 0
    try:
        for _ in range(KILLS):
            worker = _worker(env)
            # A worker boots in seconds, or in a minute on a loaded machine.
            # Running, or already finished: a worker that finds every item recorded only settles it.
            _wait(lambda: AIRun.objects.get(pk=run.pk).status in {"running", *TERMINAL}, 180)
            time.sleep(seed.uniform(0.3, 1.6))  # into an item's provider call, or between items
            worker.send_signal(signal.SIGKILL)
            worker.wait()
            run.refresh_from_db()
            if run.status in TERMINAL:
                break
            kills += 1
            old = timezone.now() - timedelta(seconds=settings.AI_RUN_STALE_SECONDS + 5)
            AIRun.objects.filter(pk=run.pk).update(heartbeat_at=old)
            assert services.runs_sweep()["requeued"] == 1
        worker = _worker(env)
        finished = _wait(lambda: AIRun.objects.get(pk=run.pk).status in TERMINAL, 240)
        worker.terminate()
        worker.wait(timeout=20)
    finally:
        provider.stop()
        sender.close()
    run.refresh_from_db()
    assert finished, (run.status, run.message)
    assert kills >= 3  # the seed lands most kills mid-run
    # Provider calls per item: at most one, whatever died when.
    calls = provider.counted()
    assert max(calls.values()) == 1 and set(calls) <= {f"Write item {n}" for n in ITEMS}, calls
    rows = dict(AIRunItem.objects.filter(run=run).values_list("key", "status"))
    assert sorted(rows) == [f"id:{n}" for n in ITEMS] and set(rows.values()) <= {"success", "failed"}
    assert set(AIRunItem.objects.filter(run=run, status="failed").values_list("error", flat=True)) <= {
        WORKER_DIED
    }
    assert run.items_succeeded + run.items_failed == len(ITEMS)
    assert run.items_succeeded == list(rows.values()).count("success")
    assert run.credits_used == 50 * run.items_succeeded
    assert AIRunHold.objects.count() == 0
    out = StringIO()
    call_command("billing", "check", stdout=out)
    assert out.getvalue() == "OK: 1 account(s), ledger = balance; 1 run(s), usage = ledger debits.\n"
