"""What the two-worker chaos test (tests/chaos) found, pinned one by one without real workers."""

from datetime import timedelta

from django.utils import timezone

from igny8.ai import engine
from igny8.ai import services as ai_services
from igny8.ai.models import AIRun, AIRunItem
from igny8.ai.run_items import WORKER_DIED
from igny8.automation import execution, services
from igny8.automation.models import ScheduledTask
from igny8.writer.models import Content, Task
from tests.automation.crash import billing_check, execute_until_killed


def batch_rule(tenant, *, tasks: int) -> ScheduledTask:
    """An executed rule writing the site's tasks, one task per run."""
    for number in range(tasks):
        Task.objects.create(account=tenant.account, site=tenant.site, title=f"T{number}")
    rule = services.rule_create(
        account=tenant.account,
        site=tenant.site,
        name="Write",
        actions=[{"type": "generate_content", "params": {"batch_size": 1}}],
    )
    return services.rule_execute(rule=rule)


def test_a_run_the_ai_sweep_finished_is_not_started_again_by_the_re_queued_execution(
    alice, sent, settings, monkeypatch
):
    """The worker running an execution dies while an item of its AI run is with the provider. The
    AI sweep re-queues that run and another worker finishes it first (the item fails: it may have
    been paid); only then does the re-queued execution go on. It keeps its selection, and the run
    it started on that task has ended: that run is the batch's outcome, not a reason to start a
    second run that sends the task to the provider again (issue 12: at most one call per item)."""
    row = batch_rule(alice, tasks=3)
    execute_until_killed(monkeypatch, task_id=row.pk, when=lambda: Content.objects.count() == 1)
    second = AIRun.objects.order_by("pk").last()
    assert (second.status, AIRunItem.objects.get(run=second).status) == ("running", "calling")

    # Beat: the AI sweep re-queues the silent run, and a worker (run_ai_task) finishes it first.
    later = timezone.now() + timedelta(seconds=settings.AI_RUN_STALE_SECONDS + 1)
    assert ai_services.runs_sweep(now=later)["requeued"] == 1
    engine.claim_and_execute(AIRun.objects.get(pk=second.pk))
    second.refresh_from_db()
    assert (second.status, second.items_failed) == ("failed", 1)
    # Then the automation sweep re-queues the execution, and a worker goes on with it.
    later = timezone.now() + timedelta(seconds=settings.AUTOMATION_STALE_SECONDS + 1)
    assert services.sweep(now=later)["requeued"] == 1
    assert execution.execute(task_id=row.pk) == "partially_completed"

    tasks = list(Task.objects.order_by("pk").values_list("pk", flat=True))
    assert sorted(pk for run in AIRun.objects.all() for pk in run.payload["ids"]) == tasks  # one run each
    assert sorted(Content.objects.values_list("task_id", flat=True)) == [tasks[0], tasks[2]]
    assert list(AIRunItem.objects.order_by("run_id").values_list("status", "error")) == [
        ("success", ""),
        ("failed", WORKER_DIED),
        ("success", ""),
    ]
    done = ScheduledTask.objects.get(pk=row.pk)
    runs = list(AIRun.objects.order_by("pk").values_list("task_id", flat=True))
    # Every batch's run: the first attempt's, the one the sweep finished (adopted, not re-run),
    # then the third; the result's credits are the execution's.
    assert (done.credits_used, done.attempts, done.results[0]["runs"]) == (100, 2, runs)
    assert done.results[0]["credits_used"] == 100
    assert (done.results[0]["status"], done.results[0]["error"]) == ("partial", WORKER_DIED)
    assert billing_check().startswith("OK: 1 account(s), ledger = balance;")


def test_a_run_that_ends_between_the_check_and_the_new_run_is_not_sent_again(
    alice, sent, settings, monkeypatch
):
    """The race the two-worker chaos test hit once (one task in two runs): the re-queued execution
    reads its ended items while the AI sweep's worker is still finishing the dead attempt's run;
    that run ends and lets go of the task before the new run takes it. The new run is rolled back
    (holds, reservation) and the task is not sent to the provider again."""
    row = batch_rule(alice, tasks=1)
    execute_until_killed(monkeypatch, task_id=row.pk)
    first = AIRun.objects.get()
    later = timezone.now() + timedelta(seconds=settings.AI_RUN_STALE_SECONDS + 1)
    assert ai_services.runs_sweep(now=later)["requeued"] == 1
    engine.claim_and_execute(AIRun.objects.get(pk=first.pk))  # ended: its item failed, worker died
    # The execution's first read of its ended items happened before that run ended.
    real = execution.Execution.ended_items
    reads: list[int] = []

    def read_before_it_ended(self, function_name):
        reads.append(1)
        return {} if len(reads) == 1 else real(self, function_name)

    monkeypatch.setattr(execution.Execution, "ended_items", read_before_it_ended)
    later = timezone.now() + timedelta(seconds=settings.AUTOMATION_STALE_SECONDS + 1)
    assert services.sweep(now=later)["requeued"] == 1
    assert execution.execute(task_id=row.pk) == "failed"

    assert AIRun.objects.count() == 1  # no second run on the task
    assert list(AIRunItem.objects.values_list("status", "error")) == [("failed", WORKER_DIED)]
    assert Content.objects.count() == 0
    assert len(reads) == 3  # the stale read, the check under the new run's holds, the read again
    assert billing_check().startswith("OK:")
