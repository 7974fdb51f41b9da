"""The one API envelope: {"success": true, "data": ...}, paginated lists, and errors.

Success bodies are wrapped by the renderer so views return plain data; errors are shaped by the
exception handler so every refusal names the field and what is wrong."""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from igny8.core.errors import DomainError, RateLimited, status_for


def ok(data: Any = None, *, message: str | None = None, status_code: int = 200) -> Response:
    body: dict[str, Any] = {"success": True, "data": data}
    if message:
        body["message"] = message
    return Response(body, status=status_code)


class EnvelopeRenderer(JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        already_wrapped = isinstance(data, dict) and "success" in data
        if response is not None and not already_wrapped and response.status_code < 400:
            data = None if response.status_code == 204 else {"success": True, "data": data}
        return super().render(data, accepted_media_type, renderer_context)


class EnvelopePagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_paginated_response(self, data):
        return Response(
            {
                "success": True,
                "count": self.page.paginator.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        base = super().get_paginated_response_schema(schema)
        base["properties"] = {"success": {"type": "boolean", "example": True}, **base["properties"]}
        return base


def _flatten(detail: Any) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {
            str(key): [str(item) for item in (value if isinstance(value, list) else [value])]
            for key, value in detail.items()
        }
    return {}


def _summary(detail: Any, errors: dict[str, list[str]]) -> str:
    if isinstance(detail, list | tuple) and detail:
        return str(detail[0])
    if errors:
        field, messages = next(iter(errors.items()))
        if field in {"non_field_errors", "detail"}:
            return messages[0]
        return f"{field}: {messages[0]}"
    return str(detail)


def _domain_summary(error: DomainError) -> str:
    """As _summary says a serializer's errors: "field: message" when the sentence is the field's first."""
    named = error.field and error.field not in {"non_field_errors", "detail"}
    if named and error.errors.get(error.field, [None])[0] == error.message:
        return f"{error.field}: {error.message}"
    return error.message


def envelope_exception_handler(exc: Exception, context: dict) -> Response | None:
    # Imported here: rest_framework.views reads the REST_FRAMEWORK settings, which name this module.
    from rest_framework.views import exception_handler, set_rollback

    if isinstance(exc, DomainError):
        set_rollback()
        body = {"success": False, "error": _domain_summary(exc), "errors": exc.errors}
        headers = {"Retry-After": str(exc.wait)} if isinstance(exc, RateLimited) and exc.wait else None
        return Response(body, status=status_for(exc), headers=headers)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    if isinstance(detail, dict) and set(detail) == {"detail"}:
        errors: dict[str, list[str]] = {}
        message = str(detail["detail"])
    else:
        errors = _flatten(detail)
        message = _summary(detail, errors)
    response.data = {"success": False, "error": message, "errors": errors}
    return response
