"""AI functions by name, as dotted paths; ai/discovery.py fills both tables from the function
folders (`<app>/ai/<name>/`) when the apps are ready. The class is imported the first time a run
needs it, and ai/ imports no domain app."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from igny8.ai.base import AIFunction

FUNCTIONS: dict[str, str] = {}

# Other names of the same functions (`AIFunction.aliases`), e.g. the reference's
# (ai-functions.md, image-generation-plan.md): a client written from the reference starts runs with
# them; runs are stored under ours.
ALIASES: dict[str, str] = {}


def canonical_name(name: str) -> str:
    return ALIASES.get(name, name)


class UnknownFunction(LookupError):
    pass


def register(name: str, dotted_path: str) -> None:
    FUNCTIONS[name] = dotted_path


def unregister(name: str) -> None:
    FUNCTIONS.pop(name, None)


def get_function(name: str) -> type[AIFunction]:
    path = FUNCTIONS.get(canonical_name(name))
    if path is None:
        raise UnknownFunction(f"No AI function {name!r}; known: {', '.join(sorted(FUNCTIONS))}.")
    try:
        return import_string(path)
    except ImportError as error:
        raise UnknownFunction(
            f"AI function {name!r} is registered as {path}, which is not installed."
        ) from error
