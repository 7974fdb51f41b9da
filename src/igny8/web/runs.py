"""Starting an AI run from a page and answering with its progress modal.

The starters are the services the REST endpoints call (ai.services.run_start, writer.runs.*); their
refusals (400 bad input, 402 credits or plan limits) are shown in the modal instead of a JSON body."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from rest_framework.exceptions import APIException, ValidationError

from igny8.ai.models import AIRun
from igny8.web.render import partial


def refusal_text(error: APIException) -> str:
    """A DRF refusal's detail (a string, list or field dict) as one sentence a person can read."""
    detail = error.detail
    if isinstance(detail, dict):
        parts = []
        for field, messages in detail.items():
            texts = messages if isinstance(messages, list) else [messages]
            prefix = "" if field in ("non_field_errors", "detail") else f"{field}: "
            parts += [f"{prefix}{text}" for text in texts]
        return " ".join(parts)
    if isinstance(detail, list):
        return " ".join(str(item) for item in detail)
    return str(detail)


def start_and_show(request: HttpRequest, *, title: str, starter: Callable[[], AIRun | None]) -> HttpResponse:
    try:
        run = starter()
    except (ValidationError, APIException) as error:
        return partial(
            request, "web/runs/refused.html", {"title": title, "error": refusal_text(error)}, status=200
        )
    if run is None:
        return partial(request, "web/runs/refused.html", {"title": title, "error": "Nothing to do."})
    if not request.htmx:
        return redirect("web:run-detail", task_id=run.task_id)
    return partial(request, "web/runs/modal.html", {"run": run, "title": title, **progress_context(run=run)})


def progress_context(*, run: AIRun) -> dict:
    from igny8.web.progress import progress_view

    return progress_view(run=run)
