"""OpenAI (and any OpenAI-compatible server via base_url) through the official SDK.

The SDK's own retries are off (max_retries=0): every adapter shares one bounded retry policy
(base.with_retries), so backoff and Retry-After behave the same for OpenAI and Runware and tests
can assert the waits exactly."""

from __future__ import annotations

import base64
import copy

import openai

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

KEY_HINT = "the key in Settings > Integrations > OpenAI (or OPENAI_API_KEY)"
# model -> (allowed sizes, largest n). dall-e-3 makes one image per call.
IMAGE_RULES: dict[str, tuple[frozenset[str], int]] = {
    "dall-e-2": (frozenset({"256x256", "512x512", "1024x1024"}), 10),
    "dall-e-3": (frozenset({"1024x1024", "1792x1024", "1024x1792"}), 1),
    "gpt-image-1": (frozenset({"1024x1024", "1536x1024", "1024x1536", "auto"}), 10),
    "gpt-image-1-mini": (frozenset({"1024x1024", "1536x1024", "1024x1536", "auto"}), 10),
}
BASE64_MODELS = frozenset({"gpt-image-1", "gpt-image-1-mini"})
GPT_IMAGE_FORMATS = {"png": "png", "webp": "webp", "jpg": "jpeg", "jpeg": "jpeg"}
DROP_KEYS = frozenset({"default", "title"})


def strict_schema(schema: dict) -> dict:
    """Pydantic's JSON schema made acceptable to strict structured output: every object closed
    (additionalProperties false) with all its properties required; defaults and titles dropped."""

    def fix(node):
        if isinstance(node, list):
            return [fix(item) for item in node]
        if not isinstance(node, dict):
            return node
        out = {}
        for key, value in node.items():
            if key in DROP_KEYS:
                continue
            if key in ("properties", "$defs"):
                out[key] = {name: fix(sub) for name, sub in value.items()}
            else:
                out[key] = fix(value)
        if out.get("type") == "object" or "properties" in out:
            out["additionalProperties"] = False
            out["required"] = list(out.get("properties", {}))
        return out

    return fix(copy.deepcopy(schema))


def validate_image_request(request: ImageRequest) -> None:
    rules = IMAGE_RULES.get(request.model)
    if rules is None:
        return  # an OpenAI-compatible server's own model: let the server judge
    sizes, max_n = rules
    if request.size not in sizes:
        raise ProviderError(
            f"{request.model} cannot make {request.size} images; use one of {', '.join(sorted(sizes))}."
        )
    if not 1 <= request.n <= max_n:
        raise ProviderError(f"{request.model} makes 1 to {max_n} image(s) per call; {request.n} were asked.")


class OpenAIProvider:
    name = "openai"
    capabilities = Capabilities(text=True, images=True, image_models=tuple(IMAGE_RULES))

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str = "",
        timeout: float = 120.0,
        image_timeout: float = 180.0,
        retry: RetryPolicy | None = None,
        http_client=None,
    ):
        self.retry = retry or RetryPolicy()
        self.timeout, self.image_timeout = timeout, image_timeout
        self.client = openai.OpenAI(
            api_key=api_key,
            base_url=base_url or None,
            timeout=timeout,
            max_retries=0,
            http_client=http_client,
        )

    # -- errors ----------------------------------------------------------------------------------
    def _call(self, fn, *, timeout: float):
        def attempt():
            try:
                return fn()
            except openai.APITimeoutError as error:
                raise ProviderError(f"OpenAI did not answer within {timeout:g}s.", retryable=True) from error
            except openai.APIConnectionError as error:
                raise ProviderError(
                    f"Could not reach OpenAI at {self.client.base_url}: {error}", retryable=True
                ) from error
            except openai.APIStatusError as error:
                body = error.body if isinstance(error.body, dict) else {}
                detail = body.get("message") or (body.get("error") or {}).get("message") or str(error)
                mapped = status_message(
                    service="OpenAI", status=error.status_code, detail=str(detail), key_hint=KEY_HINT
                )
                mapped.retry_after = retry_after_seconds(error.response.headers.get("retry-after"))
                raise mapped from error

        return with_retries(attempt, policy=self.retry)

    # -- text ------------------------------------------------------------------------------------
    def complete(self, request: CompletionRequest) -> CompletionResult:
        messages = [{"role": "system", "content": request.system}] if request.system else []
        messages.append({"role": "user", "content": request.prompt})
        kwargs: dict = {"model": request.model, "messages": messages, "timeout": self.timeout}
        if request.temperature is not None:
            kwargs["temperature"] = request.temperature
        if request.max_tokens:
            # Reasoning models refuse max_tokens; compatible servers often only know max_tokens.
            reasoning = request.model.startswith(("o1", "o3", "o4", "gpt-5"))
            kwargs["max_completion_tokens" if reasoning else "max_tokens"] = request.max_tokens
        if request.json_schema is not None and request.json_mode == "schema":
            kwargs["response_format"] = {
                "type": "json_schema",
                "json_schema": {
                    "name": request.schema_name,
                    "schema": strict_schema(request.json_schema),
                    "strict": True,
                },
            }
        elif request.json_schema is not None and request.json_mode == "object":
            kwargs["response_format"] = {"type": "json_object"}
        response = self._call(lambda: self.client.chat.completions.create(**kwargs), timeout=self.timeout)
        if not response.choices:
            raise ProviderError("OpenAI returned no answer choices.", retryable=True)
        choice = response.choices[0]
        if choice.message.refusal:
            raise ProviderError(
                f"The model refused: {choice.message.refusal} Rephrase the input or the "
                "prompt template (Settings > Prompts)."
            )
        if choice.finish_reason == "content_filter":
            raise ProviderError(
                "OpenAI's content filter stopped the answer. Rephrase the input or the prompt "
                "template (Settings > Prompts)."
            )
        if choice.finish_reason == "length":
            raise ProviderError(
                "The answer was cut off at the token limit. Select fewer items per run or "
                "use a model with a larger output limit."
            )
        usage = response.usage
        return CompletionResult(
            text=choice.message.content or "",
            model=response.model or request.model,
            tokens_in=usage.prompt_tokens if usage else 0,
            tokens_out=usage.completion_tokens if usage else 0,
        )

    # -- images ----------------------------------------------------------------------------------
    def generate_image(self, request: ImageRequest) -> ImageResult:
        validate_image_request(request)
        kwargs: dict = {
            "model": request.model,
            "prompt": request.prompt,
            "n": request.n,
            "size": request.size,
            "timeout": self.image_timeout,
        }
        if request.model in BASE64_MODELS:
            kwargs["output_format"] = GPT_IMAGE_FORMATS.get(request.output_format.lower(), "png")
        else:
            kwargs["response_format"] = "url"
        response = self._call(lambda: self.client.images.generate(**kwargs), timeout=self.image_timeout)
        images = [
            GeneratedImage(
                url=item.url or "",
                data=base64.b64decode(item.b64_json) if item.b64_json else b"",
                revised_prompt=item.revised_prompt or "",
            )
            for item in response.data or []
        ]
        if not images:
            raise ProviderError("OpenAI returned no image.", retryable=True)
        return ImageResult(images=images, model=request.model)

    def check(self) -> dict:
        """A free call that proves the key and base_url work: list the models."""
        page = self._call(lambda: self.client.models.list(), timeout=self.timeout)
        return {"models": sorted(model.id for model in page.data)[:50]}
