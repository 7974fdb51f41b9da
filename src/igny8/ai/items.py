"""What the engine carries for one item: its provider calls' usage, where it is on its way
through the provider (a Flight may cross threads), and how it ended."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from igny8.ai.base import ImagePrompt, TextPrompt
from igny8.ai.pacing import Slot
from igny8.ai.providers.base import CompletionResult, ImageResult


@dataclass
class Call:
    model: str
    provider: str
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: Decimal | None = Decimal("0")  # None: no price known for this model


@dataclass
class Outcome:
    ok: bool
    summary: dict[str, Any]
    calls: list[Call] = field(default_factory=list)
    cancelled: bool = False  # stopped by a cancel: neither succeeded nor failed, its credit refunded


@dataclass
class Flight:
    """One item on its way through the provider: what was asked, what came back or went wrong."""

    index: int
    item: Any
    label: str
    key: str | None = None  # its name across attempts of the run (ai.run_items); None: untracked
    spec: TextPrompt | ImagePrompt | None = None
    raw: CompletionResult | ImageResult | None = None  # the provider's answer, for usage
    result: Any = None  # after the function's after_call
    error: BaseException | None = None
    duration_ms: int = 0
    slot: Slot | None = None  # its place among the calls in flight (ai.pacing)
    requeues: int = 0  # times a 429 sent it back to the queue


def item_usage(calls: list[Call]) -> dict:
    return {
        "provider": calls[0].provider if calls else "",
        "model": calls[0].model if calls else "",
        "cost_usd": sum((call.cost_usd for call in calls if call.cost_usd is not None), Decimal("0")),
        "unpriced_calls": sum(call.cost_usd is None for call in calls),
        "tokens_in": sum(call.tokens_in for call in calls),
        "tokens_out": sum(call.tokens_out for call in calls),
    }
