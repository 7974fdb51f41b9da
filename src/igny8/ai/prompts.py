"""Which template a run uses (the run's own override, the account's AIPrompt, the shipped default)
and filling it in."""

from __future__ import annotations

from igny8.accounts.models import Account
from igny8.system.prompts import placeholder_problems, placeholders_in
from igny8.system.selectors import prompt_effective
from igny8.system.voice import Voice, prompt_values


class PromptError(Exception):
    pass


def override_problems(*, prompt_type: str | None, override: object) -> list[str]:
    """Checks a payload's `prompt_override` the way saving a prompt is checked."""
    if override in (None, ""):
        return []
    if not isinstance(override, str):
        return ["prompt_override must be text."]
    if prompt_type is None:
        return ["This function takes no prompt template, so it takes no prompt_override."]
    return placeholder_problems(prompt_type=prompt_type, template=override)


def template_for(*, account: Account, prompt_type: str | None, override: str | None = None) -> str:
    if prompt_type is None:
        return ""
    if override:
        return override
    return prompt_effective(account=account, prompt_type=prompt_type)


def render(template: str, *, prompt_type: str, voice: Voice | None = None, **values: object) -> str:
    """Fills the placeholders; a value the function forgot is a bug, named rather than left as {x}.
    The voice's placeholders (language, tone, ...) are always filled: the run's voice, else the
    plain default, so any text prompt may use them."""
    values = {**prompt_values(voice or Voice()), **values}
    try:
        missing = sorted(placeholders_in(template) - set(values))
        if missing:
            raise PromptError(
                f"The {prompt_type} prompt uses {{{missing[0]}}}, which this function does not fill."
            )
        return template.format_map(values)
    except (KeyError, IndexError, ValueError) as error:
        raise PromptError(f"The {prompt_type} prompt could not be filled in: {error}") from error
