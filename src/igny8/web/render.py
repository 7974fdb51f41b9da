"""Rendering pages inside the layout: the workspace, the notifications bell and flash notes."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from igny8.ai.models import TERMINAL, AIRun

BELL_SIZE = 8


def bell_runs(*, account) -> list[AIRun]:
    """The account's most recently finished or failed runs, newest first (one query)."""
    return list(
        AIRun.objects.filter(account=account, status__in=TERMINAL)
        .only("task_id", "function_name", "status", "message", "finished_at", "created_at")
        .order_by("-finished_at", "-id")[:BELL_SIZE]
    )


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
        full["bell"] = bell_runs(account=workspace.account)
    return render(request, template, full, status=status)


def partial(
    request: HttpRequest, template: str, context: dict | None = None, *, status: int = 200
) -> HttpResponse:
    return render(request, template, {"ws": request.workspace, **(context or {})}, status=status)
