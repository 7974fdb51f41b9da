"""Exactly once per item (issue 12, point 2): a worker that dies mid-run is re-queued by the sweep,
and the re-run skips what was recorded, never sends an item to the provider twice, and charges
each saved item once; `igny8 billing check` proves the books after every scenario."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from igny8.accounts.models import Account
from igny8.ai import engine, run_items, services
from igny8.ai.models import AIRun, AIRunItem
from igny8.billing.models import CreditTransaction, CreditUsageLog
from tests.ai.fakes import PerItemFunction
from tests.ai.helpers import start, work

pytestmark = pytest.mark.django_db


class Killed(BaseException):
    """What SIGKILL looks like from inside: nothing after it runs, no handler sees it."""


def billing_check() -> str:
    out = StringIO()
    call_command("billing", "check", stdout=out)
    return out.getvalue()


def claim(run: AIRun) -> AIRun:
    return services.run_claim(
        task_id=run.task_id, function_name=run.function_name, payload=run.payload, account_id=run.account_id
    )


def crash_then_sweep(run: AIRun, settings) -> AIRun:
    """The run's heartbeat goes stale like a dead worker's; the sweep re-queues it."""
    old = timezone.now() - timedelta(seconds=settings.AI_RUN_STALE_SECONDS + 5)
    AIRun.objects.filter(pk=run.pk).update(heartbeat_at=old)
    assert services.runs_sweep() == {"requeued": 1, "failed": 0}
    run.refresh_from_db()
    assert run.status == "pending"
    return run


def prompts_sent(provider) -> list[str]:
    return [request.prompt for request in provider.requests]


def test_a_worker_killed_after_the_provider_answered_pays_no_item_twice(
    alice, enqueued, provider, settings, monkeypatch, django_capture_on_commit_callbacks
):
    run = start(alice, "test_per_item", {"ids": [1, 2, 3]}, django_capture_on_commit_callbacks)
    saving = PerItemFunction.save_output

    def killed_while_saving_item_2(self, ctx, item, output):
        if item == 2:
            raise Killed
        return saving(self, ctx, item, output)

    monkeypatch.setattr(PerItemFunction, "save_output", killed_while_saving_item_2)
    with pytest.raises(Killed):
        engine.execute(claim(run))
    monkeypatch.setattr(PerItemFunction, "save_output", saving)
    # Item 1 saved with its credits; item 2 was answered, its save rolled back; 3 never sent.
    assert list(AIRunItem.objects.filter(run=run).values_list("key", "status", "attempt")) == [
        ("id:1", "success", 1),
        ("id:2", "calling", 1),
    ]
    assert list(CreditUsageLog.objects.filter(run_id=run.task_id).values_list("credits", flat=True)) == [50]

    run = work(crash_then_sweep(run, settings))
    assert prompts_sent(provider) == ["Write item 1", "Write item 2", "Write item 3"]  # once each
    assert (run.status, run.attempts, run.items_succeeded, run.items_failed) == ("success", 2, 2, 1)
    assert [(i["item"], i["status"]) for i in run.result["items"]] == [
        ("1", "success"),
        ("2", "error"),
        ("3", "success"),
    ]
    assert run.result["items"][1]["error"] == run_items.WORKER_DIED
    # 150 reserved, 2 items saved: 100 used, 50 refunded; usage rows say the same as the ledger.
    assert (run.credits_used, run.result["credits_refunded"]) == (100, 50)
    assert Account.objects.get(pk=alice.account.pk).credits == 4900
    assert sorted(CreditUsageLog.objects.filter(run_id=run.task_id).values_list("credits", flat=True)) == [
        50,
        50,
    ]
    assert sorted(CreditTransaction.objects.filter(run_id=run.task_id).values_list("amount", flat=True)) == [
        -150,
        50,
    ]
    assert billing_check() == "OK: 1 account(s), ledger = balance; 1 run(s), usage = ledger debits.\n"


def test_a_worker_killed_before_finishing_is_finished_without_a_provider_call(
    alice, enqueued, provider, settings, monkeypatch, django_capture_on_commit_callbacks
):
    run = start(alice, "test_per_item", {"ids": [5, 6]}, django_capture_on_commit_callbacks)
    finish = engine.Engine._finish

    def killed(self, status, *, error=""):
        raise Killed

    monkeypatch.setattr(engine.Engine, "_finish", killed)
    with pytest.raises(Killed):
        engine.execute(claim(run))
    monkeypatch.setattr(engine.Engine, "_finish", finish)
    run.refresh_from_db()
    assert (run.status, run.items_succeeded, run.credits_used, run.percentage) == ("running", 2, 100, 98)

    run = work(crash_then_sweep(run, settings))
    assert prompts_sent(provider) == ["Write item 5", "Write item 6"]
    assert (run.status, run.items_succeeded, run.items_failed, run.percentage) == ("success", 2, 0, 100)
    assert [i["item"] for i in run.result["items"]] == ["5", "6"]  # results kept, not doubled
    assert (run.credits_used, run.result["credits_refunded"]) == (100, 0)
    assert Account.objects.get(pk=alice.account.pk).credits == 4900
    assert billing_check().startswith("OK: 1 account(s)")


def test_a_second_delivery_of_a_finished_run_does_nothing(
    alice, enqueued, provider, django_capture_on_commit_callbacks
):
    run = work(start(alice, "test_per_item", {"ids": [1, 2]}, django_capture_on_commit_callbacks))
    AIRun.objects.filter(pk=run.pk).update(status="pending")  # a re-delivered message, a buggy sweep
    again = work(run)
    assert prompts_sent(provider) == ["Write item 1", "Write item 2"]
    assert (again.items_succeeded, again.credits_used) == (2, 100)
    assert CreditUsageLog.objects.filter(run_id=run.task_id).count() == 2
    assert Account.objects.get(pk=alice.account.pk).credits == 4900


def test_an_item_another_attempt_holds_is_not_sent(
    alice, enqueued, provider, django_capture_on_commit_callbacks
):
    run = start(alice, "test_per_item", {"ids": [1, 2]}, django_capture_on_commit_callbacks)
    claimed = claim(run)
    # A zombie of this run's earlier attempt (or a parallel one) sent item 2 already.
    AIRunItem.objects.create(run=run, key="id:2", label="2", attempt=claimed.attempts + 1)
    run = engine.execute(claimed)
    assert prompts_sent(provider) == ["Write item 1"]
    assert (run.items_succeeded, run.items_failed) == (1, 0)


def test_billing_check_names_every_difference(alice, enqueued, provider, django_capture_on_commit_callbacks):
    run = work(start(alice, "test_per_item", {"ids": [1]}, django_capture_on_commit_callbacks))
    assert billing_check() == "OK: 1 account(s), ledger = balance; 1 run(s), usage = ledger debits.\n"
    Account.objects.filter(pk=alice.account.pk).update(credits=4000)
    CreditUsageLog.objects.filter(run_id=run.task_id).update(credits=70)
    with pytest.raises(CommandError) as raised:
        billing_check()
    assert str(raised.value) == (
        "2 difference(s):\nAccount A: the ledger adds up to 4950, the balance is 4000.\n"
        f"Account A, run {run.task_id}: the ledger took 50 credits, its usage rows say 70."
    )
    assert raised.value.returncode == 1


def test_a_worker_whose_run_another_worker_claimed_stops_without_writing(
    alice, enqueued, provider, django_capture_on_commit_callbacks
):
    run = start(alice, "test_per_item", {"ids": [1, 2]}, django_capture_on_commit_callbacks)
    zombie = claim(run)
    # It went quiet; the sweep re-queued the run and another worker claimed it (attempt 2).
    AIRun.objects.filter(pk=run.pk).update(attempts=2, message="Continuing after the worker stopped...")
    engine.execute(zombie)
    run.refresh_from_db()
    assert (run.status, run.attempts, run.message, run.items_succeeded) == (
        "running",
        2,
        "Continuing after the worker stopped...",
        0,
    )
    assert (prompts_sent(provider), AIRunItem.objects.count(), CreditUsageLog.objects.count()) == ([], 0, 0)
