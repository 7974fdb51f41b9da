"""Autodiscovery of AI functions: every installed app's `ai/` package holds one folder per
function (`<app>/ai/<name>/__init__.py` with the AIFunction subclass, `prompt.md` beside it).
Registering one makes it known everywhere at once: the engine and /api/v1/ai/runs/ (registry),
GET /api/v1/ai/functions/, the prompt editor and its shipped default (system.prompts), the price
list (billing.costs), the progress modal's title and result sentence (web.progress read the class).
Adding a function is its folder and a test; no other file changes."""

from __future__ import annotations

import importlib
import inspect
import logging
import pkgutil
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps

from igny8.ai import registry
from igny8.ai.base import AIFunction
from igny8.billing.costs import DEFAULT_CREDITS
from igny8.system import prompts as prompt_registry

log = logging.getLogger(__name__)
FOLDER = "ai"


@dataclass
class Found:
    """What one discover() added, so a test (or a reload) can take it back."""

    functions: list[str] = field(default_factory=list)
    prompt_types: list[str] = field(default_factory=list)
    prices: list[str] = field(default_factory=list)


# operation -> the function whose folder priced it (a price list entry of ours is never replaced).
_PRICED_BY: dict[str, str] = {}


def register_function(cls: type[AIFunction], *, found: Found | None = None) -> None:
    """Makes one function known to the registry, the prompt registry and the price list. Running
    it again for the same function (discover() on every app reload) changes nothing."""
    found = found if found is not None else Found()
    registry.register(cls.name, f"{cls.__module__}.{cls.__qualname__}")
    found.functions.append(cls.name)
    if cls.prompt_type and cls.placeholders is not None:
        path = Path(inspect.getfile(cls)).parent / cls.prompt_file
        shipped = cls.prompt_type in prompt_registry.PROMPT_PLACEHOLDERS
        if not shipped or prompt_registry.PROMPT_FILES.get(cls.prompt_type) == path:
            prompt_registry.register_prompt(
                cls.prompt_type, placeholders=cls.placeholders, path=path, text=cls.kind == "text"
            )
            found.prompt_types.append(cls.prompt_type)
    operation = cls.operation or cls.name
    if cls.credits is not None and (
        operation not in DEFAULT_CREDITS or _PRICED_BY.get(operation) == cls.name
    ):
        DEFAULT_CREDITS[operation] = cls.credits
        _PRICED_BY[operation] = cls.name
        found.prices.append(operation)


def _functions_in(module) -> list[type[AIFunction]]:
    return [
        value
        for value in vars(module).values()
        if inspect.isclass(value)
        and issubclass(value, AIFunction)
        and value.__module__ == module.__name__
        and not inspect.isabstract(value)
        and value.name
    ]


def discover() -> Found:
    """Imports `<app>.ai.<folder>` for every installed app and registers the functions found."""
    found = Found()
    for config in apps.get_app_configs():
        try:
            package = importlib.import_module(f"{config.name}.{FOLDER}")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.{FOLDER}":
                raise  # the folder exists but something it imports does not: a real error
            continue
        for info in pkgutil.iter_modules(getattr(package, "__path__", [])):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for cls in _functions_in(module):
                register_function(cls, found=found)
    return found


def forget(found: Found) -> None:
    """Takes back what discover() added (tests that add a function in a temporary app)."""
    for name in found.functions:
        registry.unregister(name)
    for prompt_type in found.prompt_types:
        prompt_registry.unregister_prompt(prompt_type)
    for operation in found.prices:
        DEFAULT_CREDITS.pop(operation, None)
        _PRICED_BY.pop(operation, None)


def function_catalogue() -> list[dict]:
    """Every function the registry knows, as GET /api/v1/ai/functions/ lists them."""
    from igny8.billing.selectors import credit_cost

    rows = []
    for name in sorted(registry.FUNCTIONS):
        try:
            cls = registry.get_function(name)
        except registry.UnknownFunction:
            continue
        operation = cls.operation or name
        rows.append(
            {
                "name": name,
                "title": cls.title or cls.display_name or name,
                "kind": cls.kind,
                "per_item": cls.per_item,
                "max_items": cls.max_items,
                "prompt_type": cls.prompt_type,
                "operation": operation,
                "credits": credit_cost(operation=operation),
                "payload_fields": sorted(cls.payload_fields | cls.generation_fields),
            }
        )
    return rows
