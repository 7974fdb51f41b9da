"""Reads for integration settings and prompts, with secrets only ever as masked hints."""

from igny8.accounts.models import Account
from igny8.core.crypto import mask
from igny8.system.integrations import SETTINGS_SCHEMAS, defaults_for
from igny8.system.models import AIPrompt, IntegrationSettings
from igny8.system.prompts import (
    PROMPT_LABELS,
    PROMPT_PLACEHOLDERS,
    PROMPT_TYPES,
    default_prompt,
    optional_placeholders,
)


def integration_view(
    *, account: Account, integration_type: str, row: IntegrationSettings | None = None
) -> dict:
    if row is None:
        row = IntegrationSettings.objects.filter(account=account, integration_type=integration_type).first()
    return {
        "integration_type": integration_type,
        "is_configured": row is not None,
        "is_active": row.is_active if row else True,
        "config": {**defaults_for(integration_type), **(row.config if row else {})},
        "secrets": {key: mask(value) for key, value in (row.secrets if row else {}).items()},
        "updated_at": row.updated_at if row else None,
    }


def integration_list(*, account: Account) -> list[dict]:
    rows = {row.integration_type: row for row in IntegrationSettings.objects.filter(account=account)}
    return [
        integration_view(account=account, integration_type=kind, row=rows.get(kind))
        for kind in SETTINGS_SCHEMAS
    ]


def prompt_view(*, prompt_type: str, override: AIPrompt | None) -> dict:
    active = override is not None and override.is_active
    return {
        "prompt_type": prompt_type,
        "label": PROMPT_LABELS.get(prompt_type, prompt_type),
        "value": override.value if active else default_prompt(prompt_type),
        "is_default": not active,
        "is_active": override.is_active if override else True,
        "placeholders": sorted(PROMPT_PLACEHOLDERS[prompt_type]),
        # The author profile's placeholders: any text prompt may use them (system/voice.py).
        "optional_placeholders": sorted(optional_placeholders(prompt_type)),
        "default_value": default_prompt(prompt_type),
    }


def prompt_list(*, account: Account) -> list[dict]:
    overrides = {p.prompt_type: p for p in AIPrompt.objects.filter(account=account)}
    return [prompt_view(prompt_type=kind, override=overrides.get(kind)) for kind in PROMPT_TYPES]


def prompt_effective(*, account: Account, prompt_type: str) -> str:
    """The template a run uses: the account's active override, else the shipped default."""
    override = AIPrompt.objects.filter(account=account, prompt_type=prompt_type, is_active=True).first()
    return override.value if override else default_prompt(prompt_type)
