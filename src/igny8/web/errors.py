"""The web's one translator of `core.errors.DomainError`: a refusal becomes a message on the form
field it names (or above the form), a sentence on the page, and the status code a full page answers
with. HTML views catch DomainError and call these; none of them unpicks an error's parts by hand."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.forms.forms import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from igny8.core.errors import DomainError, status_for

# Keys that name no input: their messages are spoken without a "field: " prefix.
_UNNAMED = {NON_FIELD_ERRORS, "non_field_errors", "detail"}


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


def error_text(error: DomainError, *, with_fields: bool = True) -> str:
    """The refusal as one sentence a person can read: every field's messages, each prefixed by the
    field it names when `with_fields` (a modal or a page), bare when the page already shows where."""
    if not error.errors:
        return error.message
    parts: list[str] = []
    for field, messages in error.errors.items():
        label = field_label(field) if with_fields and field not in _UNNAMED else ""
        parts += [f"{label}: {message}" if label else message for message in messages]
    return " ".join(parts)


def form_errors(error: DomainError) -> dict[str, list[str]]:
    """{field: [messages]} for a template that lists errors by field; a refusal about no field
    is under "non_field_errors", the key those templates read (the API's name for it)."""
    return {name: list(messages) for name, messages in error.errors.items()} or {
        "non_field_errors": [error.message]
    }


def page_status(error: DomainError) -> int:
    """The status a full page answers a refusal with: the same code the API would use."""
    return status_for(error)


def add_to_form(
    *,
    form: forms.Form,
    error: DomainError,
    fields: Mapping[str, str] | None = None,
    default: str | None = None,
) -> None:
    """The refusal's messages on the form: on the field they name (`fields` maps a service's field
    name to the form's when they differ), else on `default`, else above the form, so nothing a
    service refuses goes unsaid. A message already shown there is not repeated."""
    fields = fields or {}
    pairs = [(name, message) for name, messages in error.errors.items() for message in messages]
    for name, message in pairs or [(None, error.message)]:
        target = fields.get(name, name) if name else None
        if target not in form.fields:
            target = default if default in form.fields else None
        if message not in form.errors.get(target or NON_FIELD_ERRORS, []):
            form.add_error(target, message)


class DomainErrorMiddleware:
    """The web's safety net: a DomainError that no view caught is a page saying why (the refusal
    partial for htmx) with the API's status code, never a 500 and a traceback. Views still catch
    what they can show better (on a form field). The API answers its own (core.api)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError):
            return None
        context = {"title": "Not done", "error": error_text(exception), "back": _back(request)}
        status = page_status(exception)
        htmx = getattr(request, "htmx", None)
        if htmx and not htmx.boosted:
            return render(request, "web/runs/refused.html", context, status=status)
        if hasattr(request, "workspace"):
            from igny8.web.render import page  # the layout's bell reads AI runs and executions

            return page(request, "web/runs/refused_page.html", context, status=status)
        return render(request, "web/runs/refused_page.html", context, status=status)


def _back(request: HttpRequest) -> str:
    back = request.headers.get("referer") or "/"
    return back if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}) else "/"
