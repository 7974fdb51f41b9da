"""From a resolved ProviderConfig to a provider object. Kept apart from the adapters so they stay
free of settings and database, and so tests can swap this one function."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from igny8.ai.providers.base import Provider, RetryPolicy


@dataclass(frozen=True)
class ProviderConfig:
    provider: str  # openai | runware | offline
    model: str
    api_key: str = ""
    base_url: str = ""
    source: str = "offline"  # account | environment | offline | request

    def describe(self) -> str:
        where = {
            "account": "account settings",
            "environment": "server environment",
            "request": "this request",
            "offline": "no key configured",
        }[self.source]
        return f"{self.provider} / {self.model} ({where})"


def retry_policy() -> RetryPolicy:
    return RetryPolicy(
        attempts=settings.AI_MAX_ATTEMPTS,
        base_seconds=settings.AI_RETRY_BASE_SECONDS,
        max_seconds=settings.AI_RETRY_MAX_SECONDS,
    )


def build_provider(config: ProviderConfig) -> Provider:
    if config.provider == "openai":
        from igny8.ai.providers.openai import OpenAIProvider

        return OpenAIProvider(
            api_key=config.api_key,
            base_url=config.base_url,
            timeout=settings.AI_TEXT_TIMEOUT_SECONDS,
            image_timeout=settings.AI_IMAGE_TIMEOUT_SECONDS,
            retry=retry_policy(),
        )
    if config.provider == "runware":
        from igny8.ai.providers.runware import RunwareProvider

        return RunwareProvider(
            api_key=config.api_key,
            base_url=config.base_url or settings.RUNWARE_BASE_URL,
            timeout=settings.AI_IMAGE_TIMEOUT_SECONDS,
            retry=retry_policy(),
        )
    from igny8.ai.providers.offline import OfflineProvider

    return OfflineProvider()
