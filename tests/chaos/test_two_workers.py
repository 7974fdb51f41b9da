"""Issue 12, "Done when": two real workers over Redis against PostgreSQL, a slow loopback provider
that counts calls per item, and 10 seeded SIGKILLs that land while a worker holds an AI run or an
automation execution (alternating). After the sweeps: no item sent to the provider twice, no item
charged twice, ledger = usage, nothing left queued or running, no record still held, and every
item saved or failed with the reason. bench/chaos.py runs the same with more kills and any seed."""

import json
import os
from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from celery import Celery
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from igny8.ai import registry
from igny8.ai import services as ai_services
from igny8.ai.models import TERMINAL, AIRun, AIRunHold, AIRunItem
from igny8.ai.run_items import WORKER_DIED
from igny8.automation import services as automation_services
from igny8.automation.models import ScheduledTask, SiteLock
from igny8.billing import services as billing
from igny8.billing.models import CreditUsageLog
from igny8.writer.models import Content, Task
from tests.ai.fakes import FUNCTIONS as AI_FUNCTIONS
from tests.automation import fakes, workers
from tests.chaos.harness import ROOT, Chaos, Plan
from tests.chaos.provider import SlowProvider
from tests.subprocess_db import database_url

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]
PER_ITEM = 50  # credits of one generate_content item on OpenAI (the price table)


@pytest.fixture
def functions(monkeypatch):
    """This process knows the workers' test functions (run_start validates against them)."""
    monkeypatch.setattr("igny8.billing.selectors.FREE_PROVIDERS", ())
    for name, path in AI_FUNCTIONS.items():
        registry.register(name, path)
    saved = fakes.install()
    yield
    fakes.restore(saved)
    for name in AI_FUNCTIONS:
        registry.unregister(name)


@pytest.fixture
def to_redis(monkeypatch):
    """Every job this process hands over (starts, the sweeps' re-queues) goes to the workers' Redis."""
    workers.flush()
    sender = Celery(broker=workers.REDIS_URL, set_as_current=False)

    def send(*, task_name, args, task_id=None):
        sender.send_task(task_name, args=args, task_id=task_id, queue="celery")
        return True

    monkeypatch.setattr("igny8.core.jobs.send", send)
    yield sender
    sender.close()
    workers.flush()


def chaos_env(*, provider: SlowProvider, plan: Plan, settings) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": workers.REDIS_URL,
        "IGNY8_VAR_DIR": str(settings.VAR_DIR),  # the same encryption key as this process
        "OPENAI_API_KEY": "sk-chaos",
        "OPENAI_BASE_URL": provider.url,
        "OPENAI_MODEL": "gpt-4o-mini",
        "RUNWARE_API_KEY": "",
        "IGNY8_OUTBOUND_ALLOW": "127.0.0.1",
        "AI_CONCURRENCY_MAX": "2",
        "AI_HEARTBEAT_SECONDS": "0.5",
        "AI_PACE_LEASE_SECONDS": "2",  # a killed worker's slot frees the key within 2 s
        "AI_RUN_STALE_SECONDS": str(plan.stale_seconds),
        "AUTOMATION_STALE_SECONDS": str(plan.stale_seconds),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
    }


def item_name(row: AIRunItem) -> str:
    """The item as the provider counts it (tests/chaos/provider.py): its id or its task's pk."""
    number = row.key.split(":", 1)[1]
    per_item = row.run.function_name == "test_per_item"
    return f"Write item {number}" if per_item else f"generate_content {number}"


def test_ten_sigkills_over_two_workers_pay_no_item_twice(
    alice, settings, functions, to_redis, tmp_path, capsys
):
    plan = Plan.from_env()
    provider = SlowProvider(seconds=plan.provider_seconds)
    settings.OPENAI_API_KEY, settings.OPENAI_BASE_URL, settings.OPENAI_MODEL = (
        "sk-chaos",
        provider.url,
        "gpt-4o-mini",
    )
    settings.OUTBOUND_ALLOW = ["127.0.0.1"]
    # The sweeps run here, as beat would, with the workers' short staleness; nothing is given up
    # for having died too often, so every item ends saved or failed by the engine itself.
    settings.AI_RUN_STALE_SECONDS = settings.AUTOMATION_STALE_SECONDS = plan.stale_seconds
    settings.AI_RUN_MAX_ATTEMPTS = settings.AUTOMATION_MAX_ATTEMPTS = plan.kills + 5
    billing.credits_grant(account=alice.account, amount=1_000_000, note="chaos")
    chaos = Chaos(
        plan=plan, account=alice.account, env=chaos_env(provider=provider, plan=plan, settings=settings),
        logs=tmp_path, control=to_redis.control,
    )  # fmt: skip
    try:
        figures = chaos.run()
    finally:
        provider.stop()
    calls = provider.counted()
    assert figures.drained, (AIRun.objects.exclude(status__in=TERMINAL).values(), chaos.logs_tail())

    # The final sweep, long after: nothing is left to recover, no record is held, no site locked.
    later = timezone.now() + timedelta(hours=1)
    assert ai_services.runs_sweep(now=later) == {"requeued": 0, "failed": 0}
    assert automation_services.sweep(now=later) == {
        "requeued": 0, "failed": 0, "locks_released": 0, "kicked": 0
    }  # fmt: skip
    assert (AIRunHold.objects.count(), SiteLock.objects.count()) == (0, 0)
    # An execution ends completed, partially, or failed when the items it sent in its last attempt
    # died with a worker (what earlier attempts saved is not in its last attempt's results).
    for execution in ScheduledTask.objects.all():
        assert execution.status in ("completed", "partially_completed", "failed"), execution.status
        if execution.status == "failed":
            items = AIRunItem.objects.filter(run__task_id__in=execution.state["runs"])
            assert WORKER_DIED in execution.error_message, execution.error_message
            assert ("failed", WORKER_DIED) in set(items.values_list("status", "error"))

    # Every item has one row per run that took it, saved or failed with the reason.
    items = list(AIRunItem.objects.select_related("run").order_by("pk"))
    asked = {f"Write item {n}" for run in AIRun.objects.filter(function_name="test_per_item")
             for n in run.payload["ids"]}  # fmt: skip
    tasks = {f"generate_content {pk}" for pk in Task.objects.values_list("pk", flat=True)}
    names = [item_name(row) for row in items]
    keys = Counter(names)
    assert set(keys) == asked | tasks and max(keys.values()) == 1, keys.most_common(3)
    outcomes = Counter((row.status, row.error) for row in items)
    assert set(outcomes) <= {("success", ""), ("failed", WORKER_DIED)}, outcomes

    # The provider's own count: at most one call per item; each saved item exactly one.
    assert max(calls.values()) == 1 and set(calls) <= set(keys), calls.most_common(3)
    saved = {name for name, row in zip(names, items, strict=True) if row.status == "success"}
    assert all(calls[key] == 1 for key in saved)

    # One article per task that was saved, none for a failed one.
    assert sorted(Content.objects.values_list("task_id", flat=True)) == sorted(
        int(key.rsplit(" ", 1)[1]) for key in saved if key.startswith("generate_content")
    )

    # No double charge: each saved item carries one charge; usage = credits used, per run.
    assert sorted(set(AIRunItem.objects.values_list("status", "credits"))) <= [
        ("failed", 0), ("success", PER_ITEM)
    ]  # fmt: skip
    for run in AIRun.objects.all():
        charged = CreditUsageLog.objects.filter(run_id=run.task_id, credits__gt=0)
        assert charged.count() == run.items_succeeded
        assert (charged.aggregate(total=Sum("credits"))["total"] or 0) == run.credits_used
        assert run.credits_used == PER_ITEM * run.items_succeeded
        assert run.items_succeeded + run.items_failed == AIRunItem.objects.filter(run=run).count()
    out = StringIO()
    call_command("billing", "check", stdout=out)
    assert out.getvalue().startswith("OK: 1 account(s), ledger = balance;"), out.getvalue()

    # Where the kills landed: on both kinds of work, every time with a task in hand.
    assert len(figures.kills) == plan.kills
    assert {"ai run", "execution"} <= set(figures.kills), figures.kills
    report = {
        **figures.__dict__,
        "provider_calls": sum(calls.values()),
        "items_saved": len(saved),
        "items_failed": len(items) - len(saved),
        "attempts_max": max(AIRun.objects.values_list("attempts", flat=True)),
    }
    if os.environ.get("CHAOS_REPORT"):
        with open(os.environ["CHAOS_REPORT"], "a") as out_file:
            out_file.write(json.dumps(report) + "\n")
    with capsys.disabled():
        print(f"\nchaos: {json.dumps(report)}")
