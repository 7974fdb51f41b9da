"""The OpenAI adapter through the real SDK over httpx2.MockTransport: no network."""

import base64
import json

import httpx2
import pytest

from igny8.ai.providers.base import CompletionRequest, ImageRequest, ProviderError, RetryPolicy
from igny8.ai.providers.openai import OpenAIProvider, strict_schema
from tests.ai.fakes import Summary
from tests.openai_fakes import chat_completion


def chat(content, *, refusal=None, finish="stop"):
    return chat_completion(content, refusal=refusal, finish=finish, model="gpt-4o-mini-2024-07-18")


class Server:
    def __init__(self, *answers):
        self.answers = list(answers)
        self.requests = []

    def __call__(self, request):
        self.requests.append(request)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def provider(server, sleeps):
    client = httpx2.Client(transport=httpx2.MockTransport(server))
    return OpenAIProvider(
        api_key="sk-test",
        base_url="http://fake.local/v1",
        timeout=5,
        retry=RetryPolicy(attempts=3, base_seconds=2, max_seconds=30, sleep=sleeps.append),
        http_client=client,
    )


REQUEST = CompletionRequest(
    prompt="Summarise",
    model="gpt-4o-mini",
    json_schema=Summary.model_json_schema(),
    schema_name="summary",
    json_mode="schema",
)


def test_structured_output_request_and_usage():
    server = Server(httpx2.Response(200, json=chat('{"title": "T", "tags": []}')))
    result = provider(server, []).complete(REQUEST)
    assert (result.text, result.tokens_in, result.tokens_out) == ('{"title": "T", "tags": []}', 1000, 500)
    body = json.loads(server.requests[0].content)
    assert body["response_format"] == {
        "type": "json_schema",
        "json_schema": {
            "name": "summary",
            "strict": True,
            "schema": {
                "type": "object",
                "additionalProperties": False,
                "required": ["title", "tags"],
                "properties": {
                    "title": {"type": "string"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
    }
    assert server.requests[0].headers["authorization"] == "Bearer sk-test"
    assert str(server.requests[0].url) == "http://fake.local/v1/chat/completions"


def test_json_mode_and_prompt_only():
    server = Server(httpx2.Response(200, json=chat("{}")), httpx2.Response(200, json=chat("{}")))
    p = provider(server, [])
    p.complete(CompletionRequest(prompt="x", model="gpt-4-turbo", json_schema={}, json_mode="object"))
    p.complete(CompletionRequest(prompt="x", model="local-llama", json_schema={}, json_mode="prompt"))
    # A compatible server (fake.local) gets the schema beside JSON mode, as llama.cpp-style servers take it.
    assert json.loads(server.requests[0].content)["response_format"] == {"type": "json_object", "schema": {}}
    assert "response_format" not in json.loads(server.requests[1].content)


def test_429_then_success_honours_retry_after():
    server = Server(
        httpx2.Response(429, headers={"retry-after": "7"}, json={"error": {"message": "slow down"}}),
        httpx2.Response(200, json=chat("{}")),
    )
    sleeps = []
    assert provider(server, sleeps).complete(REQUEST).text == "{}"
    assert sleeps == [7.0]


def test_500s_back_off_exponentially_then_give_up():
    server = Server(*[httpx2.Response(500, json={"error": {"message": "boom"}})] * 3)
    sleeps = []
    with pytest.raises(ProviderError) as caught:
        provider(server, sleeps).complete(REQUEST)
    assert sleeps == [2.0, 4.0]
    assert (caught.value.retryable, caught.value.status) == (True, 500)
    assert caught.value.message == "OpenAI had a server error (500): boom."
    assert len(server.requests) == 3


def test_timeouts_are_retried_and_reported():
    server = Server(*[httpx2.ReadTimeout("slow")] * 2, httpx2.Response(200, json=chat("{}")))
    sleeps = []
    assert provider(server, sleeps).complete(REQUEST).text == "{}"
    assert sleeps == [2.0, 4.0]
    server = Server(*[httpx2.ReadTimeout("slow")] * 3)
    with pytest.raises(ProviderError, match=r"^OpenAI did not answer within 5s\.$"):
        provider(server, []).complete(REQUEST)


def test_401_fails_fast_with_what_to_fix():
    server = Server(httpx2.Response(401, json={"error": {"message": "Incorrect API key provided"}}))
    sleeps = []
    with pytest.raises(ProviderError) as caught:
        provider(server, sleeps).complete(REQUEST)
    assert caught.value.message == (
        "OpenAI rejected the API key (401): Incorrect API key provided. Check the key in "
        "Settings > Integrations > OpenAI (or OPENAI_API_KEY)."
    )
    assert (sleeps, len(server.requests), caught.value.retryable) == ([], 1, False)


def test_400_fails_fast():
    server = Server(httpx2.Response(400, json={"error": {"message": "model not supported"}}))
    with pytest.raises(
        ProviderError, match=r"refused the request \(400\): model not supported\. Check the model"
    ):
        provider(server, []).complete(REQUEST)
    assert len(server.requests) == 1


def test_refusal_and_content_filter_fail_fast():
    server = Server(
        httpx2.Response(200, json=chat(None, refusal="I can't help with that.")),
        httpx2.Response(200, json=chat("", finish="content_filter")),
    )
    p = provider(server, [])
    with pytest.raises(ProviderError, match=r"^The model refused: I can't help with that\. Rephrase"):
        p.complete(REQUEST)
    with pytest.raises(ProviderError, match=r"^OpenAI's content filter stopped the answer"):
        p.complete(REQUEST)


def test_strict_schema_keeps_a_property_named_title():
    schema = {"type": "object", "title": "X", "properties": {"title": {"type": "string", "default": "a"}}}
    assert strict_schema(schema) == {
        "type": "object",
        "additionalProperties": False,
        "required": ["title"],
        "properties": {"title": {"type": "string"}},
    }


def test_image_models_validate_size_n_and_shutdown_without_calling():
    server = Server()
    p = provider(server, [])
    with pytest.raises(
        ProviderError, match=r"^gpt-image-1\.5 makes 1 to 10 image\(s\) per call; 11 were asked\.$"
    ):
        p.generate_image(ImageRequest(prompt="x", model="gpt-image-1.5", n=11))
    with pytest.raises(
        ProviderError, match=r"^gpt-image-1\.5 cannot make 1792x1024 images; use one of 1024x1024, "
    ):
        p.generate_image(ImageRequest(prompt="x", model="gpt-image-1.5", size="1792x1024"))
    with pytest.raises(ProviderError) as retired:
        p.generate_image(ImageRequest(prompt="x", model="dall-e-3"))
    assert retired.value.message == (
        "dall-e-3 was shut down on 2026-05-12. Choose gpt-image-2 instead. "
        "The model is set in Settings > Image generation."
    )
    assert server.requests == []


def test_compatible_servers_own_image_model_returns_urls_and_gpt_image_returns_base64():
    server = Server(
        httpx2.Response(
            200, json={"created": 1, "data": [{"url": "https://img/1.png", "revised_prompt": "r"}]}
        ),
        httpx2.Response(
            200, json={"created": 1, "data": [{"b64_json": base64.b64encode(b"PNGDATA").decode()}]}
        ),
    )
    p = provider(server, [])
    first = p.generate_image(ImageRequest(prompt="cat", model="local-sdxl"))
    second = p.generate_image(ImageRequest(prompt="cat", model="gpt-image-1.5", n=2, output_format="webp"))
    assert (first.images[0].url, first.images[0].revised_prompt) == ("https://img/1.png", "r")
    assert second.images[0].data == b"PNGDATA"
    assert json.loads(server.requests[0].content) == {
        "prompt": "cat",
        "model": "local-sdxl",
        "n": 1,
        "size": "1024x1024",
        "response_format": "url",
    }
    assert json.loads(server.requests[1].content) == {
        "prompt": "cat",
        "model": "gpt-image-1.5",
        "n": 2,
        "size": "1024x1024",
        "output_format": "webp",
        "quality": "medium",
    }
