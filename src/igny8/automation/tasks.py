"""Celery entry points, thin: ids in, a service does the work, safe to run twice."""

from celery import shared_task

from igny8.automation import execution, services


@shared_task(
    bind=True, name="igny8.automation.tasks.execute_scheduled_task", ignore_result=True, acks_late=True
)
def execute_scheduled_task(self, task_id: int) -> str | None:
    return execution.execute(task_id=task_id, worker=self.request.hostname or "")


@shared_task(name="igny8.automation.tasks.start_due_rules", ignore_result=True)
def start_due_rules() -> dict:
    return services.rules_start_due()


@shared_task(name="igny8.automation.tasks.sweep_executions", ignore_result=True)
def sweep_executions() -> dict:
    return services.sweep()


@shared_task(name="igny8.automation.tasks.cleanup_executions", ignore_result=True)
def cleanup_executions() -> int:
    # Hourly, so the webhook nonce store holds at most an hour past the tolerance window.
    services.webhook_deliveries_prune()
    return services.cleanup()
