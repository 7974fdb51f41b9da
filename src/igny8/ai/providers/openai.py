"""OpenAI (and any OpenAI-compatible server via base_url) through the official SDK.

The SDK's own retries are off (max_retries=0): every adapter shares one bounded retry policy
(base.with_retries), so backoff and Retry-After behave the same for OpenAI and Runware and tests
can assert the waits exactly."""

from __future__ import annotations

import base64
import copy
import json
import re
from dataclasses import replace

import openai

from igny8.ai.catalogue import (
    AIR_ID,
    DALL_E,
    GPT_IMAGE,
    ModelSpec,
    lifecycle_warning,
    on_openai_api,
    shipped_spec,
)
from igny8.ai.providers import negotiation
from igny8.ai.providers.base import (
    Capabilities,
    CompletionRequest,
    CompletionResult,
    GeneratedImage,
    ImageRequest,
    ImageResult,
    ImageUsage,
    ProviderConfig,
    ProviderError,
    ProviderInfo,
    RetryPolicy,
    Runtime,
    retry_after_seconds,
    status_message,
    with_retries,
)
from igny8.core import outbound

KEY_HINT = "the key in Settings > Integrations > OpenAI (or OPENAI_API_KEY)"
BILLING_HINT = (
    "Add credit or raise the usage limit in the OpenAI dashboard (Settings > Billing), then run again."
)
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


def validate_image_request(request: ImageRequest, spec: ModelSpec) -> None:
    """Refused before anything is sent: a shut-down model, a size or count the model cannot make."""
    if spec.retired():
        raise ProviderError(f"{lifecycle_warning(spec)} The model is set in Settings > Image generation.")
    if spec.sizes and request.size not in spec.sizes:
        raise ProviderError(
            f"{request.model} cannot make {request.size} images; use one of {', '.join(sorted(spec.sizes))}."
        )
    if not 1 <= request.n <= spec.max_n:
        raise ProviderError(
            f"{request.model} makes 1 to {spec.max_n} image(s) per call; {request.n} were asked."
        )


GARBLED = (
    "OpenAI's answer arrived garbled (not valid JSON); it was retried and then given up. Try again later."
)


def _text_answered(response) -> None:
    """Raised inside the retry loop: no choices, or an empty message that is not a refusal or a
    cut-off (those are final and said on their own), is worth another try."""
    if isinstance(response, str | bytes):  # the SDK hands over a body it could not read as JSON
        raise ProviderError(GARBLED, retryable=True)
    if not getattr(response, "choices", None):
        raise ProviderError(
            "OpenAI returned no answer; it was retried and then given up. Try again later.", retryable=True
        )
    choice = response.choices[0]
    empty = not (choice.message.content or "").strip() and not choice.message.refusal
    if empty and choice.finish_reason not in ("length", "content_filter"):
        raise ProviderError(
            "OpenAI returned an empty answer; it was retried and then given up. Try again later.",
            retryable=True,
        )


def _image_answered(response) -> None:
    if not any(item.url or item.b64_json for item in (getattr(response, "data", None) or [])):
        raise ProviderError(
            "OpenAI returned no image; it was retried and then given up. Try again later.", retryable=True
        )


def _image_usage(usage) -> ImageUsage | None:
    if usage is None:
        return None
    given, made = usage.input_tokens_details, usage.output_tokens_details
    return ImageUsage(
        text_tokens_in=given.text_tokens if given else usage.input_tokens,
        image_tokens_in=given.image_tokens if given else 0,
        image_tokens_out=made.image_tokens if made else usage.output_tokens,
        text_tokens_out=made.text_tokens if made else 0,
    )


class OpenAIProvider:
    name = "openai"
    capabilities = Capabilities(text=True, images=True)

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str = "",
        timeout: float = 120.0,
        image_timeout: float = 180.0,
        retry: RetryPolicy | None = None,
        http_client=None,
        spec: ModelSpec | None = None,
    ):
        self.retry = retry or RetryPolicy()
        self.timeout, self.image_timeout = timeout, image_timeout
        self.base_url, self.spec = base_url, spec
        self.client = openai.OpenAI(
            api_key=api_key,
            base_url=base_url or None,
            timeout=timeout,
            max_retries=0,
            http_client=http_client or outbound.httpx2_client(timeout=timeout),
        )

    def _spec(self, model: str, *, kind: str) -> ModelSpec:
        """The catalogue entry resolved for this run, or the shipped one (no database here)."""
        if self.spec is not None and (self.spec.name, self.spec.kind) == (model, kind):
            return self.spec
        return shipped_spec(model, kind=kind, provider=self.name, base_url=self.base_url)

    # -- errors ----------------------------------------------------------------------------------
    def _call(self, fn, *, timeout: float, check=None):
        """One provider call with retries. `check` looks at a 200's answer inside the retry loop: an
        empty or garbled answer is a transient fault like a 5xx, retried the same way."""

        def attempt():
            try:
                response = fn()
            except (json.JSONDecodeError, openai.APIResponseValidationError) as error:
                raise ProviderError(GARBLED, retryable=True) from error
            except openai.APITimeoutError as error:
                raise ProviderError(f"OpenAI did not answer within {timeout:g}s.", retryable=True) from error
            except openai.APIConnectionError as error:
                refused = outbound.refusal_in(error)
                if refused is not None:  # the address is not allowed: retrying cannot help
                    raise ProviderError(str(refused)) from error
                # No OS error text: it would tell a closed port from a silent one.
                raise ProviderError(
                    f"Could not connect to OpenAI at {self.client.base_url}.", retryable=True
                ) from error
            except openai.APIStatusError as error:
                # The SDK hands over the body's "error" object, or the raw text (an HTML page).
                body = error.body if isinstance(error.body, dict) else {}
                detail = body.get("message") or (body.get("error") or {}).get("message") or error.body
                mapped = status_message(
                    service="OpenAI",
                    status=error.status_code,
                    detail=str(detail or error.message),
                    key_hint=KEY_HINT,
                    code=str(error.code or body.get("type") or ""),
                    billing_hint=BILLING_HINT,
                )
                mapped.retry_after = retry_after_seconds(error.response.headers)
                raise mapped from error
            if check is not None:
                check(response)
            return response

        return with_retries(attempt, policy=self.retry)

    # -- text ------------------------------------------------------------------------------------
    def text_request(self, request: CompletionRequest) -> dict:
        """The request body for this model's family: reasoning models get no temperature; every
        call carries an output cap, named max_completion_tokens where OpenAI's rules apply (its
        own API, its reasoning models) and max_tokens on compatible servers, which know that one."""
        spec = self._spec(request.model, kind="text")
        messages = [{"role": "system", "content": request.system}] if request.system else []
        messages.append({"role": "user", "content": request.prompt})
        kwargs: dict = {"model": request.model, "messages": messages}
        if request.temperature is not None and not spec.reasoning:
            kwargs["temperature"] = request.temperature
        cap = request.max_tokens or spec.output_cap
        own_api = on_openai_api(self.base_url)
        kwargs["max_completion_tokens" if own_api or spec.reasoning else "max_tokens"] = cap
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
            if not own_api:
                # llama.cpp-style servers constrain JSON mode to a schema sent beside it.
                kwargs["response_format"]["schema"] = request.json_schema
        return kwargs

    def _create(self, request: CompletionRequest):
        kwargs = {**self.text_request(request), "timeout": self.timeout}
        return self._call(
            lambda: self.client.chat.completions.create(**kwargs), timeout=self.timeout, check=_text_answered
        )

    def _negotiated(self, request: CompletionRequest):
        """json_mode "auto" (a compatible server's model nobody described): ask with a JSON schema,
        step down when the server refuses the response_format it was sent, and remember what worked
        for this (server, model) so later calls go straight there. The prompt always carries the
        JSON instructions (the engine adds them for every mode but "schema"), so prompt-only works."""
        key = (self.base_url.rstrip("/"), request.model)
        mode = negotiation.known(key) or "schema"
        while True:
            try:
                response = self._create(replace(request, json_mode=mode))
            except ProviderError as error:
                fallback = negotiation.fallback(mode=mode, error=error)
                if fallback is None:
                    raise
                mode = fallback
                continue
            negotiation.remember(key, mode)
            return response

    def complete(self, request: CompletionRequest) -> CompletionResult:
        if request.json_mode == "auto" and request.json_schema is not None:
            response = self._negotiated(request)
        else:
            response = self._create(request)
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
        details = usage.prompt_tokens_details if usage else None
        return CompletionResult(
            text=choice.message.content or "",
            model=response.model or request.model,
            tokens_in=usage.prompt_tokens if usage else 0,
            tokens_out=usage.completion_tokens if usage else 0,
            cached_tokens_in=(details.cached_tokens or 0) if details else 0,
        )

    # -- images ----------------------------------------------------------------------------------
    def image_request(self, request: ImageRequest) -> dict:
        """GPT image models (every image model on OpenAI's own API now DALL-E is retired) take
        output_format and quality and always answer in base64: response_format is refused. A
        compatible server's DALL-E-style model is asked for a URL as before."""
        spec = self._spec(request.model, kind="image")
        validate_image_request(request, spec)
        kwargs: dict = {
            "model": request.model,
            "prompt": request.prompt,
            "n": request.n,
            "size": request.size,
        }
        legacy = DALL_E.match(request.model) or not (
            GPT_IMAGE.match(request.model) or on_openai_api(self.base_url)
        )
        if legacy:
            kwargs["response_format"] = "url"
            return kwargs
        kwargs["output_format"] = GPT_IMAGE_FORMATS.get(request.output_format.lower(), "png")
        quality = request.quality or spec.default_quality
        if quality:
            kwargs["quality"] = quality
        return kwargs

    def generate_image(self, request: ImageRequest) -> ImageResult:
        kwargs = {**self.image_request(request), "timeout": self.image_timeout}
        response = self._call(
            lambda: self.client.images.generate(**kwargs), timeout=self.image_timeout, check=_image_answered
        )
        images = [
            GeneratedImage(
                url=item.url or "",
                data=base64.b64decode(item.b64_json) if item.b64_json else b"",
                revised_prompt=item.revised_prompt or "",
            )
            for item in response.data or []
        ]
        return ImageResult(
            images=images,
            model=request.model,
            size=response.size or request.size,
            quality=response.quality or kwargs.get("quality", ""),
            usage=_image_usage(response.usage),
        )

    def check(self) -> dict:
        """A free call that proves the key and base_url work: list the models."""
        page = self._call(lambda: self.client.models.list(), timeout=self.timeout)
        return {"models": sorted(model.id for model in page.data)}


def build(config: ProviderConfig, runtime: Runtime) -> OpenAIProvider:
    return OpenAIProvider(
        api_key=config.api_key,
        base_url=config.base_url,
        timeout=runtime.text_timeout,
        image_timeout=runtime.image_timeout,
        retry=runtime.retry,
        spec=config.spec,
    )


INFO = ProviderInfo(
    name="openai",
    display_name="OpenAI",
    capabilities=OpenAIProvider.capabilities,
    build=build,
    key_setting="OPENAI_API_KEY",
    base_url_setting="OPENAI_BASE_URL",
    default_text_model="gpt-5.4-mini",
    default_image_model="gpt-image-2",
    own_base_url=True,
    # Anything but a Runware-style AIR id (source:id@version): a compatible server names its own.
    image_models=re.compile(rf"(?!{AIR_ID.pattern})[\w.:/-]+", re.IGNORECASE),
    image_model_example="gpt-image-2",
    key_hint=KEY_HINT,
)
