"""Structured output on OpenAI-compatible servers, negotiated: servers differ in the response_format
they take (vLLM, llama.cpp's server, Ollama and LM Studio take a JSON schema; llama-cpp-python's
server only `json_object`; some nothing at all) and say so with a 400 or 422 naming the field.

The provider asks with a schema first and steps down on such a refusal — to JSON mode when the
server names `json_object` or `json_schema` (it knows JSON mode), straight to instructions in the
prompt when it refuses `response_format` altogether — so each (server, model) costs at most one
refused call, and remembers what worked so later calls go straight there: in the process, and in the
shared cache (the database's or Redis) so every worker process learns it from the first refusal."""

from __future__ import annotations

import hashlib
import json
import logging
import threading

from django.core.cache import cache

from igny8.ai.providers.base import ProviderError

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_worked: dict[tuple[str, str], str] = {}
# A server's abilities change when it is upgraded; a week later it gets one more schema attempt.
SHARED_SECONDS = 7 * 24 * 3600
MODES = ("schema", "object", "prompt")


def _shared_key(key: tuple[str, str]) -> str:
    return "igny8:json-mode:" + hashlib.sha256("\n".join(key).encode()).hexdigest()[:32]


def known(key: tuple[str, str]) -> str | None:
    with _lock:
        mode = _worked.get(key)
    if mode is not None:
        return mode
    try:
        mode = cache.get(_shared_key(key))
    except Exception:  # the cache is a speed-up: without it the call negotiates again
        logger.warning("json-mode cache unreadable; negotiating again", exc_info=True)
        return None
    if mode in MODES:
        with _lock:
            _worked[key] = mode
        return mode
    return None


def remember(key: tuple[str, str], mode: str) -> None:
    with _lock:
        _worked[key] = mode
    try:
        cache.set(_shared_key(key), mode, SHARED_SECONDS)
    except Exception:
        logger.warning("json-mode cache unwritable; other workers negotiate on their own", exc_info=True)


def forget_all() -> None:
    """For tests: every server is new again in this process (the tests clear the shared cache)."""
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
