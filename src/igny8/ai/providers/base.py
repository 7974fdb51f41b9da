"""The provider interface: requests and results as plain data, one error type, and the bounded
retry every adapter shares (429, 5xx and timeouts retried with backoff honouring Retry-After)."""

from __future__ import annotations

import email.utils
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Protocol, TypeVar

from bs4 import BeautifulSoup
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt

from igny8.ai.catalogue import ModelSpec

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
    # The output-token cap; None means the model's own cap from the catalogue (every call has one).
    max_tokens: int | None = None
    # What the offline provider answers with (the function's honest skeleton); others ignore it.
    offline_draft: dict | None = None


@dataclass(frozen=True)
class CompletionResult:
    text: str
    model: str
    tokens_in: int = 0
    tokens_out: int = 0
    # Of tokens_in, those the provider served from its prompt cache (billed at the cached rate).
    cached_tokens_in: int = 0
    offline: bool = False


@dataclass(frozen=True)
class ImageRequest:
    prompt: str
    model: str
    negative_prompt: str = ""
    size: str = "1024x1024"
    n: int = 1
    output_format: str = "png"
    # low | medium | high ...; "" means the model's default quality from the catalogue.
    quality: str = ""


@dataclass(frozen=True)
class GeneratedImage:
    url: str = ""
    data: bytes = b""
    revised_prompt: str = ""


@dataclass(frozen=True)
class ImageUsage:
    """Token usage a GPT image model reports; billed per token instead of per image."""

    text_tokens_in: int = 0
    image_tokens_in: int = 0
    image_tokens_out: int = 0
    text_tokens_out: int = 0


@dataclass(frozen=True)
class ImageResult:
    images: list[GeneratedImage]
    model: str
    # What the provider says the call cost, when it says (Runware's includeCost); else rates apply.
    cost_usd: Decimal | None = None
    offline: bool = False
    # What was made (the price of an image depends on both) and the token usage when reported.
    size: str = ""
    quality: str = ""
    usage: ImageUsage | None = None


# "auto": negotiated with a compatible server (providers/negotiation.py).
SCHEMA_MODES = ("schema", "object", "prompt", "auto")


@dataclass(frozen=True)
class Capabilities:
    text: bool
    images: bool
    negative_prompt: bool = False
    # How the provider can be asked for JSON: strict JSON schema, JSON mode, instructions only.
    schema_modes: tuple[str, ...] = SCHEMA_MODES


class Provider(Protocol):
    name: str
    capabilities: Capabilities

    def complete(self, request: CompletionRequest) -> CompletionResult: ...

    def generate_image(self, request: ImageRequest) -> ImageResult: ...

    def check(self) -> dict: ...


@dataclass(frozen=True)
class ProviderConfig:
    """Which provider a call goes to, with which key, address and model (resolved by ai.selectors)."""

    provider: str  # a registry name: openai | runware | offline
    model: str
    api_key: str = ""
    base_url: str = ""
    source: str = "offline"  # account | environment | offline | request
    # Why this configuration cannot be used (said to the person); the provider is not called.
    problem: str = ""
    # The model's catalogue entry, resolved on the run's thread (it may read the database) so a
    # provider on a pool thread never has to.
    spec: ModelSpec | None = None

    def describe(self) -> str:
        where = {
            "account": "account settings",
            "environment": "server environment",
            "request": "this request",
            "offline": "no key configured",
        }[self.source]
        return f"{self.provider} / {self.model} ({where})"


@dataclass(frozen=True)
class Runtime:
    """What the operator's settings say about every call (the factory reads them; adapters don't)."""

    text_timeout: float = 120.0
    image_timeout: float = 180.0
    retry: RetryPolicy | None = None


@dataclass(frozen=True)
class ProviderInfo:
    """A provider describes itself (one module each, listed in providers/registry.py): the settings
    page, the key rules, the defaults and the factory all read this instead of naming providers."""

    name: str
    display_name: str
    capabilities: Capabilities
    build: Callable[[ProviderConfig, Runtime], Provider]
    key_setting: str = ""  # the operator's environment key (settings name), "" = needs none
    base_url_setting: str = ""  # the operator's address for it (settings name)
    default_text_model: str = ""
    default_image_model: str = ""
    # An account may save a base_url of its own (a compatible or local server).
    own_base_url: bool = False
    # Image model names this provider can serve (checked when image settings are saved).
    image_models: re.Pattern | None = None
    image_model_example: str = ""
    key_hint: str = ""


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


def retry_after_seconds(headers: Mapping[str, str] | None) -> float | None:
    """How long the server asked us to wait: `retry-after-ms` (OpenAI's, more precise) first, then
    `Retry-After` in seconds or as an HTTP date; None when neither says."""
    headers = headers or {}
    for name, divisor in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        value = (headers.get(name) or "").strip()
        if not value:
            continue
        try:
            return max(float(value) / divisor, 0.0)
        except ValueError:
            pass
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            continue
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return max((when - datetime.now(UTC)).total_seconds(), 0.0)
    return None


DETAIL_LIMIT = 300
_SPACES = re.compile(r"\s+")


def readable(detail: object) -> str:
    """An error body as a short sentence: an HTML page (a proxy's 502) reduced to its text, all
    whitespace collapsed, capped, so a message never carries markup or a whole page."""
    text = str(detail or "")
    if "<" in text and ">" in text:
        soup = BeautifulSoup(text, "html.parser")
        for tag in soup(["script", "style", "head"]):
            tag.decompose()
        text = soup.get_text(" ")
    text = _SPACES.sub(" ", text).strip()
    return text if len(text) <= DETAIL_LIMIT else text[: DETAIL_LIMIT - 1].rstrip() + "…"


def status_message(
    *, service: str, status: int, detail: str, key_hint: str, code: str = "", billing_hint: str = ""
) -> ProviderError:
    """One mapping of HTTP statuses to retryable/final errors with a message that says what to do.

    `code` is the provider's own error code: an exhausted quota (OpenAI answers 429
    `insufficient_quota`) or an empty balance (402) is final, because waiting does not refill it."""
    detail = (readable(detail) or "no details").rstrip(".") + "."
    if status == 402 or code == "insufficient_quota":
        return ProviderError(
            f"{service} says the account is out of credit ({status}): {detail} {billing_hint}".strip(),
            status=status,
        )
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
