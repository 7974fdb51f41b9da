"""What a provider call cost, from the usage it reports and the model catalogue's prices.

Text: input tokens at the input rate, the cached part of them at the cached rate, output at the
output rate. Images: the provider's own figure when it reports one (Runware), else the image
tokens a GPT image model reports at its token rates, else the price for that size and quality.
A price nobody knows is unknown (None, with a warning saying where to set it), never a silent $0."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from igny8.ai import catalogue
from igny8.ai.catalogue import ModelSpec
from igny8.ai.providers.base import CompletionResult, ImageResult, ImageUsage, ProviderConfig

MILLION = Decimal(1_000_000)
SIX_PLACES = Decimal("0.000001")
ZERO = Decimal("0")


@dataclass(frozen=True)
class Price:
    usd: Decimal | None
    warning: str = ""


def _unknown(model: str, what: str) -> Price:
    return Price(
        None,
        f"No price is known for {model} ({what}), so its cost is recorded as unknown; "
        "set one in Admin > Model catalogue.",
    )


def _per_million(tokens: int, rate: Decimal) -> Decimal:
    return tokens * rate / MILLION


def text_cost(*, spec: ModelSpec, tokens_in: int, tokens_out: int, cached_tokens_in: int = 0) -> Price:
    if spec.input is None or spec.output is None:
        return _unknown(spec.name, "text tokens")
    cached = min(max(cached_tokens_in, 0), tokens_in)
    # No cached rate known: the full input rate, which is what the invoice says at most.
    cached_rate = spec.cached_input if spec.cached_input is not None else spec.input
    cost = (
        _per_million(tokens_in - cached, spec.input)
        + _per_million(cached, cached_rate)
        + _per_million(tokens_out, spec.output)
    )
    return Price(cost.quantize(SIX_PLACES))


def _token_cost(spec: ModelSpec, usage: ImageUsage) -> Decimal | None:
    parts = (
        (usage.text_tokens_in, spec.input),
        (usage.image_tokens_in, spec.image_input),
        (usage.image_tokens_out, spec.image_output),
        (usage.text_tokens_out, spec.output),
    )
    if any(tokens and rate is None for tokens, rate in parts):
        return None
    return sum((_per_million(tokens, rate) for tokens, rate in parts if tokens), ZERO)


def image_cost(
    *, spec: ModelSpec, images: int, size: str = "", quality: str = "", usage: ImageUsage | None = None
) -> Price:
    if usage is not None:
        cost = _token_cost(spec, usage)
        if cost is not None:
            return Price(cost.quantize(SIX_PLACES))
    for key in (f"{size}/{quality}", size, "*"):
        if key in spec.per_image:
            return Price((spec.per_image[key] * images).quantize(SIX_PLACES))
    return _unknown(spec.name, f"{size or 'any size'} {quality or ''} images".replace("  ", " "))


def call_cost(*, config: ProviderConfig, result: CompletionResult | ImageResult) -> Price:
    """The cost of one provider call (the engine's and the test endpoints' one entry point)."""
    if result.offline:
        return Price(ZERO)
    kind = "image" if isinstance(result, ImageResult) else "text"
    spec = config.spec
    if spec is None or spec.name != config.model or spec.kind != kind:
        spec = catalogue.spec(config.model, kind=kind, provider=config.provider, base_url=config.base_url)
    if isinstance(result, ImageResult):
        if result.cost_usd is not None:  # the provider's own figure (Runware's includeCost)
            return Price(result.cost_usd)
        return image_cost(
            spec=spec, images=len(result.images), size=result.size, quality=result.quality, usage=result.usage
        )
    return text_cost(
        spec=spec,
        tokens_in=result.tokens_in,
        tokens_out=result.tokens_out,
        cached_tokens_in=result.cached_tokens_in,
    )
