"""Handing executions to Celery. Always after commit, so the worker finds the row; a broker that
is down leaves the row pending, and the sweep hands it over again."""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from igny8.automation.models import ScheduledTask, SiteLock, TaskStatus
from igny8.core import jobs

log = logging.getLogger(__name__)


EXECUTE_TASK = "igny8.automation.tasks.execute_scheduled_task"


def send(task_id: int) -> None:
    """By name (core.jobs): the dispatcher does not import the task module that imports it back."""
    jobs.send(task_name=EXECUTE_TASK, args=[task_id])


def enqueue(task_id: int) -> None:
    transaction.on_commit(lambda: send(task_id))


def kick(*, site_id: int, again_after: float | None = None, now: datetime | None = None) -> int | None:
    """Hands the site's oldest pending execution to a worker when nobody holds the site.

    `again_after` (the sweep's): only when it was not handed over in the last that many seconds.
    Its message may simply wait in the queue behind busy workers; sending one more on every pass
    would grow the backlog by one message per waiting execution per pass. The hand-over time is
    the pending row's heartbeat, claimed with a conditional update so two sweeps send one message."""
    if SiteLock.objects.filter(site_id=site_id).exists():
        return None
    waiting = (
        ScheduledTask.objects.filter(site_id=site_id, status=TaskStatus.PENDING)
        .order_by("scheduled_at", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    if waiting is None:
        return None
    if again_after is not None:
        now = now or timezone.now()
        quiet = jobs.stale_q(status=TaskStatus.PENDING, seconds=again_after, now=now)
        if not jobs.claim(ScheduledTask, pk=waiting, seen=quiet, heartbeat_at=now):
            return None
    enqueue(waiting)
    return waiting
