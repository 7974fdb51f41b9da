"""Starting an AI run from a page and answering with its progress modal.

The starters are the services the REST endpoints call (ai.services.run_start, writer.runs.*); their
refusals (400 bad input, 402 credits or plan limits) are shown in the modal instead of a JSON body."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from rest_framework.exceptions import APIException, ValidationError

from igny8.ai.models import AIRun
from igny8.core.errors import DomainError
from igny8.web.render import page, partial


def refusal_text(error: APIException, *, with_fields: bool = True) -> str:
    """A DRF refusal's detail (a string, list or field dict) as one sentence a person can read."""
    detail = error.detail
    if isinstance(detail, dict):
        parts = []
        for field, messages in detail.items():
            texts = messages if isinstance(messages, list) else [messages]
            named = with_fields and field not in ("non_field_errors", "detail")
            prefix = f"{field}: " if named else ""
            parts += [f"{prefix}{text}" for text in texts]
        return " ".join(parts)
    if isinstance(detail, list):
        return " ".join(str(item) for item in detail)
    return str(detail)


def _refused(request: HttpRequest, *, title: str, error: str) -> HttpResponse:
    """In the modal for htmx; without JavaScript a page (400) saying why, with a way back."""
    if request.htmx:
        return partial(request, "web/runs/refused.html", {"title": title, "error": error})
    back = request.headers.get("referer") or "/"
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = "/"
    context = {"title": title, "error": error, "back": back}
    return page(request, "web/runs/refused_page.html", context, status=400)


def start_and_show(request: HttpRequest, *, title: str, starter: Callable[[], AIRun | None]) -> HttpResponse:
    try:
        run = starter()
    except (ValidationError, APIException) as error:
        return _refused(request, title=title, error=refusal_text(error))
    except DomainError as error:  # e.g. 409: another run already holds these records (ai.holds)
        return _refused(request, title=title, error=error.message)
    if run is None:
        return _refused(request, title=title, error="Nothing to do.")
    if not request.htmx:
        return redirect("web:run-detail", task_id=run.task_id)
    return partial(request, "web/runs/modal.html", {"run": run, "title": title, **progress_context(run=run)})


def progress_context(*, run: AIRun) -> dict:
    from igny8.web.progress import progress_view

    return progress_view(run=run)
