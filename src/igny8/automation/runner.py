"""Runs one AI run for an execution: run_create (validation and credit reservation, 400/402 here),
then the engine in this worker. The execution is already inside a Celery task, so the engine runs
in-process (no second hop through the broker): on a thread of its own while this thread copies the
run row's progress onto the execution every AUTOMATION_POLL_SECONDS and passes a pause/cancel on
to the run (the engine stops after its current item). With AUTOMATION_AI_THREADED off (tests on a
non-transactional database) the engine runs inline on this thread."""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable

from django.db import close_old_connections, connections

from igny8.accounts.models import Account, Site
from igny8.ai import engine
from igny8.ai import services as ai_services
from igny8.ai.models import TERMINAL, AIRun
from igny8.automation import conf

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


def run_function(*, account: Account, site: Site, function_name: str, payload: dict, poll: Poll) -> AIRun:
    run = ai_services.run_create(account=account, function_name=function_name, payload=payload, site=site)
    if not conf.ai_threaded():
        _claim_and_execute(run.pk)
        run.refresh_from_db()
        return run
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
    run.refresh_from_db()
    return run
