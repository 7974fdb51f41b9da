"""Reads: which provider and key a run uses, and a run's progress in the reference's shape."""

from __future__ import annotations

from dataclasses import replace

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404

from igny8.accounts.models import Account
from igny8.ai import catalogue
from igny8.ai.models import AIRun, RunStatus
from igny8.ai.providers.base import ProviderConfig
from igny8.ai.providers.registry import OFFLINE, PROVIDERS, TEXT_PROVIDER, provider_info
from igny8.system.integrations import defaults_for
from igny8.system.models import IntegrationSettings, IntegrationType

# Read from the registry: each provider declares its environment key and default models.
ENV_KEYS = {name: info.key_setting for name, info in PROVIDERS.items() if info.key_setting}
DEFAULT_MODELS = {
    name: info.default_image_model or info.default_text_model for name, info in PROVIDERS.items()
}
OWN_URL_NEEDS_OWN_KEY = (
    "This account sends {name} requests to its own base URL, so it needs its own API key there: add "
    "it in Settings > Integrations > {name} (for a local server that needs none, any text will do). "
    "The server's key is only ever sent to the server's own address."
)


def _integration(*, account: Account, kind: str) -> IntegrationSettings | None:
    return IntegrationSettings.objects.filter(account=account, integration_type=kind).first()


def operator_base_url(kind: str) -> str:
    info = provider_info(kind)
    return getattr(settings, info.base_url_setting, "") if info.base_url_setting else ""


def is_own_url(*, kind: str, url: str) -> bool:
    """A base URL that is not the server's own for this provider: only the account's key may go there."""
    url = (url or "").strip().rstrip("/").lower()
    return bool(url) and url != operator_base_url(kind).strip().rstrip("/").lower()


def _provider_config(*, account: Account, kind: str, model: str) -> ProviderConfig | None:
    """The key and address a provider is called with; None when the account has no usable key.

    Keys belong to whoever set them: the account's own key goes to the account's base URL (or the
    server's), the server's key only ever to the server's own base URL, and only while the operator
    shares it (IGNY8_SHARE_SERVER_KEYS). An integration the account switched off is off: no fallback
    to the server's key behind the owner's back."""
    row = _integration(account=account, kind=kind)
    config = row.config if row else {}
    if row is not None and (not row.is_active or config.get("enabled") is False):
        return None
    operator_url = operator_base_url(kind)
    own_url = (config.get("base_url") or "").strip()
    model = model or config.get("model") or ""
    if row is not None and row.secrets.get("apiKey"):
        return ProviderConfig(
            provider=kind,
            model=model,
            api_key=row.secrets["apiKey"],
            base_url=own_url or operator_url,
            source="account",
        )
    if is_own_url(kind=kind, url=own_url):
        return ProviderConfig(
            provider=kind,
            model=model,
            base_url=own_url,
            source="account",
            problem=OWN_URL_NEEDS_OWN_KEY.format(name=provider_info(kind).display_name),
        )
    env_key = getattr(settings, ENV_KEYS[kind], "")
    if not env_key or not settings.SHARE_SERVER_KEYS:
        return None
    return ProviderConfig(
        provider=kind, model=model, api_key=env_key, base_url=operator_url, source="environment"
    )


def with_spec(config: ProviderConfig, *, kind: str) -> ProviderConfig:
    """The config with its model's catalogue entry (read here, on the caller's thread)."""
    spec = catalogue.spec(config.model, kind=kind, provider=config.provider, base_url=config.base_url)
    return replace(config, spec=spec)


def offline_config(*, source: str = "offline") -> ProviderConfig:
    return ProviderConfig(provider=OFFLINE, model=provider_info(OFFLINE).default_text_model, source=source)


def default_text_model() -> str:
    """The operator's OPENAI_MODEL, else the provider's own current default."""
    return settings.OPENAI_MODEL or provider_info(TEXT_PROVIDER).default_text_model


def text_provider_config(*, account: Account) -> ProviderConfig:
    found = _provider_config(account=account, kind=TEXT_PROVIDER, model="")
    if found is None:
        return with_spec(offline_config(), kind="text")
    return with_spec(replace(found, model=found.model or default_text_model()), kind="text")


def image_settings(*, account: Account) -> dict:
    row = _integration(account=account, kind=IntegrationType.IMAGE_GENERATION)
    return {**defaults_for(IntegrationType.IMAGE_GENERATION), **(row.config if row else {})}


def _image_model(*, account: Account, provider: str, model: str) -> str:
    """The model asked for, if this provider can serve it; else an image-only provider's own
    integration model, else the provider's default (image settings saved before the save-time
    check existed may name another provider's model)."""
    info = provider_info(provider)
    if model and (info.image_models is None or info.image_models.fullmatch(model)):
        return model
    if not info.capabilities.text:  # an image-only provider's integration names its image model
        row = _integration(account=account, kind=provider)
        own = (row.config if row else {}).get("model") or ""
        if own and (info.image_models is None or info.image_models.fullmatch(own)):
            return own
    return info.default_image_model


def image_provider_config(
    *, account: Account, provider: str | None = None, model: str | None = None
) -> ProviderConfig:
    chosen = image_settings(account=account)
    provider = provider or chosen["provider"]
    model = _image_model(account=account, provider=provider, model=model or chosen.get("model") or "")
    found = _provider_config(account=account, kind=provider, model=model)
    if found is None:
        return with_spec(
            replace(offline_config(), model=provider_info(OFFLINE).default_image_model), kind="image"
        )
    return with_spec(found, kind="image")


def configured_models() -> list[dict]:
    """Every model something is set to use, for the operator's check (`igny8 doctor`): the
    server's defaults, then each account's saved text and image models. Operator-wide by design."""
    text = provider_info(TEXT_PROVIDER)
    found = [
        {
            "where": "server (OPENAI_MODEL)",
            "kind": "text",
            "provider": text.name,
            "model": default_text_model(),
        }
    ]
    rows = IntegrationSettings.objects.filter(
        integration_type__in=[*ENV_KEYS, IntegrationType.IMAGE_GENERATION]
    )
    for row in rows.select_related("account").order_by("account_id", "integration_type"):
        model = (row.config or {}).get("model")
        if not model:
            continue
        if row.integration_type == IntegrationType.IMAGE_GENERATION:
            kind, provider = "image", row.config.get("provider", "")
        else:
            provider = row.integration_type
            kind = "text" if provider_info(provider).capabilities.text else "image"
        where = f"account {row.account_id} ({row.account.name}), {row.integration_type} settings"
        found.append({"where": where, "kind": kind, "provider": provider, "model": model})
    return found


# Providers a run's payload may force ({"provider": "offline"}): a draft run that must never
# touch the network or spend on an API, whatever keys the account holds.
FORCEABLE_PROVIDERS = (OFFLINE,)


def provider_config(*, account: Account, kind: str, forced: str | None = None) -> ProviderConfig:
    if forced == OFFLINE:
        return with_spec(offline_config(source="request"), kind=kind)
    return (
        image_provider_config(account=account) if kind == "image" else text_provider_config(account=account)
    )


# -- runs ------------------------------------------------------------------------------------------
STATE = {
    RunStatus.PENDING: "PENDING",
    RunStatus.RUNNING: "PROGRESS",
    RunStatus.SUCCESS: "SUCCESS",
    RunStatus.FAILED: "FAILURE",
    RunStatus.CANCELLED: "FAILURE",
}


def run_list(*, account: Account) -> QuerySet[AIRun]:
    return AIRun.objects.filter(account=account).select_related("site")


def run_get(*, account: Account, task_id: str) -> AIRun:
    """Not found and another account's run look the same (404)."""
    run = AIRun.objects.filter(account=account, task_id=task_id).first()
    if run is None:
        raise Http404("No such task.")
    return run


def task_progress(*, run: AIRun) -> dict:
    meta = {
        "current": run.current,
        "total": run.total,
        "percentage": run.percentage,
        "phase": run.phase,
        "message": run.message,
        "status": run.status,
        "function_name": run.function_name,
        "request_steps": run.request_steps,
        "response_steps": run.response_steps,
        # A function's own progress fields (e.g. current_image, results of the image queue).
        **((run.result or {}).get("meta") or {}),
    }
    body = {"state": STATE[RunStatus(run.status)], "meta": meta, "result": run.result}
    if run.status in (RunStatus.FAILED, RunStatus.CANCELLED):
        body["error"] = run.error or run.message
    return body
