"""Executing a run the page started, as a worker would (claim, then the engine), in this process."""

from igny8.ai import engine
from igny8.ai.models import AIRun


def execute(run: AIRun) -> AIRun:
    assert engine.claim_and_execute(run) is not None
    run.refresh_from_db()
    return run


def latest_run() -> AIRun:
    return AIRun.objects.order_by("-id").first()
