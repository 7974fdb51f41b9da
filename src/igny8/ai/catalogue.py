"""The model catalogue: what each model is, what it accepts, what it costs and when it shuts down.

ai/catalogue.json ships the facts; an admin's ModelRate row overrides any of them field by field
(and describes a model the file does not know). `spec()` reads both and may touch the database, so
the factory resolves a model's spec on the run's thread and hands the provider a plain ModelSpec;
`shipped_spec()` needs no database. A model nobody described is judged by where it runs: on
OpenAI's own API it is taken as current (strict JSON schema, reasoning rules, GPT image requests);
on a compatible server (a base_url of the account's or operator's) it is asked plainly."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from importlib import resources
from urllib.parse import urlsplit

from django.utils import timezone

WARN_DAYS = 30
# Without a cap a runaway model (a local one above all) writes until its context is full.
DEFAULT_OUTPUT_CAP = 16000
OPENAI_HOSTS = frozenset({"api.openai.com"})
GPT_IMAGE = re.compile(r"^(gpt-image-|chatgpt-image-)")
DALL_E = re.compile(r"^dall-e-")
# Runware (and Civitai) name image models by AIR ids: source:id@version (runware:97@1).
AIR_ID = re.compile(r"^[a-z0-9_-]+:\d+@[\w.-]+$", re.IGNORECASE)


@dataclass(frozen=True)
class ModelSpec:
    name: str
    kind: str  # text | image
    provider: str = ""
    known: bool = False  # described by the shipped file or an admin row
    json_mode: str = "prompt"  # schema | object | prompt
    reasoning: bool = False
    output_cap: int = DEFAULT_OUTPUT_CAP
    sizes: tuple[str, ...] = ()  # () = the server judges
    qualities: tuple[str, ...] = ()  # the first is the one asked for
    max_n: int = 10
    # USD per 1M tokens; None = no price known.
    input: Decimal | None = None
    cached_input: Decimal | None = None
    output: Decimal | None = None
    image_input: Decimal | None = None
    image_output: Decimal | None = None
    # USD per image by "WIDTHxHEIGHT/quality", "WIDTHxHEIGHT" or "*".
    per_image: dict[str, Decimal] = field(default_factory=dict)
    shutdown: date | None = None
    replacement: str = ""

    @property
    def gpt_image(self) -> bool:
        return self.kind == "image" and bool(GPT_IMAGE.match(self.name))

    @property
    def default_quality(self) -> str:
        return self.qualities[0] if self.qualities else ""

    def retired(self, *, today: date | None = None) -> bool:
        return self.shutdown is not None and self.shutdown <= (today or timezone.localdate())


def _dec(value) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))


@functools.cache
def _shipped() -> dict[str, dict]:
    raw = json.loads((resources.files("igny8.ai") / "catalogue.json").read_text(encoding="utf-8"))
    return raw["models"]


def _from_entry(name: str, entry: dict, *, base: ModelSpec | None = None) -> ModelSpec:
    """A spec from a shipped entry or an admin row's non-empty fields, laid over `base`."""
    spec = base or ModelSpec(name=name, kind=entry.get("kind", "text"))
    changes: dict = {"known": True}
    for key in ("kind", "provider", "replacement"):
        if entry.get(key):
            changes[key] = entry[key]
    if entry.get("json"):
        changes["json_mode"] = entry["json"]
    for key in ("reasoning", "output_cap", "max_n"):
        if entry.get(key) is not None:
            changes[key] = entry[key]
    for key in ("sizes", "qualities"):
        if entry.get(key):
            changes[key] = tuple(entry[key])
    for key in ("input", "cached_input", "output", "image_input", "image_output"):
        if entry.get(key) is not None:
            changes[key] = _dec(entry[key])
    if entry.get("per_image"):
        changes["per_image"] = {**spec.per_image, **{k: _dec(v) for k, v in entry["per_image"].items()}}
    if entry.get("shutdown"):
        when = entry["shutdown"]
        changes["shutdown"] = when if isinstance(when, date) else date.fromisoformat(when)
    return replace(spec, **changes)


def on_openai_api(base_url: str) -> bool:
    """No base_url (the SDK's default) or OpenAI's own host: OpenAI's rules apply to unknown models."""
    host = (urlsplit(base_url).hostname or "") if base_url else ""
    return not base_url or host in OPENAI_HOSTS


def _unknown(name: str, *, kind: str, provider: str, base_url: str) -> ModelSpec:
    spec = ModelSpec(name=name, kind=kind, provider=provider)
    if provider == "openai" and not on_openai_api(base_url):
        # A compatible server's own model: its JSON support is negotiated call by call
        # (providers/negotiation.py); its parameters are the server's to judge.
        return replace(spec, json_mode="auto") if kind == "text" else spec
    if provider != "openai":
        return spec
    if kind == "text":
        # OpenAI's current models all take strict schemas and follow the reasoning rules.
        return replace(spec, json_mode="schema", reasoning=True)
    if GPT_IMAGE.match(name):
        return replace(spec, qualities=("medium", "low", "high", "auto"))
    return spec


def shipped_spec(name: str, *, kind: str, provider: str = "", base_url: str = "") -> ModelSpec:
    """The spec from the shipped file alone (no database); safe on any thread."""
    entry = _shipped().get(name)
    if entry is not None and entry.get("kind", "text") == kind:
        return _from_entry(name, entry)
    return _unknown(name, kind=kind, provider=provider, base_url=base_url)


def _row_entry(row) -> dict:
    return {
        "kind": row.kind,
        "provider": row.provider,
        "json": row.json_mode,
        "reasoning": row.reasoning,
        "output_cap": row.output_cap,
        "sizes": row.sizes,
        "qualities": row.qualities,
        "max_n": row.max_n,
        "input": row.input_per_1m,
        "cached_input": row.cached_input_per_1m,
        "output": row.output_per_1m,
        "image_input": row.image_input_per_1m,
        "image_output": row.image_output_per_1m,
        "per_image": {
            **(row.image_prices or {}),
            **({"*": row.per_image} if row.per_image is not None else {}),
        },
        "shutdown": row.shutdown_on,
        "replacement": row.replacement,
    }


def _overlaid(name: str, *, kind: str, provider: str, base_url: str, row) -> ModelSpec:
    base = shipped_spec(name, kind=kind, provider=provider, base_url=base_url)
    return base if row is None else _from_entry(name, _row_entry(row), base=base)


def spec(name: str, *, kind: str, provider: str = "", base_url: str = "") -> ModelSpec:
    """The shipped spec with the admin's row (if any) laid over it. Reads the database."""
    from igny8.ai.models import ModelRate

    row = ModelRate.objects.filter(model=name, kind=kind).first()
    return _overlaid(name, kind=kind, provider=provider, base_url=base_url, row=row)


def known_models(*, kind: str, provider: str = "") -> list[str]:
    """Current models of a kind (optionally of one provider) for the settings page's suggestions:
    shipped and admin-described, without the ones already shut down."""
    from igny8.ai.models import ModelRate

    rows = {row.model: row for row in ModelRate.objects.filter(kind=kind)}
    names = {name for name, entry in _shipped().items() if entry.get("kind", "text") == kind} | set(rows)
    specs = [_overlaid(n, kind=kind, provider="", base_url="", row=rows.get(n)) for n in sorted(names)]
    return [s.name for s in specs if not s.retired() and (not provider or s.provider in ("", provider))]


def lifecycle_warning(model_spec: ModelSpec, *, today: date | None = None) -> str:
    """A sentence when the model is shut down or shuts down within WARN_DAYS days, else ""."""
    if model_spec.shutdown is None:
        return ""
    today = today or timezone.localdate()
    days = (model_spec.shutdown - today).days
    instead = f" Choose {model_spec.replacement} instead." if model_spec.replacement else ""
    if days <= 0:
        return f"{model_spec.name} was shut down on {model_spec.shutdown.isoformat()}.{instead}"
    if days <= WARN_DAYS:
        when = "tomorrow" if days == 1 else f"in {days} days"
        return f"{model_spec.name} shuts down on {model_spec.shutdown.isoformat()} ({when}).{instead}"
    return ""
