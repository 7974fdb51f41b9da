"""Rendering pages inside the layout: the workspace, the notifications bell and flash notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from igny8.ai.models import TERMINAL, AIRun
from igny8.automation.models import FINISHED, ScheduledTask
from igny8.web.progress import function_title

BELL_SIZE = 8


@dataclass(frozen=True)
class BellItem:
    title: str
    status: str
    finished_at: datetime | None
    url: str


def bell_items(*, account) -> list[BellItem]:
    """The account's most recently ended AI runs and automation executions, newest first (two
    queries)."""
    runs = (
        AIRun.objects.filter(account=account, status__in=TERMINAL)
        .only("task_id", "function_name", "status", "finished_at")
        .order_by("-finished_at", "-id")[:BELL_SIZE]
    )
    executions = (
        ScheduledTask.objects.filter(account=account, status__in=FINISHED)
        .select_related("rule")
        .only("pk", "status", "finished_at", "rule__name")
        .order_by("-finished_at", "-id")[:BELL_SIZE]
    )
    items = [
        BellItem(
            title=function_title(run.function_name),
            status=run.status,
            finished_at=run.finished_at,
            url=reverse("web:run-detail", args=[run.task_id]),
        )
        for run in runs
    ] + [
        BellItem(
            title=f"Rule “{task.rule.name}”",
            status=task.status,
            finished_at=task.finished_at,
            url=reverse("web:automation-execution", args=[task.pk]),
        )
        for task in executions
    ]
    oldest = datetime.min.replace(tzinfo=UTC)
    return sorted(items, key=lambda item: item.finished_at or oldest, reverse=True)[:BELL_SIZE]


def page(
    request: HttpRequest, template: str, context: dict | None = None, *, status: int = 200
) -> HttpResponse:
    workspace = request.workspace
    full = {
        "ws": workspace,
        "section": request.resolver_match.url_name if request.resolver_match else "",
        **(context or {}),
    }
    if not request.htmx or request.htmx.boosted:
        full["bell"] = bell_items(account=workspace.account)
    return render(request, template, full, status=status)


def partial(
    request: HttpRequest, template: str, context: dict | None = None, *, status: int = 200
) -> HttpResponse:
    return render(request, template, {"ws": request.workspace, **(context or {})}, status=status)
