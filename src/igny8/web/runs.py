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
from igny8.web.render import page, partial

# The API's field names as the interface says them; '' where the message names the thing itself
# (a selection's messages: "Select at least one row.", "No such record(s) here: 4.").
FIELD_LABELS = {
    "ids": "",
    "content_ids": "",
    "non_field_errors": "",
    "detail": "",
    "method": "Method",
    "batch_size": "Items per batch",
    "max_items": "Most items per run",
    "item_delay_seconds": "Pause between items (seconds)",
    "is_local_dev": "Local development site",
    "wp_status": "WordPress status",
    "scheduled_at": "Date",
    "site_id": "Site",
    "serp_mode": "SERP mode",
}


def field_label(field: str) -> str:
    if field in FIELD_LABELS:
        return FIELD_LABELS[field]
    text = str(field).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def refusal_text(error: APIException, *, with_fields: bool = True) -> str:
    """A DRF refusal's detail (a string, list or field dict) as one sentence a person can read,
    each field named in words (field_label), never by its API name."""
    detail = error.detail
    if isinstance(detail, dict):
        parts = []
        for field, messages in detail.items():
            texts = messages if isinstance(messages, list) else [messages]
            label = field_label(str(field)) if with_fields else ""
            prefix = f"{label}: " if label else ""
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
    if run is None:
        return _refused(request, title=title, error="Nothing to do.")
    if not request.htmx:
        return redirect("web:run-detail", task_id=run.task_id)
    return partial(request, "web/runs/modal.html", {"run": run, "title": title, **progress_context(run=run)})


def progress_context(*, run: AIRun) -> dict:
    from igny8.web.progress import progress_view

    return progress_view(run=run)
