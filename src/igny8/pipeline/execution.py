"""Running one AI run in this process, with its progress reported while it runs.

The CLI is its own process, not a web request, so it may execute runs itself instead of waiting
for a worker. The run still goes through the engine and its row, exactly as a worker would run it:
validation, credit reservation, claim, execute, settle."""

import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.db import close_old_connections, connections

from igny8.accounts.models import Account, Site
from igny8.ai import engine
from igny8.ai import services as ai_services
from igny8.ai.models import AIRun


@dataclass(frozen=True)
class Progress:
    percentage: int
    current: int
    total: int
    message: str


ProgressCallback = Callable[[Progress], None]
POLL_SECONDS = 0.2


def _execute(run_pk: int, errors: list[BaseException]) -> None:
    try:
        close_old_connections()
        engine.claim_and_execute(AIRun.objects.select_related("account", "site").get(pk=run_pk))
    except BaseException as error:  # reported to the caller's thread, which raises it
        errors.append(error)
    finally:
        connections.close_all()


def _report(run_pk: int, on_progress: ProgressCallback) -> None:
    row = AIRun.objects.filter(pk=run_pk).values("percentage", "current", "total", "message").first()
    if row:
        on_progress(Progress(row["percentage"], row["current"], row["total"], row["message"]))


def run_in_process(
    *, account: Account, site: Site, function_name: str, payload: dict, on_progress: ProgressCallback
) -> AIRun:
    """Create the run (400/402 refusals raise here, before anything runs), execute it on a thread
    of its own while this thread reports progress from the run row, and return the finished row."""
    run = ai_services.run_create(account=account, function_name=function_name, payload=payload, site=site)
    errors: list[BaseException] = []
    worker = threading.Thread(target=_execute, args=(run.pk, errors), name=f"ai-run-{run.task_id[:8]}")
    worker.start()
    while worker.is_alive():
        worker.join(POLL_SECONDS)
        _report(run.pk, on_progress)
    if errors:
        raise errors[0]
    run.refresh_from_db()
    return run
