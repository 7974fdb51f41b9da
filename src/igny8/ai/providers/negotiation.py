"""Structured output on OpenAI-compatible servers, negotiated: servers differ in the response_format
they take (vLLM, llama.cpp's server, Ollama and LM Studio take a JSON schema; llama-cpp-python's
server only `json_object`; some nothing at all) and say so with a 400 or 422 naming the field.

The provider asks with a schema first and steps down on such a refusal — to JSON mode when the
server names `json_object` or `json_schema` (it knows JSON mode), straight to instructions in the
prompt when it refuses `response_format` altogether — so each (server, model) costs at most one
refused call, and remembers what worked (per process) so later calls go straight there."""

from __future__ import annotations

import json
import threading

from igny8.ai.providers.base import ProviderError

_lock = threading.Lock()
_worked: dict[tuple[str, str], str] = {}


def known(key: tuple[str, str]) -> str | None:
    with _lock:
        return _worked.get(key)


def remember(key: tuple[str, str], mode: str) -> None:
    with _lock:
        _worked[key] = mode


def forget_all() -> None:
    """For tests: every server is new again."""
    with _lock:
        _worked.clear()


def _refusal_text(error: ProviderError) -> str:
    """What the server said, body included (a FastAPI 422 lists the refused field in `detail`)."""
    cause = error.__cause__
    body = getattr(cause, "body", None)
    try:
        body_text = json.dumps(body) if body is not None else ""
    except (TypeError, ValueError):
        body_text = str(body)
    return f"{error.message} {getattr(cause, 'message', '')} {body_text}".lower()


def fallback(*, mode: str, error: ProviderError) -> str | None:
    """The mode to try next after `error`, or None when the error is not a response_format refusal."""
    if error.status not in (400, 422) or mode == "prompt":
        return None
    text = _refusal_text(error)
    if "response_format" not in text and "json_schema" not in text and "json_object" not in text:
        return None
    if mode == "schema" and ("json_object" in text or "json_schema" in text):
        return "object"
    return "prompt"
