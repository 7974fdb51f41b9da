"""Real workers: the same rule never runs twice at once for a site, even with two workers; a
worker killed mid-run leaves a state the sweep recovers."""

import time
from datetime import timedelta
from io import StringIO
from itertools import pairwise

import pytest
from celery import Celery
from django.core.management import call_command
from django.utils import timezone

from igny8.ai import engine
from igny8.ai import services as ai_services
from igny8.ai.models import AIRun, AIRunHold, AIRunItem
from igny8.ai.run_items import WORKER_DIED
from igny8.automation import dispatch, execution, services
from igny8.automation.models import FINISHED, ScheduledTask, SiteLock
from igny8.writer.models import Content, Task
from tests.automation import workers

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def to_redis(monkeypatch):
    """Executions go to the real workers over Redis db 14."""
    workers.flush()
    # Not the current app: the project's tasks (and tests patching them) stay on the project's app.
    sender = Celery(broker=workers.REDIS_URL, set_as_current=False)
    monkeypatch.setattr(
        dispatch,
        "send",
        lambda task_id: sender.send_task(
            "igny8.automation.tasks.execute_scheduled_task", args=[task_id], queue="celery"
        ),
    )
    yield sender
    sender.close()


def wait_for(predicate, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def content_rule(alice, tasks: int):
    for number in range(tasks):
        Task.objects.create(account=alice.account, site=alice.site, title=f"T{number}")
    return services.rule_create(
        account=alice.account,
        site=alice.site,
        name="Write",
        actions=[{"type": "generate_content", "params": {"batch_size": 1}}],
    )


def test_two_workers_never_run_the_same_site_at_once(alice, to_redis):
    rule = content_rule(alice, tasks=4)
    with workers.workers("w1", "w2", extra_env={"AUTOMATION_FAKE_DELAY": "0.3"}) as started:
        executions = [services.rule_execute(rule=rule) for _ in range(4)]
        # A bound, not a timing: two workers boot in seconds, or in minutes on a loaded machine.
        done = wait_for(lambda: ScheduledTask.objects.filter(status__in=FINISHED).count() == 4, 300)
        states = list(
            ScheduledTask.objects.order_by("executed_at").values_list("status", "executed_at", "finished_at")
        )
        errors = "" if done else "\n".join(workers.stop(w) for w in started)
    assert done, (states, errors)
    assert [status for status, _, _ in states] == ["completed"] * 4
    for (_, _, finished), (_, next_started, _) in pairwise(states):
        assert next_started >= finished  # one at a time: each started after the previous finished
    assert Content.objects.count() == 4 and SiteLock.objects.count() == 0
    assert sorted(t.pk for t in executions) == sorted(ScheduledTask.objects.values_list("pk", flat=True))


def test_a_worker_killed_mid_run_is_recovered_by_the_sweep(alice, to_redis, monkeypatch, settings):
    settings.AI_HEARTBEAT_SECONDS = 0.5  # the dead worker's AI run is found silent after 1 s
    rule = content_rule(alice, tasks=3)
    with workers.workers("doomed", extra_env={"AUTOMATION_FAKE_DELAY": "1.5"}) as started:
        task = services.rule_execute(rule=rule)
        assert wait_for(lambda: Content.objects.count() >= 1, 60)
        workers.stop(started[0], kill=True)  # SIGKILL in the middle of the second article
    task.refresh_from_db()
    assert (task.status, SiteLock.objects.filter(task=task).count()) == ("running", 1)
    handed: list[int] = []
    monkeypatch.setattr(dispatch, "send", handed.append)
    later = timezone.now() + timedelta(seconds=settings.AUTOMATION_STALE_SECONDS + 1)
    assert services.sweep(now=later)["requeued"] == 1
    assert (ScheduledTask.objects.get(pk=task.pk).status, SiteLock.objects.count(), handed) == (
        "pending",
        0,
        [task.pk],
    )
    # What the next worker does: it continues the run the dead worker left (not a second run on
    # its task); the article that was being saved when the worker died is failed with the reason,
    # never sent to the provider again (issue 12: at most one provider call per item).
    status = execution.execute(task_id=task.pk)
    # The kill lands mid-save or between items (timing): either way each task ends with exactly one
    # run and one outcome: its article, or a failure saying the worker died while it was out.
    died = list(AIRunItem.objects.filter(status="failed").values_list("error", flat=True))
    assert died in ([], [WORKER_DIED])
    assert status == ("partially_completed" if died else "completed")
    assert Content.objects.count() + len(died) == 3
    assert sorted(Content.objects.values_list("task_id", flat=True)) == sorted(
        set(Content.objects.values_list("task_id", flat=True))
    )
    # Timing again: a kill after a run saved its last item but before it closed leaves that run to
    # the AI sweep (beat), since no action picks saved records again. Sweep and run it as beat and
    # a worker would; it skips its saved item, closes, and lets go of its records.
    ai_later = later + timedelta(seconds=settings.AI_RUN_STALE_SECONDS)
    ai_services.runs_sweep(now=ai_later)
    for left in AIRun.objects.filter(status="pending"):
        engine.claim_and_execute(left)
    assert list(AIRunHold.objects.values_list("record", "run__status")) == []
    assert sorted(pk for run in AIRun.objects.all() for pk in run.payload["ids"]) == sorted(
        Task.objects.values_list("pk", flat=True)
    )  # one run per task, never a second
    assert ScheduledTask.objects.get(pk=task.pk).attempts == 2
    out = StringIO()
    call_command("billing", "check", stdout=out)
    assert out.getvalue().startswith("OK: 1 account(s), ledger = balance;")
