"""Runware over its REST endpoint: a JSON array of tasks in, `data` (results) or `errors` out.

Runware's own SDK is async over a websocket; one synchronous POST per image suits a Celery task."""

from __future__ import annotations

import uuid
from decimal import Decimal

import httpx

from igny8.ai.catalogue import AIR_ID
from igny8.ai.providers.base import (
    Capabilities,
    CompletionRequest,
    CompletionResult,
    GeneratedImage,
    ImageRequest,
    ImageResult,
    ProviderConfig,
    ProviderError,
    ProviderInfo,
    RetryPolicy,
    Runtime,
    readable,
    retry_after_seconds,
    status_message,
    with_retries,
)
from igny8.core import outbound

KEY_HINT = "the key in Settings > Integrations > Runware (or RUNWARE_API_KEY)"
BILLING_HINT = "Top up the Runware account's credits (my.runware.ai > Billing), then run again."
DEFAULT_BASE_URL = "https://api.runware.ai/v1"
CREDIT_CODES = frozenset({"insufficientcredits", "notenoughcredits"})
OUTPUT_FORMATS = {"png": "PNG", "webp": "WEBP", "jpg": "JPG", "jpeg": "JPG"}


def dimensions(size: str) -> tuple[int, int]:
    """Runware takes width and height in multiples of 64 between 128 and 2048."""
    try:
        width, height = (int(part) for part in size.lower().split("x"))
    except ValueError as error:
        raise ProviderError(f"Image size {size!r} is not WIDTHxHEIGHT, e.g. 1024x1024.") from error
    for value in (width, height):
        if value % 64 or not 128 <= value <= 2048:
            raise ProviderError(
                f"Runware needs width and height in multiples of 64 from 128 to 2048; {size} is not."
            )
    return width, height


def _errors(body: object) -> list[dict]:
    if isinstance(body, dict) and isinstance(body.get("errors"), list):
        return [err for err in body["errors"] if isinstance(err, dict)]
    return []


def _error_text(body: object) -> str:
    return readable("; ".join(str(err.get("message") or err.get("code") or err) for err in _errors(body)))


def _task_error(body: object, *, status: int | None = None) -> ProviderError | None:
    """Runware's own error codes: an upstream timeout is worth another try and an empty balance
    says to top up, whatever the HTTP status; None for the rest (they describe the request)."""
    codes = [str(err.get("code") or "").lower() for err in _errors(body)]
    detail = _error_text(body)
    if any(code in CREDIT_CODES for code in codes):
        return ProviderError(
            f"Runware says the account is out of credit: {detail} {BILLING_HINT}", status=status
        )
    if codes and all(code.startswith("timeout") for code in codes):
        return ProviderError(f"Runware timed out: {detail}", retryable=True, status=status)
    return None


class RunwareProvider:
    name = "runware"
    capabilities = Capabilities(text=False, images=True, negative_prompt=True, schema_modes=())

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = 180.0,
        retry: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
    ):
        self.base_url = base_url
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.http = httpx.Client(
            timeout=timeout,
            transport=transport or outbound.httpx_transport(),
            trust_env=False,
            headers={"Authorization": f"Bearer {api_key}", "Content-Type": "application/json"},
        )

    def _post(self, tasks: list[dict], *, check=None) -> list[dict]:
        """The tasks with retries; `check` looks at a 200's data inside the retry loop, so an empty
        answer is retried like a 5xx."""

        def attempt() -> list[dict]:
            try:
                response = self.http.post(self.base_url, json=tasks)
            except httpx.TimeoutException as error:
                raise ProviderError(
                    f"Runware did not answer within {self.timeout:g}s.", retryable=True
                ) from error
            except httpx.TransportError as error:
                refused = outbound.refusal_in(error)
                if refused is not None:  # the address is not allowed: retrying cannot help
                    raise ProviderError(str(refused)) from error
                # No OS error text: it would tell a closed port from a silent one.
                raise ProviderError(
                    f"Could not connect to Runware at {self.base_url}.", retryable=True
                ) from error
            try:
                body = response.json()
            except ValueError:
                body = None
            if response.status_code >= 400:
                # Only Runware's own error messages are shown, never a body of unknown origin.
                task = _task_error(body, status=response.status_code)
                if task is not None:
                    raise task
                error = status_message(
                    service="Runware",
                    status=response.status_code,
                    detail=_error_text(body),
                    key_hint=KEY_HINT,
                    billing_hint=BILLING_HINT,
                )
                error.retry_after = retry_after_seconds(response.headers)
                raise error
            if not isinstance(body, dict):
                raise ProviderError("Runware answered with something that is not JSON.", retryable=True)
            if body.get("errors"):
                raise _task_error(body) or ProviderError(f"Runware refused the task: {_error_text(body)}")
            data = list(body.get("data") or [])
            if check is not None:
                check(data)
            return data

        return with_retries(attempt, policy=self.retry)

    def complete(self, request: CompletionRequest) -> CompletionResult:
        raise ProviderError("Runware makes images only; configure OpenAI for text.")

    def generate_image(self, request: ImageRequest) -> ImageResult:
        width, height = dimensions(request.size)
        task: dict = {
            "taskType": "imageInference",
            "taskUUID": str(uuid.uuid4()),
            "positivePrompt": request.prompt,
            "model": request.model,
            "width": width,
            "height": height,
            "numberResults": request.n,
            "outputType": "URL",
            "outputFormat": OUTPUT_FORMATS.get(request.output_format.lower(), "WEBP"),
            "includeCost": True,
        }
        if request.negative_prompt.strip():
            task["negativePrompt"] = request.negative_prompt

        def ours(data: list[dict]) -> list[dict]:
            return [item for item in data if item.get("taskUUID") in (None, task["taskUUID"])]

        def answered(data: list[dict]) -> None:
            if not any(item.get("imageURL") for item in ours(data)):
                raise ProviderError(
                    "Runware returned no image; it was retried and then given up. Try again later.",
                    retryable=True,
                )

        data = ours(self._post([task], check=answered))
        urls = [item["imageURL"] for item in data if item.get("imageURL")]
        costs = [Decimal(str(item["cost"])) for item in data if item.get("cost") is not None]
        return ImageResult(
            images=[GeneratedImage(url=url) for url in urls],
            model=request.model,
            cost_usd=sum(costs, Decimal("0")) if costs else None,
            size=request.size,
        )

    def check(self) -> dict:
        """Proves the key: Runware's authentication task, which costs nothing."""
        data = self._post([{"taskType": "authentication", "apiKey": self.http.headers["Authorization"][7:]}])
        return {"authenticated": True, "tasks": [item.get("taskType") for item in data]}


def build(config: ProviderConfig, runtime: Runtime) -> RunwareProvider:
    return RunwareProvider(
        api_key=config.api_key,
        base_url=config.base_url or DEFAULT_BASE_URL,
        timeout=runtime.image_timeout,
        retry=runtime.retry,
    )


INFO = ProviderInfo(
    name="runware",
    display_name="Runware",
    capabilities=RunwareProvider.capabilities,
    build=build,
    key_setting="RUNWARE_API_KEY",
    base_url_setting="RUNWARE_BASE_URL",
    default_image_model="runware:97@1",
    image_models=AIR_ID,
    image_model_example="runware:97@1",
    key_hint=KEY_HINT,
)
