"""The job kernel: what AI runs, automation executions and publish records share (docs/adr/0011).

A job is a row with a status and a heartbeat; the row is the truth, the broker only a doorbell.

- `enqueue` hands a task to the broker by name after the transaction commits, so services never
  import task modules (no import cycles) and a worker always finds the row; a broker that is down
  is logged and the row stays queued for the sweep.
- `claim` is the one conditional UPDATE that moves a row from the status it was seen in: exactly
  one worker wins, whoever else tries gets False.
- `beat` touches the heartbeat, only while the row is still the caller's (its status and attempt
  unchanged), so a worker that lost its job finds out.
- `stale` is what the sweeps read: rows in a status whose heartbeat is older than the cutoff.
- `take` and `still_mine` are a JobRow worker's two moves: claim the queued row for this attempt,
  then write to it (progress, heartbeat, the result) only while it is still this attempt's, else
  `Lost` (the sweep gave it to another worker).
- `sweep` is the whole sweep of a small job kept in a JobRow (keyword imports, sitemap imports,
  provider checks)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import models, transaction
from django.utils import timezone

from igny8.core.models import JobStatus

log = logging.getLogger(__name__)


def send(*, task_name: str, args: list, task_id: str | None = None) -> bool:
    """Sends now; False (logged) when the broker refused, and the sweep sends it again later."""
    # The project's app, not celery.current_app: that one is per thread, and a thread of a web
    # server or a test would get Celery's default app (and its default broker).
    from igny8.config.celery import app

    task = app.tasks.get(task_name)  # the registered task: its own routing and options
    try:
        if task is None:
            app.send_task(task_name, args=args, task_id=task_id)
        elif task_id is not None:
            task.apply_async(args=args, task_id=task_id)
        else:
            task.delay(*args)
    except Exception:  # the broker is down: the row stays queued, the sweep hands it over again
        log.exception(
            "Could not enqueue %s %s; a job kept in a row is sent again by its sweep",
            task_name,
            task_id or args,
        )
        return False
    return True


def enqueue(*, task_name: str, args: list, task_id: str | None = None) -> None:
    """Sends after the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: send(task_name=task_name, args=args, task_id=task_id))


def claim(model: type[models.Model], *, pk: int, seen: dict | models.Q, **changes) -> bool:
    """Moves the row from the state `seen` (e.g. {"status": "pending"}, or a Q such as `free(...)`)
    to `changes`; True for the one caller that did."""
    rows = model.objects.filter(pk=pk)
    rows = rows.filter(seen) if isinstance(seen, models.Q) else rows.filter(**seen)
    return bool(rows.update(**changes))


def beat(model: type[models.Model], *, pk: int, seen: dict, field: str = "heartbeat_at") -> bool:
    """Touches the heartbeat while the row is still as the caller left it; False: it lost the job."""
    return bool(model.objects.filter(pk=pk, **seen).update(**{field: timezone.now()}))


def _quiet(*, seconds: float, now: datetime | None, field: str) -> models.Q:
    cutoff = (now or timezone.now()) - timedelta(seconds=seconds)
    return models.Q(**{f"{field}__lt": cutoff}) | models.Q(**{f"{field}__isnull": True})


def _statuses(status: str | list[str]) -> list[str]:
    return [status] if isinstance(status, str) else list(status)


def stale_q(
    *, status: str | list[str], seconds: float, now: datetime | None = None, field: str = "heartbeat_at"
) -> models.Q:
    """The condition `stale` filters on, to combine with others (one sweep reading two windows)."""
    return models.Q(status__in=_statuses(status)) & _quiet(seconds=seconds, now=now, field=field)


def stale(
    model: type[models.Model],
    *,
    status: str | list[str],
    seconds: float,
    now: datetime | None = None,
    field: str = "heartbeat_at",
) -> models.QuerySet:
    """Rows in `status` whose heartbeat (`field`) is older than `seconds` (or was never set)."""
    return model.objects.filter(stale_q(status=status, seconds=seconds, now=now, field=field))


def free(
    *, busy: str | list[str], seconds: float, now: datetime | None = None, field: str = "heartbeat_at"
) -> models.Q:
    """For `claim`'s `seen`: a row nobody works on, i.e. not in a `busy` status, or in one with a
    heartbeat older than `seconds` (its worker died: the job may be taken over)."""
    return ~models.Q(status__in=_statuses(busy)) | stale_q(status=busy, seconds=seconds, now=now, field=field)


class Lost(Exception):
    """The sweep handed this job to another worker: stop without writing anything."""


def take(model: type[models.Model], *, row: models.Model, **changes) -> dict | None:
    """Claims a queued JobRow row for one more attempt (running, heartbeat now, and `changes`).
    Returns the condition that says the row is still this attempt's (for `still_mine` and `claim`),
    or None when another worker took it first."""
    mine = {"status": JobStatus.RUNNING, "attempts": row.attempts + 1}
    seen = {"status": JobStatus.QUEUED, "attempts": row.attempts}
    if not claim(model, pk=row.pk, seen=seen, heartbeat_at=timezone.now(), **changes, **mine):
        return None
    return mine


def still_mine(model: type[models.Model], *, pk: int, mine: dict, **changes) -> None:
    """Writes `changes` to the row while it is this attempt's (`mine`, from `take`); raises Lost
    when the sweep has given it away, so the worker stops before writing anything else."""
    if not model.objects.filter(pk=pk, **mine).update(**changes):
        raise Lost


def sweep(
    model: type[models.Model],
    *,
    task_name: str,
    seconds: float,
    max_attempts: int,
    fail: Callable[[models.Model, dict], bool],
    now: datetime | None = None,
) -> dict:
    """Beat's side of a JobRow job that may run again: a running row whose worker stopped beating
    is queued again (the row's claim makes a second message harmless) or, after `max_attempts`,
    given to `fail(row, seen)` (True when it failed it); a queued row the broker lost is sent again."""
    now = now or timezone.now()
    requeued = failed = resent = 0
    for row in stale(model, status=JobStatus.RUNNING, seconds=seconds, now=now):
        seen = {"status": JobStatus.RUNNING, "attempts": row.attempts, "heartbeat_at": row.heartbeat_at}
        if row.attempts >= max_attempts:
            failed += bool(fail(row, seen))
        elif claim(model, pk=row.pk, seen=seen, status=JobStatus.QUEUED, heartbeat_at=now):
            requeued += 1
            send(task_name=task_name, args=[row.pk])
    for row in stale(model, status=JobStatus.QUEUED, seconds=seconds, now=now):
        if claim(
            model,
            pk=row.pk,
            seen={"status": JobStatus.QUEUED, "heartbeat_at": row.heartbeat_at},
            heartbeat_at=now,
        ):
            resent += 1
            send(task_name=task_name, args=[row.pk])
    return {"requeued": requeued, "failed": failed, "resent": resent}
