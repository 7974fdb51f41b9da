"""Model prices as data: rates.json ships the defaults, the ModelRate table overrides per model.

Cost is computed from the usage the provider reports (tokens for text, images for images). An
unknown model costs 0 and says so in the run's steps rather than guessing a price."""

import functools
import json
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources

from igny8.ai.models import ModelRate, RateKind

MILLION = Decimal(1_000_000)
SIX_PLACES = Decimal("0.000001")


@dataclass(frozen=True)
class TextRate:
    input_per_1m: Decimal
    output_per_1m: Decimal
    json_mode: str = "prompt"  # schema | object | prompt


@functools.cache
def _shipped() -> dict:
    raw = json.loads((resources.files("igny8.ai") / "rates.json").read_text(encoding="utf-8"))
    return {"text": raw["text"], "image": raw["image"]}


def _dec(value) -> Decimal:
    return Decimal(str(value))


def known_models(*, kind: str) -> list[str]:
    """Models with a price (shipped or set in the admin), for the settings page's suggestions; the
    offline provider's pseudo-model is not one to pick."""
    shipped = set(_shipped()[kind]) - {"offline"}
    own = set(ModelRate.objects.filter(kind=kind).values_list("model", flat=True))
    return sorted(shipped | own)


def text_rate(model: str) -> TextRate | None:
    shipped = _shipped()["text"].get(model)
    row = ModelRate.objects.filter(model=model, kind=RateKind.TEXT).first()
    json_mode = shipped.get("json", "prompt") if shipped else "prompt"
    if row is not None:
        return TextRate(row.input_per_1m, row.output_per_1m, json_mode)
    if shipped is None:
        return None
    return TextRate(_dec(shipped["input"]), _dec(shipped["output"]), json_mode)


def json_mode(model: str) -> str:
    """How to ask this model for JSON: a model we do not know gets instructions only, because an
    OpenAI-compatible server may reject response_format outright."""
    shipped = _shipped()["text"].get(model)
    return shipped.get("json", "prompt") if shipped else "prompt"


def image_rate(model: str) -> Decimal | None:
    row = ModelRate.objects.filter(model=model, kind=RateKind.IMAGE).first()
    if row is not None:
        return row.per_image
    shipped = _shipped()["image"].get(model)
    return _dec(shipped["per_image"]) if shipped else None


def text_cost(*, model: str, tokens_in: int, tokens_out: int) -> Decimal | None:
    rate = text_rate(model)
    if rate is None:
        return None
    cost = (tokens_in * rate.input_per_1m + tokens_out * rate.output_per_1m) / MILLION
    return cost.quantize(SIX_PLACES)


def image_cost(*, model: str, images: int) -> Decimal | None:
    rate = image_rate(model)
    return None if rate is None else (rate * images).quantize(SIX_PLACES)
