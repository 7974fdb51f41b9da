"""Runware over its REST endpoint: a JSON array of tasks in, `data` (results) or `errors` out.

Runware's own SDK is async over a websocket; one synchronous POST per image suits a Celery task."""

from __future__ import annotations

import uuid
from decimal import Decimal

import httpx

from igny8.ai.providers.base import (
    Capabilities,
    CompletionRequest,
    CompletionResult,
    GeneratedImage,
    ImageRequest,
    ImageResult,
    ProviderError,
    RetryPolicy,
    retry_after_seconds,
    status_message,
    with_retries,
)

KEY_HINT = "the key in Settings > Integrations > Runware (or RUNWARE_API_KEY)"
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


def _error_text(body: object) -> str:
    if isinstance(body, dict) and isinstance(body.get("errors"), list):
        return "; ".join(
            str(err.get("message") or err.get("code") or err)
            for err in body["errors"]
            if isinstance(err, dict)
        )
    return ""


class RunwareProvider:
    name = "runware"
    capabilities = Capabilities(text=False, images=True)

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str = "https://api.runware.ai/v1",
        timeout: float = 180.0,
        retry: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
    ):
        self.base_url = base_url
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.http = httpx.Client(
            timeout=timeout,
            transport=transport,
            headers={"Authorization": f"Bearer {api_key}", "Content-Type": "application/json"},
        )

    def _post(self, tasks: list[dict]) -> list[dict]:
        def attempt() -> list[dict]:
            try:
                response = self.http.post(self.base_url, json=tasks)
            except httpx.TimeoutException as error:
                raise ProviderError(
                    f"Runware did not answer within {self.timeout:g}s.", retryable=True
                ) from error
            except httpx.TransportError as error:
                raise ProviderError(
                    f"Could not reach Runware at {self.base_url}: {error}", retryable=True
                ) from error
            try:
                body = response.json()
            except ValueError:
                body = None
            if response.status_code >= 400:
                detail = _error_text(body) or response.text[:200]
                error = status_message(
                    service="Runware", status=response.status_code, detail=detail, key_hint=KEY_HINT
                )
                error.retry_after = retry_after_seconds(response.headers.get("retry-after"))
                raise error
            if not isinstance(body, dict):
                raise ProviderError("Runware answered with something that is not JSON.", retryable=True)
            if body.get("errors"):
                # Task-level errors arrive with 200 too; they describe the request, so retrying is futile.
                raise ProviderError(f"Runware refused the task: {_error_text(body)}")
            return list(body.get("data") or [])

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
        data = [item for item in self._post([task]) if item.get("taskUUID") in (None, task["taskUUID"])]
        urls = [item["imageURL"] for item in data if item.get("imageURL")]
        if not urls:
            raise ProviderError("Runware returned no image URL.", retryable=True)
        costs = [Decimal(str(item["cost"])) for item in data if item.get("cost") is not None]
        return ImageResult(
            images=[GeneratedImage(url=url) for url in urls],
            model=request.model,
            cost_usd=sum(costs, Decimal("0")) if costs else None,
        )

    def check(self) -> dict:
        """Proves the key: Runware's authentication task, which costs nothing."""
        data = self._post([{"taskType": "authentication", "apiKey": self.http.headers["Authorization"][7:]}])
        return {"authenticated": True, "tasks": [item.get("taskType") for item in data]}
