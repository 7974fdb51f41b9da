"""Writes for integration settings and prompt overrides."""

from django.db import transaction

from igny8.accounts.models import Account
from igny8.ai import selectors as ai_selectors
from igny8.core import outbound
from igny8.core.errors import Invalid
from igny8.system.integrations import SECRET_KEYS
from igny8.system.models import AIPrompt, IntegrationSettings


@transaction.atomic
def integration_save(
    *, account: Account, integration_type: str, values: dict, replace: bool
) -> IntegrationSettings:
    """Plain values go to config, secrets to the encrypted column. An omitted secret is kept;
    an empty one is cleared. `replace` (PUT) resets plain values that were not sent."""
    settings_row, _ = IntegrationSettings.objects.select_for_update().get_or_create(
        account=account, integration_type=integration_type
    )
    plain = {k: v for k, v in values.items() if k not in SECRET_KEYS}
    settings_row.config = plain if replace else {**settings_row.config, **plain}
    secrets = dict(settings_row.secrets)
    for key in SECRET_KEYS & set(values):
        if values[key]:
            secrets[key] = values[key]
        else:
            secrets.pop(key, None)
    settings_row.secrets = secrets
    _own_url_needs_own_key(integration_type=integration_type, config=settings_row.config, secrets=secrets)
    settings_row.save()
    return settings_row


def _own_url_needs_own_key(*, integration_type: str, config: dict, secrets: dict) -> None:
    """The server's key only ever goes to the server's address: a base URL of the account's own
    needs a key of the account's own, and the address must be one the server may call."""
    own_url = (config.get("base_url") or "").strip()
    if not own_url:
        return
    try:
        outbound.check_url(own_url, what="base URL")
    except outbound.OutboundRefused as error:
        raise Invalid(errors={"base_url": [str(error)]}) from error
    if ai_selectors.is_own_url(kind=integration_type, url=own_url) and not secrets.get("apiKey"):
        raise Invalid(
            errors={
                "apiKey": [
                    "A base URL of your own needs an API key of your own (for a local server that needs "
                    "none, any text will do): the server's key is only sent to the server's address."
                ]
            }
        )


@transaction.atomic
def integration_delete(*, account: Account, integration_type: str) -> None:
    IntegrationSettings.objects.filter(account=account, integration_type=integration_type).delete()


@transaction.atomic
def prompt_save(*, account: Account, prompt_type: str, value: str, is_active: bool = True) -> AIPrompt:
    prompt, _ = AIPrompt.objects.update_or_create(
        account=account, prompt_type=prompt_type, defaults={"value": value, "is_active": is_active}
    )
    return prompt


@transaction.atomic
def prompt_reset(*, account: Account, prompt_type: str) -> None:
    AIPrompt.objects.filter(account=account, prompt_type=prompt_type).delete()
