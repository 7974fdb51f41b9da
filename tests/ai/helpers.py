from igny8.ai import services
from igny8.ai.models import AIRun
from igny8.ai.tasks import run_ai_task


def start(tenant, function_name, payload, capture, **kwargs) -> AIRun:
    """run_start as an endpoint would call it, with on_commit callbacks run (enqueue is patched)."""
    with capture(execute=True):
        run = services.run_start(
            account=tenant.account, function_name=function_name, payload=payload, **kwargs
        )
    return run


def work(run: AIRun) -> AIRun:
    """What a worker does with the queued message."""
    run_ai_task.apply(args=[run.function_name, run.payload, run.account_id], task_id=run.task_id)
    run.refresh_from_db()
    return run


def steps(run: AIRun, side: str) -> list[tuple[str, str]]:
    return [(s["stepName"], s["status"]) for s in getattr(run, f"{side}_steps")]
