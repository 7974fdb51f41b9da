"""Issue 12, point 8: empty and garbled provider answers are transient faults, retried inside the
provider's retry loop like a 5xx, and given up with a sentence a person can read."""

import json

import httpx
import httpx2
import pytest

from igny8.ai.providers.base import ImageRequest, ProviderError
from igny8.ai.providers.openai import GARBLED
from tests.ai.test_openai import REQUEST, Server, chat, provider
from tests.ai.test_runware import make, ok_answer

TRUNCATED = '{"id": "chatcmpl-1", "object": "chat.completion", "choices": [{"message": {"content": "{\\"ti'
IMAGE = ImageRequest(prompt="a cup", model="gpt-image-2")
JSON = {"content-type": "application/json"}


def test_a_garbled_200_is_retried_then_answered():
    server = Server(httpx2.Response(200, text=TRUNCATED, headers=JSON), httpx2.Response(200, json=chat("{}")))
    sleeps = []
    assert provider(server, sleeps).complete(REQUEST).text == "{}"
    assert (sleeps, len(server.requests)) == ([2.0], 2)


def test_a_garbled_200_every_time_gives_up_in_words():
    """The SDK's own reading of a cut-off body said "Unterminated string starting at: ..." before."""
    server = Server(*[httpx2.Response(200, text=TRUNCATED, headers=JSON)] * 3)
    sleeps = []
    with pytest.raises(ProviderError) as caught:
        provider(server, sleeps).complete(REQUEST)
    assert (caught.value.message, caught.value.retryable) == (GARBLED, True)
    assert "Unterminated" not in str(caught.value)
    assert (sleeps, len(server.requests)) == ([2.0, 4.0], 3)


def test_an_empty_answer_is_retried():
    server = Server(httpx2.Response(200, json=chat("")), httpx2.Response(200, json=chat('{"a": 1}')))
    sleeps = []
    assert provider(server, sleeps).complete(REQUEST).text == '{"a": 1}'
    assert (sleeps, len(server.requests)) == ([2.0], 2)


def test_no_image_every_time_is_retried_then_given_up():
    empty = {"created": 1, "data": []}
    server = Server(*[httpx2.Response(200, json=empty)] * 3)
    sleeps = []
    with pytest.raises(ProviderError) as caught:
        provider(server, sleeps).generate_image(IMAGE)
    assert caught.value.message == (
        "OpenAI returned no image; it was retried and then given up. Try again later."
    )
    assert (sleeps, len(server.requests)) == ([2.0, 4.0], 3)


def test_runware_without_an_image_is_retried():
    calls = []

    def handler(request):
        calls.append(json.loads(request.content)[0]["taskUUID"])
        if len(calls) == 1:
            return httpx.Response(200, json={"data": []})
        return ok_answer(request)

    sleeps = []
    result = make(handler, sleeps).generate_image(ImageRequest(prompt="x", model="runware:97@1"))
    assert result.images[0].url == "https://im.runware.ai/a.webp"
    assert (sleeps, len(calls), calls[0] == calls[1]) == ([1.0], 2, True)  # the same task, again
