"""Automation and issue 12: records another run holds are skipped, not failed (point 6); an
execution keeps the records it chose through pause, resume, crash and re-queue (point 3)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from igny8.ai import services as ai_services
from igny8.ai.models import AIRun, AIRunHold, AIRunItem
from igny8.ai.run_items import WORKER_DIED
from igny8.automation import execution, services
from igny8.automation.models import ScheduledTask
from igny8.planner.models import Cluster, ContentIdea
from igny8.writer.models import Content, Task
from tests.automation import fakes
from tests.automation.conftest import run_pending
from tests.automation.crash import Killed, billing_check, execute_until_killed


def test_an_action_whose_records_another_run_holds_is_skipped_not_failed(alice, sent):
    task = Task.objects.create(account=alice.account, site=alice.site, title="Held")
    manual = ai_services.run_start(
        account=alice.account, site=alice.site, function_name="generate_content", payload={"ids": [task.pk]}
    )
    rule = services.rule_create(
        account=alice.account,
        site=alice.site,
        name="Writer",
        actions=[{"type": "generate_content", "params": {}}, {"type": "generate_images", "params": {}}],
    )
    services.rule_execute(rule=rule)
    assert run_pending() == ["completed"]
    execution = ScheduledTask.objects.get()
    assert [(r["type"], r["status"]) for r in execution.results] == [
        ("generate_content", "skipped"),
        ("generate_images", "skipped"),
    ]
    assert execution.results[0]["message"] == (
        f"Skipped: Run {manual.task_id} (generate_content, pending) is already working on tasks {task.pk}; "
        "wait for it to finish or cancel it."
    )
    assert (execution.error_message, execution.credits_used, Content.objects.count()) == ("", 0, 0)


def content_rule(tenant, tasks: int, **params):
    for number in range(tasks):
        Task.objects.create(account=tenant.account, site=tenant.site, title=f"T{number}")
    return services.rule_create(
        account=tenant.account,
        site=tenant.site,
        name="Write",
        actions=[{"type": "generate_content", "params": {"max_items": 3, "batch_size": 1, **params}}],
    )


def billing_ok() -> bool:
    return billing_check().startswith("OK:")


def test_pause_and_resume_keep_the_selection_the_cap_and_the_results(alice, sent, monkeypatch):
    rule = content_rule(alice, tasks=5)
    execution_row = services.rule_execute(rule=rule)
    original = fakes.FakeContent.save_output
    bar: list[int] = []

    def pause_after_first(self, ctx, item, output):
        summary = original(self, ctx, item, output)
        bar.append(ScheduledTask.objects.get(pk=execution_row.pk).percentage)
        if Content.objects.count() == 1:
            services.execution_pause(task=ScheduledTask.objects.get(pk=execution_row.pk))
        return summary

    monkeypatch.setattr(fakes.FakeContent, "save_output", pause_after_first)
    assert execution.execute(task_id=execution_row.pk) == "paused"
    paused_at = ScheduledTask.objects.get(pk=execution_row.pk).percentage
    # A new task arriving while paused is not this execution's: it chose its three.
    Task.objects.create(account=alice.account, site=alice.site, title="Later")
    services.execution_resume(task=ScheduledTask.objects.get(pk=execution_row.pk))
    assert execution.execute(task_id=execution_row.pk) == "completed"

    first_three = list(Task.objects.order_by("pk").values_list("pk", flat=True)[:3])
    assert sorted(Content.objects.values_list("task_id", flat=True)) == first_three
    done = ScheduledTask.objects.get(pk=execution_row.pk)
    assert (done.credits_used, done.percentage) == (150, 100)
    assert done.state["chosen"] == {"0": first_three}
    [entry] = done.results
    assert (entry["status"], entry["credits_used"], len(entry["runs"])) == ("success", 150, 3)
    assert bar == sorted(bar) and min(bar[1:]) >= paused_at  # never backwards
    assert billing_ok()


def test_a_crashed_execution_re_queued_continues_its_own_selection(alice, sent, settings, monkeypatch):
    rule = content_rule(alice, tasks=5)
    execution_row = services.rule_execute(rule=rule)
    execute_until_killed(monkeypatch, task_id=execution_row.pk, when=lambda: Content.objects.count() == 1)
    later = timezone.now() + timedelta(seconds=settings.AUTOMATION_STALE_SECONDS + 1)
    assert services.sweep(now=later)["requeued"] == 1
    # Time passes: the dead worker's AI run has stopped beating, so the next attempt takes it over.
    AIRun.objects.update(heartbeat_at=timezone.now() - timedelta(minutes=5))
    assert execution.execute(task_id=execution_row.pk) == "partially_completed"

    tasks = list(Task.objects.order_by("pk").values_list("pk", flat=True))
    # Never past max_items 3: tasks 4 and 5 untouched; the one being saved when the worker died
    # failed with the reason and was not sent again; one run per task, one provider call per item.
    assert sorted(Content.objects.values_list("task_id", flat=True)) == [tasks[0], tasks[2]]
    assert sorted(pk for run in AIRun.objects.all() for pk in run.payload["ids"]) == tasks[:3]
    assert list(AIRunItem.objects.order_by("run_id").values_list("status", flat=True)) == [
        "success",
        "failed",
        "success",
    ]
    assert AIRunItem.objects.get(status="failed").error == WORKER_DIED
    done = ScheduledTask.objects.get(pk=execution_row.pk)
    assert (done.credits_used, done.attempts) == (100, 2)
    assert billing_ok()


def test_an_action_with_nothing_to_do_is_skipped_and_the_next_works_on_what_the_site_has(alice, sent):
    """Issue 12, point 4: no new keywords, but three clusters an earlier run made still lack ideas."""
    clusters = [
        Cluster.objects.create(account=alice.account, site=alice.site, name=name) for name in ("a", "b", "c")
    ]
    rule = services.rule_create(
        account=alice.account,
        site=alice.site,
        name="Plan",
        actions=[{"type": "cluster_keywords", "params": {}}, {"type": "generate_ideas", "params": {}}],
    )
    services.rule_execute(rule=rule)
    assert run_pending() == ["completed"]
    done = ScheduledTask.objects.get()
    first = done.results[0]
    assert (first["type"], first["status"], first["message"]) == (
        "cluster_keywords",
        "skipped",
        "Nothing to do.",
    )
    assert done.results[1]["status"] == "success"
    assert sorted(ContentIdea.objects.values_list("cluster_id", flat=True)) == sorted(
        [c.pk for c in clusters] * 2
    )


def test_a_run_another_worker_is_beating_is_watched_not_taken_over(alice, sent, monkeypatch):
    """The AI sweep handed the execution's run to a Celery worker, which is running it: the
    execution's next attempt waits for it instead of running the same items a second time."""
    from igny8.automation import runner

    task = Task.objects.create(account=alice.account, site=alice.site, title="Busy")
    run = ai_services.run_create(
        account=alice.account, site=alice.site, function_name="generate_content", payload={"ids": [task.pk]}
    )
    AIRun.objects.filter(pk=run.pk).update(status="running", attempts=2, heartbeat_at=timezone.now())
    watched = []

    def poll(seen):
        watched.append(seen.status)
        if len(watched) == 2:  # the other worker finishes meanwhile
            AIRun.objects.filter(pk=run.pk).update(status="success", items_succeeded=1)
        return False

    monkeypatch.setattr(runner.conf, "poll_seconds", lambda: 0.01)
    ended = runner.run_function(
        account=alice.account,
        site=alice.site,
        function_name="generate_content",
        payload={"ids": [task.pk]},
        poll=poll,
        own_runs=[run.task_id],
    )
    assert (ended.pk, ended.status, ended.attempts, watched) == (run.pk, "success", 2, ["running", "running"])
    assert AIRunItem.objects.count() == 0  # nothing of it ran here


def test_a_run_left_open_after_its_last_item_was_saved_is_closed_when_the_execution_resumes(
    alice, sent, settings, monkeypatch
):
    """The window the AI sweep used to close alone: the worker died after the run saved its last
    item and before it closed the run. The action does not pick the saved record again, so the
    resumed execution closes that run itself (settled, holds released) and counts it."""
    from igny8.ai import engine

    rule = content_rule(alice, tasks=3)  # max_items 3, one task per run
    row = services.rule_execute(rule=rule)
    finish = engine.Engine._finish
    killed: list[str] = []

    def killed_before_closing(self, status, **kwargs):
        if not killed:
            killed.append(status)
            raise Killed
        return finish(self, status, **kwargs)

    monkeypatch.setattr(engine.Engine, "_finish", killed_before_closing)
    with pytest.raises(Killed):
        execution.execute(task_id=row.pk)
    first = AIRun.objects.get()
    assert (first.status, first.total, first.items_succeeded, Content.objects.count()) == ("running", 1, 1, 1)
    assert AIRunHold.objects.filter(run=first).count() == 1
    later = timezone.now() + timedelta(seconds=settings.AUTOMATION_STALE_SECONDS + 1)
    assert services.sweep(now=later)["requeued"] == 1
    AIRun.objects.update(heartbeat_at=timezone.now() - timedelta(minutes=5))  # nobody beats it

    assert execution.execute(task_id=row.pk) == "completed"
    tasks = list(Task.objects.order_by("pk").values_list("pk", flat=True))
    assert sorted(Content.objects.values_list("task_id", flat=True)) == tasks
    assert [(run.status, run.items_succeeded, run.credits_used) for run in AIRun.objects.order_by("pk")] == [
        ("success", 1, 50),
        ("success", 1, 50),
        ("success", 1, 50),
    ]
    assert AIRunHold.objects.count() == 0
    done = ScheduledTask.objects.get(pk=row.pk)
    [entry] = done.results
    assert (entry["status"], entry["error"], entry["credits_used"]) == ("success", "", 150)
    assert entry["runs"] == list(AIRun.objects.order_by("pk").values_list("task_id", flat=True))
    assert entry["counts"] == {"tasks": 2, "content": 2, "items_saved_before_resume": 1}
    assert (done.credits_used, done.attempts) == (150, 2)
    assert billing_ok()


def test_a_worker_dying_between_batches_leaves_every_run_on_the_resumed_result(
    alice, sent, settings, monkeypatch
):
    """The first batch's run ended, the worker died as the second began (before its run existed):
    the resumed attempt writes the last two, and the action's result still lists all three runs,
    their credits and the item saved before the resume, as the execution's credits do."""
    rule = content_rule(alice, tasks=3)  # max_items 3, one task per run
    row = services.rule_execute(rule=rule)
    note_run = execution.Execution.note_run
    noted: list[str] = []

    def killed_at_the_second_run(self, run):
        noted.append(run.task_id)
        if len(noted) == 2:
            raise Killed
        return note_run(self, run)

    monkeypatch.setattr(execution.Execution, "note_run", killed_at_the_second_run)
    with pytest.raises(Killed):
        execution.execute(task_id=row.pk)
    assert (AIRun.objects.count(), Content.objects.count()) == (1, 1)
    monkeypatch.setattr(execution.Execution, "note_run", note_run)
    later = timezone.now() + timedelta(seconds=settings.AUTOMATION_STALE_SECONDS + 1)
    assert services.sweep(now=later)["requeued"] == 1

    assert execution.execute(task_id=row.pk) == "completed"
    assert Content.objects.count() == 3
    done = ScheduledTask.objects.get(pk=row.pk)
    [entry] = done.results
    assert entry["runs"] == list(AIRun.objects.order_by("pk").values_list("task_id", flat=True))
    assert (entry["status"], entry["credits_used"], done.credits_used) == ("success", 150, 150)
    assert entry["counts"] == {"tasks": 2, "content": 2, "items_saved_before_resume": 1}
    assert billing_ok()
