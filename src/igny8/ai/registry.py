"""AI functions by name, as dotted paths: ai/ imports no domain app; the class is imported the
first time a run needs it. Domain apps own their functions (planner/ai_functions.py,
writer/ai_functions.py) and may add more with register() from their AppConfig.ready()."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from igny8.ai.base import AIFunction

FUNCTIONS: dict[str, str] = {
    "auto_cluster": "igny8.planner.ai_functions.AutoClusterFunction",
    "auto_generate_ideas": "igny8.planner.ai_functions.GenerateIdeasFunction",
    "generate_content": "igny8.writer.ai_functions.GenerateContentFunction",
    "generate_image_prompts": "igny8.writer.ai_functions.GenerateImagePromptsFunction",
    "generate_images": "igny8.writer.ai_functions.GenerateImagesFunction",
}


# The reference's names for the same functions (ai-functions.md, image-generation-plan.md): a
# client written from the reference starts runs with them; runs are stored under ours.
ALIASES: dict[str, str] = {
    "auto_generate_content": "generate_content",
    "extract_image_prompts": "generate_image_prompts",
    "generate_images_from_prompts": "generate_images",
}


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
