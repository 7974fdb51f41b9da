"""Autodiscovery of AI functions, the one way a function becomes known: every installed app's
`ai/` package holds one folder per function (`<app>/ai/<name>/__init__.py` with the AIFunction
subclass, `prompt.md` beside it, and `<type>.md` for each of its `more_prompts`). Registering one
makes it known everywhere at once: the engine, the starter and /api/v1/ai/runs/ (registry, with
its aliases), GET /api/v1/ai/functions/, the prompt editor and its shipped defaults
(system.prompts), the price list (billing.costs), the progress modal's title and result sentence
(web.progress reads the class). Adding a function is its folder and a test; no other file changes."""

from __future__ import annotations

import importlib
import inspect
import logging
import pkgutil
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

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
    aliases: list[str] = field(default_factory=list)


# price list name -> the function whose folder priced it (a name another function priced, or one
# of billing.costs' own, is never replaced).
_PRICED_BY: dict[str, str] = {}


def _prompts_of(cls: type[AIFunction]) -> list[tuple[str, frozenset[str], Path]]:
    """(prompt type, placeholders, shipped file) of each prompt the function's folder ships."""
    folder = Path(inspect.getfile(cls)).parent
    shipped = []
    if cls.prompt_type and cls.placeholders is not None:
        shipped.append((cls.prompt_type, frozenset(cls.placeholders), folder / cls.prompt_file))
    shipped += [(kind, frozenset(names), folder / f"{kind}.md") for kind, names in cls.more_prompts.items()]
    for kind, _, path in shipped:
        if not path.is_file():
            raise ImproperlyConfigured(
                f"AI function {cls.name} declares the {kind} prompt but {path} is missing."
            )
    return shipped


def _prompt_label(cls: type[AIFunction], prompt_type: str) -> str:
    """The prompt editor's name for it: the function's title, and which prompt for a further one
    ("Auto-cluster keywords: cluster naming")."""
    title = cls.title or cls.name
    return title if prompt_type == cls.prompt_type else f"{title}: {prompt_type.replace('_', ' ')}"


def _prices_of(cls: type[AIFunction]) -> dict[str, int]:
    operation = cls.operation or cls.name
    prices = {operation: cls.credits} if cls.credits is not None else {}
    return prices | {f"{operation}:{provider}": credits for provider, credits in cls.provider_credits.items()}


def register_function(cls: type[AIFunction], *, found: Found | None = None) -> None:
    """Makes one function known to the registry (and its aliases), the prompt registry and the
    price list; `found` collects what the function owns there, for forget(). Running it again
    for the same function (discover() on every app reload) changes nothing. A prompt type or a
    price another function declared first is left to that one."""
    found = found if found is not None else Found()
    shipped = _prompts_of(cls)  # a missing prompt file refuses the function before anything is known
    registry.register(cls.name, f"{cls.__module__}.{cls.__qualname__}")
    found.functions.append(cls.name)
    for alias in cls.aliases:
        registry.ALIASES[alias] = cls.name
        found.aliases.append(alias)
    for prompt_type, placeholders, file in shipped:
        owner = prompt_registry.PROMPT_FILES.get(prompt_type)
        if owner is not None and owner != file:
            log.warning("Prompt type %s is already shipped by %s; %s keeps it.", prompt_type, owner, cls.name)
            continue
        prompt_registry.register_prompt(
            prompt_type,
            placeholders=placeholders,
            path=file,
            text=cls.kind == "text",
            label=_prompt_label(cls, prompt_type),
        )
        found.prompt_types.append(prompt_type)
    for name, credits in _prices_of(cls).items():
        if name not in DEFAULT_CREDITS or _PRICED_BY.get(name) == cls.name:
            DEFAULT_CREDITS[name] = credits
            _PRICED_BY[name] = cls.name
            found.prices.append(name)


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


def discover(*, app_names: list[str] | None = None) -> Found:
    """Imports `<app>.ai.<folder>` for every installed app (or those named) and registers the
    functions found; returns what they own, for forget()."""
    found = Found()
    for config in apps.get_app_configs():
        if app_names is not None and config.name not in app_names:
            continue
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
    """Takes back what discover() registered (tests that add a function in a temporary app
    discover that app alone, then forget it)."""
    for name in found.functions:
        registry.unregister(name)
    for alias in found.aliases:
        registry.ALIASES.pop(alias, None)
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
                "title": cls.title or name,
                "aliases": sorted(cls.aliases),
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
