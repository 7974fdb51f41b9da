"""The one Celery entry point for AI work, and the sweep beat runs every minute. Both are thin:
ids in, a service or the engine does the work, safe to run twice."""

from celery import shared_task

from igny8.ai import engine, services


@shared_task(bind=True, name="igny8.ai.tasks.run_ai_task", ignore_result=True, acks_late=True)
def run_ai_task(self, function_name: str, payload: dict, account_id: int) -> str | None:
    run = services.run_claim(
        task_id=self.request.id, function_name=function_name, payload=payload, account_id=account_id
    )
    if run is None:
        return None
    return engine.execute(run).status


@shared_task(name="igny8.ai.tasks.sweep_stale_runs", ignore_result=True)
def sweep_stale_runs() -> dict:
    return services.runs_sweep()
