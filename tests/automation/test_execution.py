"""Executions run inline (what a worker does), with the fake AI functions through the real engine."""

from datetime import timedelta

import pytest
from django.utils import timezone

from igny8.accounts.models import Account
from igny8.ai.models import AIRun
from igny8.automation import events, execution, locks, services
from igny8.automation.models import ScheduledTask, SiteLock, Source, TaskStatus, Trigger
from igny8.core.errors import InsufficientCredits
from igny8.planner.models import Cluster, ContentIdea
from igny8.writer.models import Content, Image, Task
from tests.automation.conftest import CHAIN, add_keywords, run_pending


def make_rule(tenant, actions=CHAIN, **extra):
    return services.rule_create(
        account=tenant.account, site=tenant.site, name="Chain", actions=actions, **extra
    )


def credits(tenant) -> int:
    return Account.objects.values_list("credits", flat=True).get(pk=tenant.account.pk)


def test_one_event_runs_the_whole_chain_on_what_each_step_produced(
    alice, sent, django_capture_on_commit_callbacks
):
    rule = make_rule(alice, trigger=Trigger.EVENT, event_type="keywords_imported")
    old = add_keywords(alice, "old keyword")  # not part of the import: left alone
    ids = add_keywords(alice, "v60 recipe", "v60 grind", "aeropress recipe")
    before = credits(alice)
    with django_capture_on_commit_callbacks(execute=True):
        events.emit(
            account=alice.account,
            site=alice.site,
            event_type="keywords_imported",
            context={"keyword_ids": ids},
        )
    assert run_pending() == [TaskStatus.COMPLETED]
    task = ScheduledTask.objects.get(rule=rule)
    assert (task.source, task.status, task.percentage, task.current_index, task.total_actions) == (
        Source.EVENT,
        "completed",
        100,
        4,
        4,
    )
    assert sorted(Cluster.objects.values_list("name", flat=True)) == ["aeropress", "v60"]
    assert Cluster.objects.filter(keywords__pk=old[0]).count() == 0
    assert ContentIdea.objects.count() == 4 and Task.objects.count() == 4
    assert Content.objects.count() == 4
    assert Image.objects.filter(status="generated").count() == 8
    assert [(r["type"], r["status"]) for r in task.results] == [
        ("cluster_keywords", "success"),
        ("generate_ideas", "success"),
        ("generate_content", "success"),
        ("generate_images", "success"),
    ]
    assert task.results[1]["counts"] == {"clusters": 2, "ideas": 4, "tasks_queued": 4}
    # 1 clustering call (10) + 2 clusters' ideas (15) + 4 articles (50) + 4 prompt sets (1) + 8 images (1)
    assert task.credits_used == 10 + 2 * 15 + 4 * 50 + 4 * 1 + 8 * 1 == before - credits(alice)
    assert AIRun.objects.filter(status="success").count() == 5
    assert (rule.__class__.objects.get(pk=rule.pk).execution_count, SiteLock.objects.count()) == (1, 0)


def test_record_conditions_filter_what_a_step_selects(alice, sent):
    rule = make_rule(
        alice,
        actions=[{"type": "generate_content", "params": {}}],
        conditions=[{"field": "task.word_count_target", "operator": "greater_than", "value": 1000}],
    )
    long = Task.objects.create(account=alice.account, site=alice.site, title="Long", word_count_target=2000)
    Task.objects.create(account=alice.account, site=alice.site, title="Short", word_count_target=500)
    services.rule_execute(rule=rule)
    assert run_pending() == ["completed"]
    assert list(Content.objects.values_list("task_id", flat=True)) == [long.pk]


def test_trigger_conditions_gate_the_execution(alice, sent):
    rule = make_rule(alice, conditions=[{"field": "trigger.count", "operator": "greater_than", "value": 5}])
    services.rule_execute(rule=rule, context={"keyword_ids": add_keywords(alice, "a b")})
    assert run_pending() == ["completed"]
    task = ScheduledTask.objects.get()
    assert (task.message, task.results, AIRun.objects.count()) == (
        "Skipped: the rule's conditions are not met.",
        [],
        0,
    )


def test_a_failing_action_is_recorded_and_the_run_partially_completed(alice, sent):
    rule = make_rule(
        alice, actions=[{"type": "generate_content", "params": {}}, {"type": "generate_images", "params": {}}]
    )
    Task.objects.create(account=alice.account, site=alice.site, title="Good")
    Task.objects.create(account=alice.account, site=alice.site, title="FAIL me")
    services.rule_execute(rule=rule)
    assert run_pending() == ["partially_completed"]
    task = ScheduledTask.objects.get()
    assert [(r["type"], r["status"]) for r in task.results] == [
        ("generate_content", "partial"),
        ("generate_images", "success"),
    ]
    assert task.results[0]["error"].endswith("1 item(s) failed in run " + task.results[0]["runs"][0] + ".")
    assert Image.objects.filter(status="generated").count() == 2


def test_an_action_failing_outright_fails_the_run(alice, sent):
    rule = make_rule(alice, actions=[{"type": "generate_content", "params": {}}])
    Task.objects.create(account=alice.account, site=alice.site, title="FAIL only")
    services.rule_execute(rule=rule)
    assert run_pending() == ["failed"]
    task = ScheduledTask.objects.get()
    assert task.error_message == "generate_content: cannot write FAIL only"
    assert task.results[0]["status"] == "failed"


def test_credit_estimate_plus_buffer_is_required(alice, sent):
    rule = make_rule(alice, actions=[{"type": "generate_content", "params": {}}])
    for number in range(3):
        Task.objects.create(account=alice.account, site=alice.site, title=f"T{number}")
    Account.objects.filter(pk=alice.account.pk).update(credits=160)  # 3 x 50 = 150, +10 % = 165
    with pytest.raises(InsufficientCredits) as refused:
        services.rule_execute(rule=rule)
    assert str(refused.value) == (
        "This needs 165 credits; the account holds 160. Add credits or select fewer items."
    )
    assert ScheduledTask.objects.count() == 0


def test_credit_cap_stops_before_the_batch_that_would_pass_it(alice, sent):
    rule = make_rule(
        alice, actions=[{"type": "generate_content", "params": {"batch_size": 1}}], max_credits_per_run=100
    )
    for number in range(3):
        Task.objects.create(account=alice.account, site=alice.site, title=f"T{number}")
    services.rule_execute(rule=rule)
    assert run_pending() == ["partially_completed"]
    task = ScheduledTask.objects.get()
    assert (task.credits_estimated, task.credits_used, Content.objects.count()) == (100, 100, 2)
    assert task.results[0]["error"] == "Stopped: the next batch needs 50 credits and the rule's cap leaves 0."


def test_one_execution_per_site_the_second_waits_and_is_handed_over(alice, sent):
    rule = make_rule(alice, actions=[{"type": "generate_content", "params": {}}])
    first = services.rule_execute(rule=rule)
    second = services.rule_execute(rule=rule)
    assert locks.acquire(task=first)
    ScheduledTask.objects.filter(pk=first.pk).update(status="running", heartbeat_at=timezone.now())
    assert execution.execute(task_id=second.pk) is None  # site busy: stays pending
    assert ScheduledTask.objects.get(pk=second.pk).status == "pending"
    sent.clear()
    locks.release(task_id=first.pk)
    ScheduledTask.objects.filter(pk=first.pk).update(status="completed")
    from igny8.automation import dispatch

    assert dispatch.kick(site_id=alice.site.pk) == second.pk
    assert sent == [second.pk]
    assert execution.execute(task_id=second.pk) == "completed"


def test_stale_lock_and_running_execution_are_recovered_by_the_sweep(alice, sent, settings):
    settings.AUTOMATION_STALE_SECONDS = 60
    rule = make_rule(alice, actions=[{"type": "generate_content", "params": {}}])
    Task.objects.create(account=alice.account, site=alice.site, title="T")
    task = services.rule_execute(rule=rule)
    assert execution.claim(task_id=task.pk) == alice.site.pk  # a worker claimed it, then was SIGKILLed
    assert ScheduledTask.objects.get(pk=task.pk).status == "running"
    assert SiteLock.objects.filter(task=task).exists()
    later = timezone.now() + timedelta(seconds=61)
    assert services.sweep(now=timezone.now()) == {
        "requeued": 0,
        "failed": 0,
        "locks_released": 0,
        "kicked": 0,
    }
    assert services.sweep(now=later) == {"requeued": 1, "failed": 0, "locks_released": 0, "kicked": 0}
    assert (ScheduledTask.objects.get(pk=task.pk).status, SiteLock.objects.count()) == ("pending", 0)
    assert execution.execute(task_id=task.pk) == "completed"
    done = ScheduledTask.objects.get(pk=task.pk)
    assert (done.attempts, Content.objects.count()) == (2, 1)


def test_the_sweep_hands_a_waiting_execution_over_once_per_stale_window(alice, sent, settings):
    """A pending execution whose message waits behind busy workers is not sent again on every
    pass (the backlog would grow by one message per waiting execution per pass): once, then again
    only after AUTOMATION_STALE_SECONDS without a worker taking it (its message may be lost)."""
    settings.AUTOMATION_STALE_SECONDS = 120
    rule = make_rule(alice, actions=[{"type": "generate_content", "params": {}}])
    task = services.rule_execute(rule=rule)
    sent.clear()
    start = timezone.now() + timedelta(seconds=31)  # pending longer than the sweep's 30 s grace
    passes = [start + timedelta(seconds=60 * n) for n in range(5)]  # beat's pass every minute
    kicked = [services.sweep(now=when)["kicked"] for when in passes]
    assert kicked == [1, 0, 0, 1, 0]  # at 0 s, then 180 s (more than 120 s after the first)
    assert sent == [task.pk, task.pk]


def test_given_up_after_max_attempts(alice, sent, settings):
    settings.AUTOMATION_MAX_ATTEMPTS = 1
    rule = make_rule(alice, actions=[{"type": "generate_content", "params": {}}])
    task = services.rule_execute(rule=rule)
    execution.claim(task_id=task.pk)
    services.sweep(now=timezone.now() + timedelta(hours=1))
    task.refresh_from_db()
    assert (task.status, task.error_message) == (
        "failed",
        "The worker stopped during this execution 1 time(s); it was given up.",
    )


def test_pause_resume_and_cancel_take_effect_after_the_current_item(alice, sent, monkeypatch):
    rule = make_rule(alice, actions=[{"type": "generate_content", "params": {"batch_size": 1}}])
    for number in range(3):
        Task.objects.create(account=alice.account, site=alice.site, title=f"T{number}")
    task = services.rule_execute(rule=rule)
    from tests.automation import fakes

    original = fakes.FakeContent.save_output

    def pause_after_first(self, ctx, item, output):
        summary = original(self, ctx, item, output)
        if Content.objects.count() == 1:
            services.execution_pause(task=ScheduledTask.objects.get(pk=task.pk))
        return summary

    monkeypatch.setattr(fakes.FakeContent, "save_output", pause_after_first)
    assert execution.execute(task_id=task.pk) == "paused"
    assert (Content.objects.count(), SiteLock.objects.count()) == (1, 0)
    services.execution_resume(task=ScheduledTask.objects.get(pk=task.pk))
    assert execution.execute(task_id=task.pk) == "completed"
    assert Content.objects.count() == 3
    assert [r["status"] for r in ScheduledTask.objects.get(pk=task.pk).results] == ["success"]

    other = services.rule_execute(rule=rule)
    assert services.execution_cancel(task=other).status == "cancelled"


def test_unavailable_and_unknown_actions_are_refused_at_save(alice, monkeypatch):
    from igny8.automation.actions import registry
    from igny8.core.errors import Invalid

    monkeypatch.delitem(registry.ACTIONS, "publish_to_wordpress")  # as before publishing registers it
    with pytest.raises(Invalid) as refused:
        make_rule(alice, actions=[{"type": "publish_to_wordpress", "params": {}}])
    assert refused.value.errors["actions"] == [
        "actions[0]: publish_to_wordpress is not available yet: it arrives with the publishing module."
    ]
    with pytest.raises(Invalid) as refused:
        make_rule(alice, actions=[{"type": "generate_content", "params": {"batch_size": "big"}}])
    assert refused.value.errors["actions"] == ["actions[0].params.batch_size must be int; got 'big'."]


def test_cleanup_removes_only_old_finished_executions(alice, sent):
    rule = make_rule(alice, actions=[{"type": "generate_content", "params": {}}])
    old, recent, waiting = (services.rule_execute(rule=rule) for _ in range(3))
    now = timezone.now()
    ScheduledTask.objects.filter(pk=old.pk).update(status="completed", finished_at=now - timedelta(days=31))
    ScheduledTask.objects.filter(pk=recent.pk).update(status="failed", finished_at=now - timedelta(days=29))
    assert services.cleanup(now=now) == 1
    assert sorted(ScheduledTask.objects.values_list("pk", flat=True)) == sorted([recent.pk, waiting.pk])


def test_events_from_inside_an_execution_do_not_retrigger_the_running_rule(
    alice, sent, django_capture_on_commit_callbacks
):
    rule = make_rule(
        alice,
        trigger=Trigger.EVENT,
        event_type="content_generated",
        actions=[{"type": "generate_images", "params": {}}],
    )
    task = services.rule_execute(rule=rule)
    token = execution.current_execution.set(task)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            events.emit(account=alice.account, site=alice.site, event_type="content_generated", context={})
    finally:
        execution.current_execution.reset(token)
    assert ScheduledTask.objects.count() == 1


def test_a_refused_batch_is_recorded_as_readable_text(alice):
    """A 400 at run creation (the function's validate) is stored as its message, not a Python repr."""
    from igny8.automation.actions.base import Step
    from igny8.automation.actions.common import run_batches
    from igny8.core.errors import Invalid

    def refuse(function_name, payload, *, span):
        raise Invalid(errors={"ids": ["Auto-clustering needs at least 5 keywords; 3 were selected."]})

    step = Step(
        account=alice.account,
        site=alice.site,
        params={},
        ids={},
        conditions={},
        run_ai=refuse,
        should_stop=lambda: False,
        report=lambda fraction, message: None,
        sleep=lambda seconds: True,
        credits_left=lambda: None,
    )
    result = run_batches(step, function_name="auto_cluster", ids=[1, 2, 3])
    assert (result.status, result.error) == (
        "failed",
        "ids: Auto-clustering needs at least 5 keywords; 3 were selected.",
    )
