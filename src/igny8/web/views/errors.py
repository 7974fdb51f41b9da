"""The error pages of the web app: 403, 404 and 500 with the navigation and the reason, instead of
Django's bare "403 Forbidden" / "Not Found". The API keeps its JSON envelope for unknown routes."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from igny8.web.workspace import NoMembership, workspace_for

log = logging.getLogger(__name__)

TITLES = {403: "Not allowed", 404: "Not found", 500: "Something went wrong"}
DEFAULT_REASONS = {
    403: "Your role in this account does not allow this page or action. An owner or admin can change it.",
    404: "This page or item does not exist, or it belongs to another account.",
    500: "The server failed on this request; the error has been logged. Try again, or go back.",
}


def _reason(status: int, exception: BaseException | None) -> str:
    """The exception's own sentence when it is one written for people, else the default."""
    text = str(exception or "").strip()
    machine = (
        not text
        or "matches the given query" in text  # get_object_or_404's wording
        or text.startswith(("{", "[", "<", "Resolver404"))
        or "'path'" in text
    )
    return DEFAULT_REASONS[status] if machine else text


def _workspace(request: HttpRequest):
    """The navigation needs the workspace; an error page must render even when it cannot be had."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    try:
        return workspace_for(request)
    except NoMembership:
        return None
    except Exception:  # the database may be what failed (a 500): the page goes without navigation
        log.exception("No workspace for the error page")
        return None


def error_page(request: HttpRequest, status: int, exception: BaseException | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"success": False, "error": _reason(status, exception), "errors": {}}, status=status
        )
    context = {
        "ws": _workspace(request) if status != 500 else None,
        "status": status,
        "title": TITLES[status],
        "reason": _reason(status, exception) if status != 500 else DEFAULT_REASONS[500],
        "section": "",
        "bell": [],
    }
    return render(request, "web/error.html", context, status=status)


def forbidden(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return error_page(request, 403, exception)


def not_found(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return error_page(request, 404, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    return error_page(request, 500)
