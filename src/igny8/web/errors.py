"""The web's one translator of `core.errors.DomainError`: a refusal becomes a message on the form
field it names (or above the form), a sentence on the page, and the status code a full page answers
with. HTML views catch DomainError and call these; none of them unpicks an error's parts by hand."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.forms.forms import NON_FIELD_ERRORS

from igny8.core.errors import DomainError, status_for

# Keys that name no input: their messages are spoken without a "field: " prefix.
_UNNAMED = {NON_FIELD_ERRORS, "non_field_errors", "detail"}


def error_text(error: DomainError, *, with_fields: bool = True) -> str:
    """The refusal as one sentence a person can read: every field's messages, each prefixed by the
    field it names when `with_fields` (a modal or a page), bare when the page already shows where."""
    if not error.errors:
        return error.message
    parts: list[str] = []
    for field, messages in error.errors.items():
        named = with_fields and field not in _UNNAMED
        parts += [f"{field}: {message}" if named else message for message in messages]
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
