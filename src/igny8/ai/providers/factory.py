"""From a resolved ProviderConfig to a provider object: the registry says how each provider builds
itself; this module adds the operator's timeouts and retry policy. Kept apart from the adapters so
they stay free of settings and database, and so tests can swap this one function."""

from __future__ import annotations

from django.conf import settings

from igny8.ai.providers.base import Provider, ProviderConfig, ProviderError, RetryPolicy, Runtime
from igny8.ai.providers.registry import provider_info

__all__ = ["ProviderConfig", "UnusableProvider", "build_provider", "retry_policy", "runtime"]


def retry_policy() -> RetryPolicy:
    return RetryPolicy(
        attempts=settings.AI_MAX_ATTEMPTS,
        base_seconds=settings.AI_RETRY_BASE_SECONDS,
        max_seconds=settings.AI_RETRY_MAX_SECONDS,
    )


def runtime() -> Runtime:
    return Runtime(
        text_timeout=settings.AI_TEXT_TIMEOUT_SECONDS,
        image_timeout=settings.AI_IMAGE_TIMEOUT_SECONDS,
        retry=retry_policy(),
    )


class UnusableProvider:
    """Stands in for a provider whose configuration cannot be used: every call says why."""

    name = "unusable"

    def __init__(self, problem: str):
        self.problem = problem

    def _refuse(self, *args, **kwargs):
        raise ProviderError(self.problem)

    complete = generate_image = check = _refuse


def build_provider(config: ProviderConfig) -> Provider:
    if config.problem:
        return UnusableProvider(config.problem)
    return provider_info(config.provider).build(config, runtime())
