"""The writer's AI functions, run by the AI engine (ai/engine.py); the registry names them here."""

from igny8.writer.ai_functions.content import GenerateContentFunction
from igny8.writer.ai_functions.image_prompts import GenerateImagePromptsFunction
from igny8.writer.ai_functions.images import GenerateImagesFunction

__all__ = [
    "GenerateContentFunction",
    "GenerateImagePromptsFunction",
    "GenerateImagesFunction",
]
