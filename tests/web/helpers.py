"""Executing a run the page started, as a worker would (claim, then the engine), in this process."""

from igny8.ai import engine
from igny8.ai import services as ai_services
from igny8.ai.models import AIRun


def execute(run: AIRun) -> AIRun:
    claimed = ai_services.run_claim(
        task_id=run.task_id, function_name=run.function_name, payload=run.payload, account_id=run.account_id
    )
    assert claimed is not None
    engine.execute(claimed)
    run.refresh_from_db()
    return run


def latest_run() -> AIRun:
    return AIRun.objects.order_by("-id").first()
