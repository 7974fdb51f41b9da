"""From a resolved ProviderConfig to a provider object: the registry says how each provider builds
itself; this module adds the operator's timeouts and retry policy. Kept apart from the adapters so
they stay free of settings and database, and so tests can swap this one function."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

from igny8.ai.providers.base import Provider, ProviderConfig, ProviderError, RetryPolicy, Runtime
from igny8.ai.providers.registry import provider_info

__all__ = [
    "ProviderConfig",
    "UnusableProvider",
    "build_provider",
    "check_runtime",
    "retry_policy",
    "runtime",
    "someone_waiting",
]


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


def check_runtime() -> Runtime:
    """A key test: one call, a short timeout, no retries. It runs while someone waits (the API's
    test endpoint answers in the request), so an address that never answers costs a few seconds,
    not the text timeout times the retries."""
    seconds = settings.OUTBOUND_REQUEST_TIMEOUT_SECONDS
    return Runtime(text_timeout=seconds, image_timeout=seconds, retry=RetryPolicy(attempts=1))


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
    return provider_info(config.provider).build(config, check_runtime() if _WAITING.get() else runtime())


# Set while someone waits for the call (a key test answered in the request): providers built then
# get check_runtime(). A context variable, so the callers and the tests' stand-in factories keep
# build_provider's one argument.
_WAITING: ContextVar[bool] = ContextVar("provider_call_waited_on", default=False)


@contextmanager
def someone_waiting() -> Iterator[None]:
    token = _WAITING.set(True)
    try:
        yield
    finally:
        _WAITING.reset(token)
