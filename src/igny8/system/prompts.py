"""The shipped default prompts (files beside this module) and the placeholders each one uses."""

import functools
import string
from importlib import resources
from pathlib import Path

from igny8.system.voice import VOICE_PLACEHOLDERS

# prompt_type -> the placeholders its template may use. A later function adds its type here.
PROMPT_PLACEHOLDERS: dict[str, frozenset[str]] = {
    "clustering": frozenset({"sector", "keywords"}),
    "cluster_naming": frozenset({"sector", "clusters"}),
    "ideas": frozenset({"sector", "clusters", "min_ideas", "max_ideas"}),
    "content_generation": frozenset(
        {
            "sector",
            "title",
            "brief",
            "primary_keyword",
            "secondary_keywords",
            "content_structure",
            "word_count",
            "outline",
        }
    ),
    "image_prompt_extraction": frozenset({"title", "content", "max_images"}),
    "image_prompt_template": frozenset({"post_title", "image_prompt", "image_type"}),
    "negative_prompt": frozenset(),
}
# Publishing (igny8.publishing): optimize_content, generate_site_structure, generate_page_content.
PROMPT_PLACEHOLDERS["content_optimization"] = frozenset(
    {
        "title",
        "html",
        "primary_keyword",
        "secondary_keywords",
        "meta_title",
        "meta_description",
        "target_words",
        "score_breakdown",
    }
)
PROMPT_PLACEHOLDERS["site_structure"] = frozenset({"site", "sector", "clusters"})
PROMPT_PLACEHOLDERS["page_content"] = frozenset(
    {"site", "title", "page_type", "description", "keywords", "children"}
)
# Prompts that AI function folders ship beside their class (ai/discovery.py): type -> file.
PROMPT_FILES: dict[str, object] = {}
# Every text prompt may also use the author profile's placeholders (system/voice.py); they are
# optional, so a prompt saved before profiles existed still saves and renders.
TEXT_PROMPT_TYPES: set[str] = set(PROMPT_PLACEHOLDERS) - {"image_prompt_template", "negative_prompt"}


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


def register_prompt(prompt_type: str, *, placeholders, path, text: bool = True) -> None:
    """A function folder's prompt: editable like the shipped ones, its file the default."""
    PROMPT_PLACEHOLDERS[prompt_type] = frozenset(placeholders)
    PROMPT_FILES[prompt_type] = path
    if text:
        TEXT_PROMPT_TYPES.add(prompt_type)
    default_prompt.cache_clear()


def unregister_prompt(prompt_type: str) -> None:
    PROMPT_PLACEHOLDERS.pop(prompt_type, None)
    PROMPT_FILES.pop(prompt_type, None)
    TEXT_PROMPT_TYPES.discard(prompt_type)
    default_prompt.cache_clear()


def optional_placeholders(prompt_type: str) -> frozenset[str]:
    return VOICE_PLACEHOLDERS if prompt_type in TEXT_PROMPT_TYPES else frozenset()


def allowed_placeholders(prompt_type: str) -> frozenset[str]:
    return PROMPT_PLACEHOLDERS[prompt_type] | optional_placeholders(prompt_type)


@functools.cache
def default_prompt(prompt_type: str) -> str:
    if prompt_type not in PROMPT_PLACEHOLDERS:
        raise KeyError(prompt_type)
    if prompt_type in PROMPT_FILES:
        return Path(PROMPT_FILES[prompt_type]).read_text(encoding="utf-8")
    return (resources.files("igny8.system") / "prompts" / f"{prompt_type}.md").read_text(encoding="utf-8")


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
    required = PROMPT_PLACEHOLDERS[prompt_type] if prompt_type != "negative_prompt" else frozenset()
    problems += [f"Missing placeholder {{{name}}}." for name in sorted(required - used)]
    return problems
