"""The prompt registry: every editable prompt type, the placeholders it uses and its shipped
default. AI function folders declare them (`<app>/ai/<name>/prompt.md` and the class's
placeholders) and ai/discovery.py registers them here when the apps are ready; an account's
override is an AIPrompt row under the same type (system.selectors)."""

import functools
import string
from pathlib import Path

from igny8.system.voice import VOICE_PLACEHOLDERS

# prompt_type -> the placeholders its template must use; prompt_type -> its shipped file.
PROMPT_PLACEHOLDERS: dict[str, frozenset[str]] = {}
PROMPT_FILES: dict[str, Path] = {}
# prompt_type -> what the prompt editor calls it: the function's title (and which of its prompts).
PROMPT_LABELS: dict[str, str] = {}
# Text prompts may also use the author profile's placeholders (system/voice.py); they are
# optional, so a prompt saved before profiles existed still saves and renders.
TEXT_PROMPT_TYPES: set[str] = set()


class _PromptTypes:
    """The prompt types, live: a function folder found later (ai/discovery.py) is one too."""

    def __iter__(self):
        return iter(tuple(PROMPT_PLACEHOLDERS))

    def __contains__(self, prompt_type: object) -> bool:
        return prompt_type in PROMPT_PLACEHOLDERS

    def __len__(self) -> int:
        return len(PROMPT_PLACEHOLDERS)

    def __getitem__(self, index):
        return tuple(PROMPT_PLACEHOLDERS)[index]


PROMPT_TYPES = _PromptTypes()


def register_prompt(prompt_type: str, *, placeholders, path, text: bool = True, label: str = "") -> None:
    """A function folder's prompt: editable, its file the default."""
    PROMPT_PLACEHOLDERS[prompt_type] = frozenset(placeholders)
    PROMPT_FILES[prompt_type] = Path(path)
    PROMPT_LABELS[prompt_type] = label or prompt_type.replace("_", " ").capitalize()
    if text:
        TEXT_PROMPT_TYPES.add(prompt_type)
    default_prompt.cache_clear()


def unregister_prompt(prompt_type: str) -> None:
    PROMPT_PLACEHOLDERS.pop(prompt_type, None)
    PROMPT_FILES.pop(prompt_type, None)
    PROMPT_LABELS.pop(prompt_type, None)
    TEXT_PROMPT_TYPES.discard(prompt_type)
    default_prompt.cache_clear()


def optional_placeholders(prompt_type: str) -> frozenset[str]:
    return VOICE_PLACEHOLDERS if prompt_type in TEXT_PROMPT_TYPES else frozenset()


def allowed_placeholders(prompt_type: str) -> frozenset[str]:
    return PROMPT_PLACEHOLDERS[prompt_type] | optional_placeholders(prompt_type)


@functools.cache
def default_prompt(prompt_type: str) -> str:
    if prompt_type not in PROMPT_FILES:
        raise KeyError(prompt_type)
    return PROMPT_FILES[prompt_type].read_text(encoding="utf-8")


def placeholders_in(template: str) -> set[str]:
    """The {names} a template uses; raises ValueError on unbalanced braces."""
    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}


def placeholder_problems(*, prompt_type: str, template: str) -> list[str]:
    """What is wrong with a template's placeholders, in words a person can act on."""
    try:
        used = placeholders_in(template)
    except ValueError as error:
        return [f"Unbalanced braces ({error}); write a literal brace as '{{{{' or '}}}}'."]
    allowed = allowed_placeholders(prompt_type)
    own = ", ".join(sorted(PROMPT_PLACEHOLDERS[prompt_type])) or "none"
    optional = sorted(optional_placeholders(prompt_type))
    listed = f"{own}; and the author profile's: {', '.join(optional)}" if optional else own
    problems = [
        f"Unknown placeholder {{{name}}}; allowed: {listed}." for name in sorted(used - allowed) if name
    ]
    if "" in used:
        problems.append("Empty placeholder {}; name it, for example {title}.")
    required = PROMPT_PLACEHOLDERS[prompt_type]
    problems += [f"Missing placeholder {{{name}}}." for name in sorted(required - used)]
    return problems
