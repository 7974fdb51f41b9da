"""Runs one AI run in this process, for an execution and for `igny8 pipeline run` alike (the one
place that runs the engine on a thread and polls the row): run_create (validation and credit
reservation, 400/402 here), then the engine in this worker. An execution is already inside a
Celery task and the CLI is its own process, so the engine runs in-process (no second hop through
the broker): on a thread of its own while this thread copies the
run row's progress onto the execution every AUTOMATION_POLL_SECONDS and passes a pause/cancel on
to the run (the engine stops after its current item). With AUTOMATION_AI_THREADED off (tests on a
non-transactional database) the engine runs inline on this thread."""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable
from datetime import timedelta

from django.db import close_old_connections, connections, transaction
from django.utils import timezone

from igny8.accounts.models import Account, Site
from igny8.ai import engine, holds
from igny8.ai import services as ai_services
from igny8.ai.models import TERMINAL, AIRun, RunStatus
from igny8.ai.pacing import heartbeat_seconds
from igny8.automation import conf
from igny8.core.errors import Conflict

# Called with the run row while it runs; returns True when the run should stop after its item.
Poll = Callable[[AIRun], bool]


def _claim_and_execute(run_pk: int) -> None:
    engine.claim_and_execute(AIRun.objects.select_related("account", "site").get(pk=run_pk))


def _thread_main(run_pk: int, errors: list[BaseException]) -> None:
    try:
        close_old_connections()
        _claim_and_execute(run_pk)
    except BaseException as error:  # handed to the polling thread, which raises it
        errors.append(error)
    finally:
        connections.close_all()


def _own_holder(*, function_name: str, payload: dict, own_runs: list[str]) -> AIRun | None:
    """The run of this execution's earlier attempt that holds these records, if one does."""
    from igny8.ai.registry import get_function

    model_label = get_function(function_name).ids_model
    keys = holds.record_keys(model_label=model_label, ids=payload.get("ids") or []) if model_label else []
    return (
        AIRun.objects.filter(holds__record__in=keys, task_id__in=own_runs)
        .exclude(status__in=TERMINAL)
        .select_related("account", "site")
        .first()
    )


def _start(*, account, site, function_name: str, payload: dict, own_runs: list[str]) -> AIRun:
    """A new run, or the run an earlier attempt of this execution left behind on these records
    (its items already recorded are skipped: ai.run_items)."""
    try:
        return ai_services.run_create(
            account=account, function_name=function_name, payload=payload, site=site
        )
    except Conflict:
        run = _own_holder(function_name=function_name, payload=payload, own_runs=own_runs)
        if run is None:
            raise
        return run


def _silent(run: AIRun) -> bool:
    """No heartbeat for two beats: nobody is running it (its worker died with our earlier attempt).
    A run the AI sweep handed to another worker beats, and is only watched."""
    quiet = timedelta(seconds=2 * heartbeat_seconds())
    return run.heartbeat_at is None or run.heartbeat_at < timezone.now() - quiet


def _execute_here(run: AIRun, poll: Poll) -> None:
    if not conf.ai_threaded():
        _claim_and_execute(run.pk)
        return
    errors: list[BaseException] = []
    # The engine's thread sees this execution (contextvars), so the events its functions emit
    # carry the execution's depth and do not re-trigger the running rule.
    worker = threading.Thread(
        target=contextvars.copy_context().run,
        args=(_thread_main, run.pk, errors),
        name=f"automation-ai-{run.task_id[:8]}",
    )
    worker.start()
    cancelled = False
    while worker.is_alive():
        worker.join(conf.poll_seconds())
        run.refresh_from_db()
        if poll(run) and not cancelled and run.status not in TERMINAL:
            ai_services.run_cancel(run=run)
            cancelled = True
    if errors:
        raise errors[0]


def run_function(
    *,
    account: Account,
    site: Site,
    function_name: str,
    payload: dict,
    poll: Poll,
    own_runs: list[str] = (),
    started: Callable[[AIRun], None] = lambda run: None,
) -> AIRun:
    with transaction.atomic():  # the run and the execution's note of it commit together
        run = _start(
            account=account, site=site, function_name=function_name, payload=payload, own_runs=list(own_runs)
        )
        started(run)
    return finish(run, poll)


def finish(run: AIRun, poll: Poll) -> AIRun:
    """Sees the run to its end: runs it here when it is pending, takes it over when nobody beats
    it (its items already recorded are skipped), and otherwise watches the worker that runs it."""
    while True:
        run.refresh_from_db()
        if run.status in TERMINAL:
            return run
        if run.status == RunStatus.RUNNING and _silent(run):
            ai_services.run_takeover(run=run)  # back to pending, claimed below by this worker
            continue
        if run.status == RunStatus.PENDING:
            _execute_here(run, poll)  # a worker that claimed it first makes this a no-op
            continue
        # Another worker runs it (the AI sweep re-queued it): watched until it ends or goes quiet.
        if poll(run):
            ai_services.run_cancel(run=run)
        threading.Event().wait(conf.poll_seconds())
