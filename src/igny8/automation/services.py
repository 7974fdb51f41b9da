"""Writes: rules (create, update, secret rotation), executions (trigger, cancel, pause, resume,
re-run), the beat's scheduled start, the sweep that recovers what a dead worker left, cleanup."""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from igny8.accounts.models import Account, Site, User
from igny8.automation import conf, credits, dispatch, engine, locks, scheduling
from igny8.automation.models import (
    FINISHED,
    AutomationRule,
    Control,
    RuleStatus,
    ScheduledTask,
    SiteLock,
    Source,
    TaskStatus,
    Trigger,
    WebhookDelivery,
)
from igny8.automation.validation import rule_check
from igny8.core import jobs
from igny8.core.errors import Conflict, Invalid

log = logging.getLogger(__name__)


# -- rules ---------------------------------------------------------------------------------------
def _next_run(rule: AutomationRule, *, now: datetime) -> datetime | None:
    if rule.trigger != Trigger.SCHEDULE or not rule.schedule:
        return None
    return scheduling.next_runs(rule.schedule, rule.timezone, after=now, count=1)[0]


@transaction.atomic
def rule_create(*, account: Account, **data) -> AutomationRule:
    data.update(rule_check(data=data))
    rule = AutomationRule(account=account, webhook_secret={"secret": secrets.token_hex(32)}, **data)
    rule.next_run_at = _next_run(rule, now=timezone.now())
    rule.save()
    return rule


@transaction.atomic
def rule_update(*, instance: AutomationRule, **data) -> AutomationRule:
    for name, value in data.items():
        setattr(instance, name, value)
    fields = {
        f: getattr(instance, f)
        for f in ("conditions", "actions", "trigger", "schedule", "timezone", "event_type")
    }
    cleaned = rule_check(data=fields)
    instance.actions, instance.schedule = cleaned["actions"], cleaned["schedule"]
    instance.conditions = cleaned["conditions"]
    instance.next_run_at = _next_run(instance, now=timezone.now())
    instance.save()
    return instance


@transaction.atomic
def rule_rotate_secret(*, rule: AutomationRule) -> str:
    secret = secrets.token_hex(32)
    rule.webhook_secret = {"secret": secret}
    rule.save(update_fields=["webhook_secret", "updated_at"])
    return secret


# -- executions ----------------------------------------------------------------------------------
def execution_site(*, rule: AutomationRule, site_id) -> Site:
    """The rule's site, or for a rule bound to no site the site named by the caller (404 if it is
    not one of the rule's account)."""
    from igny8.accounts.access import access_site

    if rule.site_id is not None:
        if site_id not in (None, "", rule.site_id):
            raise Conflict("This rule is bound to its own site; leave site_id out.")
        return rule.site
    if site_id in (None, ""):
        raise Invalid(errors={"site_id": ["This rule is bound to no site: name one."]})
    return access_site(account=rule.account, site_id=site_id)


@transaction.atomic
def execution_create(
    *,
    rule: AutomationRule,
    site: Site,
    source: str,
    context: dict | None = None,
    user: User | None = None,
    scheduled_at: datetime | None = None,
    check_credits: bool = True,
    rerun_of: ScheduledTask | None = None,
) -> ScheduledTask:
    """A pending execution, handed to a worker after commit. Manual, webhook and re-run triggers
    are refused (402) unless the account holds the credit estimate plus the buffer; scheduled and
    event executions are checked when they start (and fail with the reason)."""
    context = dict(context or {})
    problem = engine.context_problems(context)
    if problem:
        raise Invalid(errors={"context": [problem]})
    estimated = credits.estimate(rule=rule, site=site, context=context)
    if check_credits:
        credits.check(account=rule.account, estimated=estimated)
    task = ScheduledTask.objects.create(
        account=rule.account,
        rule=rule,
        site=site,
        created_by=user,
        source=source,
        context=context,
        scheduled_at=scheduled_at or timezone.now(),
        credits_estimated=estimated,
        total_actions=len(rule.actions),
        rerun_of=rerun_of,
        message="Queued.",
    )
    dispatch.enqueue(task.pk)
    return task


def rule_execute(
    *,
    rule: AutomationRule,
    site_id=None,
    context: dict | None = None,
    user: User | None = None,
    source: str = Source.MANUAL,
) -> ScheduledTask:
    if not rule.runnable:
        raise Conflict(
            f"This rule is {rule.status if rule.is_active else 'switched off'}; activate it first."
        )
    site = execution_site(rule=rule, site_id=site_id)
    return execution_create(rule=rule, site=site, source=source, context=context, user=user)


@transaction.atomic
def execution_cancel(*, task: ScheduledTask) -> ScheduledTask:
    """Pending or paused: cancelled now. Running: after its current item."""
    if task.status in FINISHED:
        raise Conflict(f"This execution already ended ({task.status}).")
    now = timezone.now()
    ended = ScheduledTask.objects.filter(
        pk=task.pk, status__in=[TaskStatus.PENDING, TaskStatus.PAUSED]
    ).update(status=TaskStatus.CANCELLED, control="", finished_at=now, message="Cancelled.")
    if not ended:
        ScheduledTask.objects.filter(pk=task.pk, status=TaskStatus.RUNNING).update(
            control=Control.CANCEL, message="Cancelling after the current item..."
        )
    task.refresh_from_db()
    return task


@transaction.atomic
def execution_pause(*, task: ScheduledTask) -> ScheduledTask:
    if task.status not in (TaskStatus.PENDING, TaskStatus.RUNNING):
        raise Conflict(f"Only a pending or running execution can pause; this one is {task.status}.")
    if not ScheduledTask.objects.filter(pk=task.pk, status=TaskStatus.PENDING).update(
        status=TaskStatus.PAUSED, message="Paused."
    ):
        ScheduledTask.objects.filter(pk=task.pk, status=TaskStatus.RUNNING).update(
            control=Control.PAUSE, message="Pausing after the current item..."
        )
    task.refresh_from_db()
    return task


@transaction.atomic
def execution_resume(*, task: ScheduledTask) -> ScheduledTask:
    if task.status == TaskStatus.RUNNING and task.control == Control.PAUSE:
        ScheduledTask.objects.filter(pk=task.pk).update(control="", message="Resumed.")
    elif not ScheduledTask.objects.filter(pk=task.pk, status=TaskStatus.PAUSED).update(
        status=TaskStatus.PENDING, control="", message="Resumed: queued."
    ):
        raise Conflict(f"Only a paused execution can resume; this one is {task.status}.")
    else:
        dispatch.enqueue(task.pk)
    task.refresh_from_db()
    return task


def execution_rerun(*, task: ScheduledTask, user: User | None = None) -> ScheduledTask:
    if task.status not in FINISHED:
        raise Conflict(f"Only an ended execution can run again; this one is {task.status}.")
    return execution_create(
        rule=task.rule, site=task.site, source=Source.RERUN, context=task.context, user=user, rerun_of=task
    )


# -- the beat: scheduled rules -------------------------------------------------------------------
def rules_start_due(*, now: datetime | None = None) -> dict:
    """Starts every scheduled rule whose next run has come. Missed slots (no beat or no worker for
    a while) run once. Safe with several beats: the slot is claimed by a conditional UPDATE of
    next_run_at and the (rule, site, slot) unique constraint."""
    now = now or timezone.now()
    started = skipped = 0
    due_rules = (
        AutomationRule.objects.filter(trigger=Trigger.SCHEDULE, is_active=True, status=RuleStatus.ACTIVE)
        .filter(Q(next_run_at__lte=now) | Q(next_run_at__isnull=True))
        .select_related("account", "site")
    )
    for rule in due_rules:
        try:
            due = scheduling.due(rule.schedule, rule.timezone, next_run_at=rule.next_run_at, now=now)
        except scheduling.ScheduleError:
            log.warning("Rule %s has an invalid schedule; switched off", rule.pk)
            AutomationRule.objects.filter(pk=rule.pk).update(status=RuleStatus.INACTIVE)
            continue
        claimed = AutomationRule.objects.filter(pk=rule.pk, next_run_at=rule.next_run_at).update(
            next_run_at=due.next_run_at
        )
        if not claimed or not due.run:
            continue
        sites = (
            [rule.site] if rule.site_id else list(Site.objects.filter(account=rule.account, is_active=True))
        )
        for site in sites:
            if _start_slot(rule=rule, site=site, slot=due.slot, missed=due.missed):
                started += 1
            else:
                skipped += 1
    return {"started": started, "skipped": skipped}


def _start_slot(*, rule: AutomationRule, site: Site, slot: datetime, missed: int) -> bool:
    context = {"missed_slots": missed} if missed > 1 else {}
    try:
        execution_create(
            rule=rule,
            site=site,
            source=Source.SCHEDULE,
            context=context,
            scheduled_at=slot,
            check_credits=False,
        )
    except IntegrityError:
        return False
    return True


# -- the sweep and cleanup -------------------------------------------------------------------------
def sweep(*, now: datetime | None = None) -> dict:
    """Executions whose heartbeat went stale lost their worker (SIGKILL, crash, lost message):
    each goes back to pending (it resumes at the action it was in) while it has attempts left,
    else it fails; its site lock is released. Locks held by executions that are no longer running
    are released, and sites with a pending execution and no lock get it handed over again."""
    now = now or timezone.now()
    counts = {"requeued": 0, "failed": 0, "locks_released": 0, "kicked": 0}
    stale = jobs.stale(ScheduledTask, status=TaskStatus.RUNNING, seconds=conf.stale_seconds(), now=now)
    recovered = set()
    for task in stale:
        requeued = _recover(task=task, now=now)
        counts["requeued" if requeued else "failed"] += 1
        recovered.add(task.site_id)
    orphaned = SiteLock.objects.exclude(task__status=TaskStatus.RUNNING)
    counts["locks_released"] += orphaned.delete()[0]
    waiting_sites = (
        ScheduledTask.objects.filter(status=TaskStatus.PENDING, created_at__lt=now - timedelta(seconds=30))
        .values_list("site_id", flat=True)
        .distinct()
    )
    for site_id in set(waiting_sites) - recovered:
        with transaction.atomic():
            kicked = dispatch.kick(site_id=site_id, again_after=conf.stale_seconds(), now=now)
            counts["kicked"] += kicked is not None
    return counts


@transaction.atomic
def _recover(*, task: ScheduledTask, now: datetime) -> bool:
    """True when the execution was re-queued, False when it was given up."""
    seen = {"status": TaskStatus.RUNNING, "heartbeat_at": task.heartbeat_at}  # nobody beat meanwhile
    locks.release(task_id=task.pk)
    if task.control == Control.CANCEL:
        jobs.claim(
            ScheduledTask,
            pk=task.pk,
            seen=seen,
            status=TaskStatus.CANCELLED,
            control="",
            finished_at=now,
            message="Cancelled (its worker stopped).",
        )
        return False
    if task.attempts >= conf.max_attempts():
        error = f"The worker stopped during this execution {task.attempts} time(s); it was given up."
        jobs.claim(
            ScheduledTask,
            pk=task.pk,
            seen=seen,
            status=TaskStatus.FAILED,
            error_message=error,
            message=f"Failed: {error}",
            finished_at=now,
        )
        return False
    moved = jobs.claim(
        ScheduledTask,
        pk=task.pk,
        seen=seen,
        status=TaskStatus.PENDING if task.control != Control.PAUSE else TaskStatus.PAUSED,
        control="",
        heartbeat_at=now,
        message="Re-queued: the worker stopped during the execution.",
    )
    if moved and task.control != Control.PAUSE:
        dispatch.enqueue(task.pk)
    return bool(moved)


def cleanup(*, now: datetime | None = None) -> int:
    """Deletes ended executions older than AUTOMATION_RETENTION_DAYS (30)."""
    cutoff = (now or timezone.now()) - timedelta(days=conf.retention_days())
    old = ScheduledTask.objects.filter(status__in=FINISHED).filter(
        Q(finished_at__lt=cutoff) | Q(finished_at__isnull=True, created_at__lt=cutoff)
    )
    _, deleted = old.delete()
    return deleted.get(ScheduledTask._meta.label, 0)


def webhook_deliveries_prune(*, now: datetime | None = None) -> int:
    """Deletes deliveries whose timestamp the tolerance check refuses anyway. Twice the window, so
    a worker whose clock runs ahead of the web processes' cannot reopen a replay."""
    cutoff = (now or timezone.now()) - timedelta(seconds=2 * conf.webhook_tolerance_seconds())
    deleted, _ = WebhookDelivery.objects.filter(signed_at__lt=cutoff).delete()
    return deleted
