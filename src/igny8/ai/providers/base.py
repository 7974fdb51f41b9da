"""The provider interface: requests and results as plain data, one error type, and the bounded
retry every adapter shares (429, 5xx and timeouts retried with backoff honouring Retry-After)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol, TypeVar

from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt

T = TypeVar("T")


class ProviderError(Exception):
    """`retryable` is for the retry loop; `message` is written for the person who has to fix it."""

    def __init__(
        self,
        message: str,
        *,
        retryable: bool = False,
        status: int | None = None,
        retry_after: float | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.retryable = retryable
        self.status = status
        self.retry_after = retry_after


@dataclass(frozen=True)
class CompletionRequest:
    prompt: str
    model: str
    system: str = ""
    # A JSON schema for the answer and how to ask for it: schema (strict), object (JSON mode), prompt.
    json_schema: dict | None = None
    schema_name: str = "output"
    json_mode: str = "prompt"
    temperature: float | None = None
    max_tokens: int | None = None
    # What the offline provider answers with (the function's honest skeleton); others ignore it.
    offline_draft: dict | None = None


@dataclass(frozen=True)
class CompletionResult:
    text: str
    model: str
    tokens_in: int = 0
    tokens_out: int = 0
    offline: bool = False


@dataclass(frozen=True)
class ImageRequest:
    prompt: str
    model: str
    negative_prompt: str = ""
    size: str = "1024x1024"
    n: int = 1
    output_format: str = "png"


@dataclass(frozen=True)
class GeneratedImage:
    url: str = ""
    data: bytes = b""
    revised_prompt: str = ""


@dataclass(frozen=True)
class ImageResult:
    images: list[GeneratedImage]
    model: str
    # What the provider says the call cost, when it says (Runware's includeCost); else rates apply.
    cost_usd: Decimal | None = None
    offline: bool = False


@dataclass(frozen=True)
class Capabilities:
    text: bool
    images: bool
    image_models: tuple[str, ...] = field(default_factory=tuple)


class Provider(Protocol):
    name: str
    capabilities: Capabilities

    def complete(self, request: CompletionRequest) -> CompletionResult: ...

    def generate_image(self, request: ImageRequest) -> ImageResult: ...


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4
    base_seconds: float = 2.0
    max_seconds: float = 60.0
    sleep: Callable[[float], None] = time.sleep

    def wait_for(self, attempt: int, error: BaseException | None) -> float:
        """Retry-After when the server sent one, else exponential backoff; both capped."""
        hinted = getattr(error, "retry_after", None)
        wait = hinted if hinted is not None else self.base_seconds * 2 ** (attempt - 1)
        return float(min(max(wait, 0.0), self.max_seconds))


def with_retries(call: Callable[[], T], *, policy: RetryPolicy) -> T:
    def _wait(state: RetryCallState) -> float:
        return policy.wait_for(state.attempt_number, state.outcome.exception() if state.outcome else None)

    retrying = Retrying(
        stop=stop_after_attempt(max(1, policy.attempts)),
        wait=_wait,
        retry=retry_if_exception(lambda error: isinstance(error, ProviderError) and error.retryable),
        sleep=policy.sleep,
        reraise=True,
    )
    return retrying(call)


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After in seconds (the HTTP-date form is rare from these APIs and treated as absent)."""
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        return None


def status_message(*, service: str, status: int, detail: str, key_hint: str) -> ProviderError:
    """One mapping of HTTP statuses to retryable/final errors with a message that says what to do."""
    detail = (detail or "no details").strip()[:400].rstrip(".") + "."
    if status in (401, 403):
        return ProviderError(
            f"{service} rejected the API key ({status}): {detail} Check {key_hint}.", status=status
        )
    if status == 429:
        return ProviderError(f"{service} is rate limiting (429): {detail}", retryable=True, status=status)
    if status >= 500 or status == 408:
        return ProviderError(
            f"{service} had a server error ({status}): {detail}", retryable=True, status=status
        )
    return ProviderError(
        f"{service} refused the request ({status}): {detail} Check the model name and settings.",
        status=status,
    )
