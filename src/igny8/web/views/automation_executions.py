"""Executions of automation rules: the monitor (progress, current action, per-action results,
cancel / pause / resume) and the history (re-run). The same selectors and services as
/api/v1/automation/scheduled-tasks/ and the rules' execution-history."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from igny8.automation import selectors, services
from igny8.automation.models import ScheduledTask
from igny8.core.errors import DomainError
from igny8.core.text import is_id
from igny8.web import automation_progress as progress_view
from igny8.web.errors import error_text, page_status
from igny8.web.render import page, partial
from igny8.web.views.automation import action_titles
from igny8.web.workspace import member_view

PAGE_SIZE = 50
TASK_ACTIONS = {
    "cancel": services.execution_cancel,
    "pause": services.execution_pause,
    "resume": services.execution_resume,
}


def _execution(request, pk: int) -> ScheduledTask:
    executions = selectors.execution_list(account=request.workspace.account).defer("rule__webhook_secret")
    return get_object_or_404(executions, pk=pk)


def monitor_context(task: ScheduledTask) -> dict:
    progress = selectors.task_progress(task=task)
    actions = task.rule.actions
    titles = action_titles(actions)
    return {
        "task": task,
        "progress": progress,
        "steps": progress_view.steps(actions=actions, progress=progress, titles=titles),
        "current_title": titles.get(progress["current_action"], progress["current_action"]),
        "live": progress_view.live(progress),
        "ended": progress_view.ended(task.status),
        "controls": progress_view.controls(task),
        "duration": progress_view.duration_text(task),
    }


@member_view
def execution_detail(request, pk: int):
    return page(request, "web/automation/execution.html", monitor_context(_execution(request, pk)))


@member_view
def execution_progress(request, pk: int):
    return partial(request, "web/automation/monitor.html", monitor_context(_execution(request, pk)))


@require_POST
@member_view
def execution_control(request, pk: int, action: str):
    """Cancel, pause or resume (the service decides what the execution's state allows: 409)."""
    task = _execution(request, pk)
    try:
        TASK_ACTIONS[action](task=task)
    except DomainError as error:
        context = {**monitor_context(task), "error": error_text(error)}
        return page(request, "web/automation/execution.html", context, status=page_status(error))
    return redirect("web:automation-execution", pk=task.pk)


@require_POST
@member_view
def execution_rerun(request, pk: int):
    task = _execution(request, pk)
    try:
        again = services.execution_rerun(task=task, user=request.user)
    except DomainError as error:
        context = {**monitor_context(task), "error": error_text(error)}
        return page(request, "web/automation/execution.html", context, status=page_status(error))
    return redirect("web:automation-execution", pk=again.pk)


@member_view
def history(request):
    ws = request.workspace
    executions = (
        selectors.execution_list(account=ws.account)
        .defer("rule__webhook_secret", "rule__conditions", "rule__actions", "results", "state", "context")
        .order_by("-scheduled_at", "-id")
    )
    rules = list(selectors.rule_list(account=ws.account).order_by("name", "id").values_list("pk", "name"))
    chosen = request.GET.get("rule", "")
    if is_id(chosen):
        executions = executions.filter(rule_id=int(chosen))
    rows = Paginator(executions, PAGE_SIZE).get_page(request.GET.get("page"))
    for task in rows:
        task.duration_text = progress_view.duration_text(task)
        task.ended = progress_view.ended(task.status)
    return page(request, "web/automation/history.html", {"rows": rows, "rules": rules, "chosen": chosen})
