"""One running execution per site: a SiteLock row, unique per site, held by the execution.

Acquire inserts the row (the unique constraint makes a second holder impossible, on SQLite and
PostgreSQL alike); a lock whose holder finished, paused, or stopped heartbeating for
AUTOMATION_STALE_SECONDS is taken over with a conditional UPDATE. Heartbeat and release are
conditional on the holder, so a worker that lost its lock can never free someone else's."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from igny8.automation import conf
from igny8.automation.models import ScheduledTask, SiteLock, TaskStatus
from igny8.core import jobs


def acquire(*, task: ScheduledTask, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    for _attempt in range(2):  # a holder that releases between our insert and our read: try again
        try:
            with transaction.atomic():
                SiteLock.objects.create(
                    site_id=task.site_id,
                    account_id=task.account_id,
                    task=task,
                    acquired_at=now,
                    heartbeat_at=now,
                )
            return True
        except IntegrityError:
            pass
        holder = SiteLock.objects.filter(site_id=task.site_id).select_related("task").first()
        if holder is None:
            continue
        if holder.task_id == task.pk:
            return True
        stale = now - timedelta(seconds=conf.stale_seconds())
        alive = holder.task.status == TaskStatus.RUNNING and holder.heartbeat_at >= stale
        if alive:
            return False
        # Taken over only as seen: a holder that beat or changed meanwhile keeps it.
        return jobs.claim(
            SiteLock,
            pk=holder.pk,
            seen={"task_id": holder.task_id, "heartbeat_at": holder.heartbeat_at},
            task=task,
            acquired_at=now,
            heartbeat_at=now,
        )
    return False


def heartbeat(*, task_id: int, now: datetime | None = None) -> bool:
    """False when the execution no longer holds its site's lock (it was taken over as stale)."""
    return bool(SiteLock.objects.filter(task_id=task_id).update(heartbeat_at=now or timezone.now()))


def release(*, task_id: int) -> int:
    return SiteLock.objects.filter(task_id=task_id).delete()[0]


def holder(*, site_id: int) -> SiteLock | None:
    return SiteLock.objects.filter(site_id=site_id).first()
