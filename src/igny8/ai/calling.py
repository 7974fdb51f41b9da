"""One provider call of an AI run, and the parse of its answer with one repair: what the engine
sends for a prompt (text with its JSON schema, or an image) and how a rejected answer goes back
to the model once. No database: the engine records the calls and steps."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from igny8.ai.base import AIFunction, ImagePrompt, RunContext, TextPrompt
from igny8.ai.parsing import ParseError
from igny8.ai.providers.base import (
    CompletionRequest,
    CompletionResult,
    ImageRequest,
    ImageResult,
    Provider,
)
from igny8.ai.providers.registry import json_mode as json_mode_for

REPAIR_INSTRUCTIONS = (
    "\n\nYour previous answer was:\n{answer}\n\nIt was rejected: {error}\n"
    "Answer again with only JSON that matches the required shape."
)
JSON_INSTRUCTIONS = "\n\nRespond with only a JSON value matching this JSON schema:\n{schema}"


def call(
    function: AIFunction, provider: Provider, config, spec: TextPrompt | ImagePrompt
) -> CompletionResult | ImageResult:
    if isinstance(spec, ImagePrompt):
        return provider.generate_image(
            ImageRequest(
                prompt=spec.prompt,
                model=config.model,
                negative_prompt=spec.negative_prompt,
                size=spec.size,
                n=spec.n,
                output_format=spec.output_format,
            )
        )
    schema = function.output_schema.model_json_schema()
    mode = json_mode_for(config)
    text = (
        spec.prompt if mode == "schema" else spec.prompt + JSON_INSTRUCTIONS.format(schema=json.dumps(schema))
    )
    return provider.complete(
        CompletionRequest(
            prompt=text,
            model=config.model,
            system=spec.system,
            json_schema=schema,
            schema_name=function.name or "output",
            json_mode=mode,
            temperature=spec.temperature,
            max_tokens=spec.max_tokens,
            offline_draft=spec.offline_draft,
        )
    )


def parse_with_repair(
    *,
    function: AIFunction,
    ctx: RunContext,
    provider: Provider,
    config,
    spec: TextPrompt | ImagePrompt,
    item: Any,
    result: CompletionResult | ImageResult,
    rejected: Callable[[str], None],
    repaired_call: Callable[[TextPrompt, CompletionResult], None],
) -> Any:
    """The function's parse of the answer; a text answer it rejects goes back to the model once
    with the reason (`rejected` is told; `repaired_call` records the second call's usage)."""
    try:
        return function.parse_response(ctx, item, result)
    except ParseError as first:
        if not isinstance(spec, TextPrompt):
            raise
        rejected(str(first))
        repair = TextPrompt(
            prompt=spec.prompt + REPAIR_INSTRUCTIONS.format(answer=result.text[:6000], error=first),
            system=spec.system,
            temperature=spec.temperature,
            max_tokens=spec.max_tokens,
            offline_draft=spec.offline_draft,
        )
        repaired = call(function, provider, config, repair)
        repaired_call(repair, repaired)
        try:
            return function.parse_response(ctx, item, repaired)
        except ParseError as second:
            raise ParseError(
                f"The AI answer did not have the expected shape, even after one repair attempt: {second}"
            ) from second
