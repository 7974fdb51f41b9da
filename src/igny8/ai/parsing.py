"""JSON out of a model's answer, whatever is wrapped around it, validated against a schema."""

from __future__ import annotations

import json
import re

from pydantic import BaseModel, ValidationError

FENCE = re.compile(r"```(?:json|JSON)?\s*\n?(.*?)```", re.DOTALL)


class ParseError(Exception):
    """The answer held no JSON, or JSON of the wrong shape; the message is fed back on repair."""


def extract_json(text: str) -> object:
    """Tries, in order: the whole text, each fenced code block, then the first JSON value that
    starts at any '{' or '[' (prose before and after is ignored)."""
    text = (text or "").strip()
    if not text:
        raise ParseError("The answer was empty.")
    try:
        return json.loads(text)
    except ValueError:
        pass
    for block in FENCE.findall(text):
        try:
            return json.loads(block.strip())
        except ValueError:
            continue
    decoder = json.JSONDecoder()
    for match in re.finditer(r"[\[{]", text):
        try:
            value, _ = decoder.raw_decode(text, match.start())
        except ValueError:
            continue
        return value
    raise ParseError("The answer held no JSON value.")


def _wrap_bare_list(value: object, schema: type[BaseModel]) -> object:
    """Models often answer `[...]` when asked for `{"items": [...]}`; accept that one slip."""
    if isinstance(value, list):
        fields = schema.model_fields
        if len(fields) == 1:
            return {next(iter(fields)): value}
    return value


def validation_summary(error: ValidationError, limit: int = 8) -> str:
    parts = []
    for item in error.errors()[:limit]:
        where = ".".join(str(part) for part in item["loc"]) or "(root)"
        parts.append(f"{where}: {item['msg']}")
    more = error.error_count() - limit
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")


def parse_output(text: str, schema: type[BaseModel]) -> BaseModel:
    value = _wrap_bare_list(extract_json(text), schema)
    try:
        return schema.model_validate(value)
    except ValidationError as error:
        raise ParseError(f"The JSON did not match the expected shape: {validation_summary(error)}") from error
