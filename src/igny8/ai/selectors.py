"""Reads: which provider and key a run uses, and a run's progress in the reference's shape."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404

from igny8.accounts.models import Account
from igny8.ai.models import AIRun, RunStatus
from igny8.ai.providers.factory import ProviderConfig
from igny8.system.integrations import defaults_for
from igny8.system.models import IntegrationSettings, IntegrationType

ENV_KEYS = {"openai": "OPENAI_API_KEY", "runware": "RUNWARE_API_KEY"}
DEFAULT_MODELS = {"runware": "runware:97@1"}


def _integration(*, account: Account, kind: str) -> IntegrationSettings | None:
    return IntegrationSettings.objects.filter(account=account, integration_type=kind).first()


def _key_source(*, account: Account, kind: str) -> tuple[str, str, dict] | None:
    """(key, source, config) from the account's settings, else the environment. An integration the
    account switched off is off: no fallback to the server's key behind the owner's back."""
    row = _integration(account=account, kind=kind)
    config = row.config if row else {}
    if row is not None and (not row.is_active or config.get("enabled") is False):
        return None
    if row is not None and row.secrets.get("apiKey"):
        return row.secrets["apiKey"], "account", config
    env_key = getattr(settings, ENV_KEYS[kind], "")
    return (env_key, "environment", config) if env_key else None


def text_provider_config(*, account: Account) -> ProviderConfig:
    found = _key_source(account=account, kind="openai")
    if found is None:
        return ProviderConfig(provider="offline", model="offline")
    key, source, config = found
    return ProviderConfig(
        provider="openai",
        api_key=key,
        source=source,
        model=config.get("model") or settings.OPENAI_MODEL,
        base_url=config.get("base_url") or settings.OPENAI_BASE_URL,
    )


def image_settings(*, account: Account) -> dict:
    row = _integration(account=account, kind=IntegrationType.IMAGE_GENERATION)
    return {**defaults_for(IntegrationType.IMAGE_GENERATION), **(row.config if row else {})}


def image_provider_config(
    *, account: Account, provider: str | None = None, model: str | None = None
) -> ProviderConfig:
    chosen = image_settings(account=account)
    provider = provider or chosen["provider"]
    found = _key_source(account=account, kind=provider)
    if found is None:
        return ProviderConfig(provider="offline", model="offline")
    key, source, config = found
    model = model or chosen.get("model") or ""
    if provider == "runware" and not (model and ":" in model):
        # The image settings default to dall-e-3; a Runware model is an AIR id like runware:97@1.
        model = config.get("model") or DEFAULT_MODELS["runware"]
    base_url = config.get("base_url") or (settings.OPENAI_BASE_URL if provider == "openai" else "")
    return ProviderConfig(provider=provider, model=model, api_key=key, base_url=base_url, source=source)


# Providers a run's payload may force ({"provider": "offline"}): a draft run that must never
# touch the network or spend on an API, whatever keys the account holds.
FORCEABLE_PROVIDERS = ("offline",)


def provider_config(*, account: Account, kind: str, forced: str | None = None) -> ProviderConfig:
    if forced == "offline":
        return ProviderConfig(provider="offline", model="offline", source="request")
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
