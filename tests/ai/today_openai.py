"""A fake of OpenAI's API as it answers today, for httpx2.MockTransport under the real SDK, and the
installed SDK's own deprecation notes (the source of the fake's shut-down list and of the test
that our defaults are current).

Today's API: a model the SDK notes as shut down answers 404 model_not_found; GPT image models
refuse response_format, style and the DALL-E qualities with 400 unknown_parameter/unsupported_value;
reasoning models refuse a temperature other than 1 and max_tokens with 400."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import httpx2
import openai.types.image_model
import openai.types.shared.chat_model

from tests.openai_fakes import chat_completion

_ENTRY = re.compile(r"^- (.+?)(?=^- |\Z)", re.MULTILINE | re.DOTALL)
_ISO = re.compile(r"(\d{4}-\d{2}-\d{2})")
_WORDS = re.compile(r"on ([A-Z][a-z]+ \d{1,2}, \d{4})")
REASONING = re.compile(r"^(o\d|gpt-5|gpt-6)")


def sdk_deprecations() -> dict[str, date | None]:
    """Every model the installed SDK lists under "Deprecated values", with its shutdown date
    (None where the note gives none, e.g. "Not a supported model ID")."""
    found: dict[str, date | None] = {}
    for module in (openai.types.shared.chat_model, openai.types.image_model):
        text = Path(module.__file__).read_text(encoding="utf-8")
        notes = text.split('"""Deprecated values:', 1)[1].split('"""', 1)[0]
        for entry in _ENTRY.findall(notes):
            names, _, note = entry.partition(":")
            note = " ".join(note.split())
            when = None
            if iso := _ISO.search(note):
                when = date.fromisoformat(iso[1])
            elif words := _WORDS.search(note):
                when = datetime.strptime(words[1], "%B %d, %Y").date()
            for name in re.findall(r'"([^"]+)"', names):
                found[name] = when
    return found


def _error(status: int, message: str, *, code: str, param: str | None = None) -> httpx2.Response:
    body = {"error": {"message": message, "type": "invalid_request_error", "param": param, "code": code}}
    return httpx2.Response(status, json=body)


class TodaysOpenAI:
    """Call it with an httpx2 request; `answer(prompt) -> str` writes the chat answers. Every
    request is kept, with the status it got, so a test can say "not a single refused call"."""

    def __init__(self, *, answer: Callable[[str], str], today: date, cached_tokens: int = 0):
        self.answer, self.cached_tokens = answer, cached_tokens
        self.shut_down = {name for name, when in sdk_deprecations().items() if when and when <= today}
        self.requests: list[tuple[str, dict, int]] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        body = json.loads(request.content or b"{}")
        if request.url.path.endswith("/chat/completions"):
            response = self._chat(body)
        elif request.url.path.endswith("/images/generations"):
            response = self._image(body)
        else:
            response = _error(404, "Unknown path.", code="not_found")
        self.requests.append((request.url.path, body, response.status_code))
        return response

    def refused(self) -> list[tuple[str, dict, int]]:
        return [entry for entry in self.requests if entry[2] >= 400]

    def _gone(self, model: str) -> httpx2.Response | None:
        if model in self.shut_down:
            return _error(
                404,
                f"The model `{model}` does not exist or you do not have access to it.",
                code="model_not_found",
            )
        return None

    def _chat(self, body: dict) -> httpx2.Response:
        model = body["model"]
        if gone := self._gone(model):
            return gone
        if REASONING.match(model):
            if body.get("temperature") not in (None, 1):
                return _error(
                    400,
                    f"Unsupported value: 'temperature' does not support {body['temperature']} with this "
                    "model. Only the default (1) value is supported.",
                    code="unsupported_value",
                    param="temperature",
                )
            if "max_tokens" in body:
                return _error(
                    400,
                    "Unsupported parameter: 'max_tokens' is not supported with this model. "
                    "Use 'max_completion_tokens' instead.",
                    code="unsupported_parameter",
                    param="max_tokens",
                )
        prompt = body["messages"][-1]["content"]
        answer = chat_completion(self.answer(prompt), model=f"{model}-2026-03-17")
        answer["usage"]["prompt_tokens_details"] = {"cached_tokens": self.cached_tokens}
        return httpx2.Response(200, json=answer)

    def _image(self, body: dict) -> httpx2.Response:
        model = body["model"]
        if gone := self._gone(model):
            return gone
        for legacy in ("response_format", "style"):
            if legacy in body:
                return _error(400, f"Unknown parameter: '{legacy}'.", code="unknown_parameter", param=legacy)
        if body.get("quality") in ("standard", "hd"):
            return _error(
                400,
                f"Invalid value: '{body['quality']}'. Supported values are: 'low', 'medium', 'high', "
                "and 'auto'.",
                code="invalid_value",
                param="quality",
            )
        picture = base64.b64encode(_png()).decode()
        return httpx2.Response(
            200,
            json={
                "created": 1,
                "data": [{"b64_json": picture}] * body.get("n", 1),
                "size": body.get("size", "1024x1024"),
                "quality": body.get("quality", "auto"),
                "output_format": body.get("output_format", "png"),
                "usage": {
                    "input_tokens": 50,
                    "input_tokens_details": {"text_tokens": 50, "image_tokens": 0},
                    "output_tokens": 1056,
                    "output_tokens_details": {"image_tokens": 1056, "text_tokens": 0},
                    "total_tokens": 1106,
                },
            },
        )


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (1536, 1024), (90, 60, 30)).save(buffer, format="PNG")
    return buffer.getvalue()
