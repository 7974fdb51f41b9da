"""The Runware adapter over httpx.MockTransport: no network."""

import json
from decimal import Decimal

import httpx
import pytest

from igny8.ai.providers.base import ImageRequest, ProviderError, RetryPolicy
from igny8.ai.providers.runware import RunwareProvider


def make(handler, sleeps):
    return RunwareProvider(
        api_key="rw-key",
        base_url="https://runware.test/v1",
        timeout=5,
        retry=RetryPolicy(attempts=3, base_seconds=1, max_seconds=10, sleep=sleeps.append),
        transport=httpx.MockTransport(handler),
    )


def ok_answer(request):
    task = json.loads(request.content)[0]
    return httpx.Response(
        200,
        json={
            "data": [
                {
                    "taskType": "imageInference",
                    "taskUUID": task["taskUUID"],
                    "imageURL": "https://im.runware.ai/a.webp",
                    "cost": 0.0038,
                }
            ]
        },
    )


def test_request_shape_and_result():
    seen = []

    def handler(request):
        seen.append(request)
        return ok_answer(request)

    result = make(handler, []).generate_image(
        ImageRequest(
            prompt="coffee",
            negative_prompt="blurry",
            model="runware:97@1",
            size="1024x768",
            output_format="webp",
        )
    )
    tasks = json.loads(seen[0].content)
    task = tasks[0]
    assert (len(tasks), len(task["taskUUID"])) == (1, 36)
    assert {k: v for k, v in task.items() if k != "taskUUID"} == {
        "taskType": "imageInference",
        "positivePrompt": "coffee",
        "negativePrompt": "blurry",
        "model": "runware:97@1",
        "width": 1024,
        "height": 768,
        "numberResults": 1,
        "outputType": "URL",
        "outputFormat": "WEBP",
        "includeCost": True,
    }
    assert seen[0].headers["authorization"] == "Bearer rw-key"
    assert str(seen[0].url) == "https://runware.test/v1"
    assert ([i.url for i in result.images], result.cost_usd) == (
        ["https://im.runware.ai/a.webp"],
        Decimal("0.0038"),
    )


def test_errors_array_fails_fast_with_its_message():
    calls = []

    def handler(request):
        calls.append(request)
        return httpx.Response(400, json={"errors": [{"code": "invalidModel", "message": "Model not found"}]})

    with pytest.raises(ProviderError) as caught:
        make(handler, []).generate_image(ImageRequest(prompt="x", model="nope:1@1"))
    assert caught.value.message == (
        "Runware refused the request (400): Model not found. Check the model name and settings."
    )
    assert len(calls) == 1


def test_401_names_the_key_to_fix():
    def handler(request):
        return httpx.Response(401, json={"errors": [{"code": "invalidApiKey", "message": "Invalid API key"}]})

    with pytest.raises(
        ProviderError, match=r"^Runware rejected the API key \(401\): Invalid API key\. Check the key"
    ):
        make(handler, []).generate_image(ImageRequest(prompt="x", model="runware:97@1"))


def test_429_then_500_then_success():
    answers = [
        httpx.Response(429, headers={"Retry-After": "3"}, json={"errors": [{"message": "busy"}]}),
        httpx.Response(502, text="bad gateway"),
    ]

    def handler(request):
        return answers.pop(0) if answers else ok_answer(request)

    sleeps = []
    result = make(handler, sleeps).generate_image(ImageRequest(prompt="x", model="runware:97@1"))
    assert sleeps == [3.0, 2.0]
    assert result.images[0].url == "https://im.runware.ai/a.webp"


def test_timeouts_exhaust_the_attempts():
    def handler(request):
        raise httpx.ReadTimeout("slow", request=request)

    sleeps = []
    with pytest.raises(ProviderError, match=r"^Runware did not answer within 5s\.$"):
        make(handler, sleeps).generate_image(ImageRequest(prompt="x", model="runware:97@1"))
    assert sleeps == [1.0, 2.0]


def test_task_errors_in_a_200_and_bad_sizes():
    def handler(request):
        return httpx.Response(200, json={"errors": [{"code": "x", "message": "positivePrompt too short"}]})

    p = make(handler, [])
    with pytest.raises(ProviderError, match=r"^Runware refused the task: positivePrompt too short$"):
        p.generate_image(ImageRequest(prompt="x", model="runware:97@1"))
    with pytest.raises(ProviderError, match=r"multiples of 64 from 128 to 2048; 1000x1000 is not\.$"):
        p.generate_image(ImageRequest(prompt="x", model="runware:97@1", size="1000x1000"))
