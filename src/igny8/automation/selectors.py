"""Reads: rules and executions of an account, an execution's progress, the action catalogue."""

from __future__ import annotations

from django.db.models import QuerySet

from igny8.accounts.models import Account
from igny8.automation import scheduling
from igny8.automation.actions import catalogue
from igny8.automation.actions.common import unit_price
from igny8.automation.models import AutomationRule, ScheduledTask, TaskStatus, Trigger
from igny8.billing.selectors import credit_cost

NEXT_RUNS = 5


def rule_list(*, account: Account) -> QuerySet[AutomationRule]:
    return AutomationRule.objects.filter(account=account).select_related("site")


def execution_list(*, account: Account) -> QuerySet[ScheduledTask]:
    return ScheduledTask.objects.filter(account=account).select_related("rule", "site")


def schedule_info(*, rule: AutomationRule, now) -> dict:
    if rule.trigger != Trigger.SCHEDULE or not rule.schedule:
        return {"description": "", "next_runs": []}
    try:
        runs = scheduling.next_runs(rule.schedule, rule.timezone, after=now, count=NEXT_RUNS)
    except scheduling.ScheduleError:
        runs = []
    return {"description": scheduling.describe(rule.schedule), "next_runs": [r.isoformat() for r in runs]}


def progress(*, rule: AutomationRule) -> dict:
    """The running (else the latest) execution's progress, or idle."""
    executions = ScheduledTask.objects.filter(rule=rule)
    task = (
        executions.filter(status__in=[TaskStatus.RUNNING, TaskStatus.PENDING, TaskStatus.PAUSED])
        .order_by("scheduled_at", "pk")
        .first()
        or executions.order_by("-created_at", "-pk").first()
    )
    if task is None:
        return {"status": "idle"}
    return task_progress(task=task)


# Our execution status -> the reference's Celery state, for a client written from the reference
# (automation-plan.md polls until SUCCESS or FAILURE and reads "progress").
REFERENCE_STATES = {
    TaskStatus.PENDING: "PENDING",
    TaskStatus.RUNNING: "PROGRESS",
    TaskStatus.PAUSED: "PROGRESS",
    TaskStatus.COMPLETED: "SUCCESS",
    TaskStatus.PARTIALLY_COMPLETED: "SUCCESS",
    TaskStatus.FAILED: "FAILURE",
    TaskStatus.CANCELLED: "FAILURE",
}


def task_progress(*, task: ScheduledTask) -> dict:
    return {
        "scheduled_task_id": task.pk,
        "status": task.status,
        "state": REFERENCE_STATES.get(task.status, "PENDING"),
        "percentage": task.percentage,
        "progress": task.percentage,
        "phase": task.message,
        "current_action": task.current_action,
        "current_index": task.current_index,
        "total_actions": task.total_actions,
        "credits_estimated": task.credits_estimated,
        "credits_used": task.credits_used,
        "control": task.control,
        "results": task.results,
        "error": task.error_message,
        "updated_at": task.heartbeat_at.isoformat() if task.heartbeat_at else None,
    }


def action_types(*, account: Account) -> list[dict]:
    functions = {
        "cluster_keywords": "auto_cluster",
        "generate_ideas": "auto_generate_ideas",
        "generate_content": "generate_content",
        "generate_images": "generate_images",
    }

    def price(operation: str) -> int:
        if operation in functions:
            return unit_price(account=account, function_name=functions[operation]) or credit_cost(
                operation=operation
            )
        return credit_cost(operation=operation)

    return catalogue(price=price)
