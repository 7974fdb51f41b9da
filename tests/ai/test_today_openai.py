"""A new account's default settings against OpenAI as it answers today (tests/ai/today_openai.py),
through the real engine, the real writer functions and the real SDK: not a single refused call."""

import json
from decimal import Decimal

import httpx2
import pytest
from django.utils import timezone

from igny8.ai.providers.base import CompletionRequest, ProviderError, RetryPolicy
from igny8.ai.providers.openai import OpenAIProvider
from igny8.core import outbound
from igny8.writer import services
from igny8.writer.models import Content, Image
from tests.ai.fakes import Summary
from tests.ai.today_openai import TodaysOpenAI
from tests.writer_ai.conftest import image_settings, make_task, run_now
from tests.writer_ai.test_image_prompts import make_content

pytestmark = pytest.mark.django_db

ARTICLE = {
    "title": "Grind size",
    "meta_title": "Grind size",
    "meta_description": "How fine to grind.",
    "excerpt": "Fine or coarse.",
    "html": "<h2>Why</h2><p>Because extraction.</p>",
}


@pytest.fixture
def today(monkeypatch, settings):
    """The server's key, no model configured anywhere: what a new account gets."""
    settings.OPENAI_API_KEY = "sk-test"
    settings.OPENAI_MODEL = ""
    settings.AI_MAX_ATTEMPTS = 1
    fake = TodaysOpenAI(
        answer=lambda prompt: json.dumps(ARTICLE), today=timezone.localdate(), cached_tokens=400
    )
    monkeypatch.setattr(
        outbound, "httpx2_client", lambda **kw: httpx2.Client(transport=httpx2.MockTransport(fake), **kw)
    )
    return fake


def test_default_text_settings_write_an_article_without_a_refused_call(alice, today):
    task = make_task(alice, "Grind size")
    run = run_now(alice, "generate_content", {"ids": [task.pk]})

    assert (run.status, run.provider, run.model, run.items_succeeded) == (
        "success",
        "openai",
        "gpt-5.4-mini",
        1,
    )
    assert today.refused() == []
    ((path, body, status),) = today.requests
    assert (path, status) == ("/v1/chat/completions", 200)
    # A reasoning model's request: no temperature, an output cap as max_completion_tokens, strict schema.
    assert sorted(body) == ["max_completion_tokens", "messages", "model", "response_format"]
    assert (body["model"], body["max_completion_tokens"]) == ("gpt-5.4-mini", 32000)
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["strict"] is True
    assert Content.objects.get(task=task).title == "Grind size"
    # 600 fresh in x $0.75/1M + 400 cached x $0.075/1M + 500 out x $4.50/1M
    assert run.cost_usd == Decimal("0.002730")


def test_default_image_settings_make_images_without_a_refused_call(alice, today):
    content = make_content(alice, title="Espresso")
    services.image_prompts_replace(content=content, featured="A cup of espresso.", in_article=["Beans"])
    ids = list(Image.objects.order_by("pk").values_list("pk", flat=True))
    run = run_now(alice, "generate_images", {"ids": ids})

    assert (run.status, run.provider, run.model, run.items_succeeded) == (
        "success",
        "openai",
        "gpt-image-2",
        2,
    )
    assert today.refused() == []
    assert [(path, status) for path, _, status in today.requests] == [("/v1/images/generations", 200)] * 2
    _, body, _ = today.requests[0]
    assert {key: value for key, value in body.items() if key != "prompt"} == {
        "model": "gpt-image-2",
        "n": 1,
        "size": "1536x1024",
        "output_format": "webp",
        "quality": "medium",
    }
    # Priced by the image tokens the API reported: 50 text in x $5/1M + 1056 image out x $30/1M
    assert [image.cost for image in Image.objects.filter(pk__in=ids)] == [Decimal("0.03193")] * 2


def test_a_saved_retired_image_model_fails_before_any_request(alice, today):
    image_settings(alice, provider="openai", model="dall-e-3")
    content = make_content(alice, title="Espresso")
    services.image_prompts_replace(content=content, featured="A cup of espresso.", in_article=[])
    ids = list(Image.objects.values_list("pk", flat=True))
    run = run_now(alice, "generate_images", {"ids": ids})

    assert (run.status, today.requests) == ("failed", [])
    assert run.error == (
        "dall-e-3 was shut down on 2026-05-12. Choose gpt-image-2 instead. "
        "The model is set in Settings > Image generation."
    )
    assert (run.credits_used, run.result["credits_refunded"]) == (0, 4)


def test_the_fake_refuses_what_today_s_api_refuses():
    """The fake itself, so the tests above mean something: each refusal exactly as the API words it."""
    fake = TodaysOpenAI(answer=lambda prompt: "{}", today=timezone.localdate())
    client = httpx2.Client(transport=httpx2.MockTransport(fake))
    assert client.post(
        "http://x/v1/images/generations", json={"model": "dall-e-3", "prompt": "p"}
    ).json() == {
        "error": {
            "message": "The model `dall-e-3` does not exist or you do not have access to it.",
            "type": "invalid_request_error",
            "param": None,
            "code": "model_not_found",
        }
    }
    refused = client.post(
        "http://x/v1/images/generations",
        json={"model": "gpt-image-2", "prompt": "p", "response_format": "url"},
    )
    assert (refused.status_code, refused.json()["error"]["message"]) == (
        400,
        "Unknown parameter: 'response_format'.",
    )
    hot = client.post(
        "http://x/v1/chat/completions",
        json={"model": "gpt-6-sol", "messages": [{"role": "user", "content": "x"}], "temperature": 0.7},
    )
    assert (hot.status_code, hot.json()["error"]["param"]) == (400, "temperature")


@pytest.mark.parametrize("model", ["gpt-5.4-mini", "gpt-6-sol", "gpt-5.5"])
def test_reasoning_and_unknown_models_on_openai_never_get_a_temperature(model):
    fake = TodaysOpenAI(answer=lambda prompt: '{"title": "T", "tags": []}', today=timezone.localdate())
    provider = OpenAIProvider(
        api_key="sk-test",
        retry=RetryPolicy(attempts=1),
        http_client=httpx2.Client(transport=httpx2.MockTransport(fake)),
    )
    result = provider.complete(
        CompletionRequest(
            prompt="Summarise",
            model=model,
            json_schema=Summary.model_json_schema(),
            json_mode="schema",
            temperature=0.7,
        )
    )
    assert (result.text, fake.refused()) == ('{"title": "T", "tags": []}', [])
    assert "temperature" not in fake.requests[0][1]


def test_a_shut_down_text_model_is_refused_by_the_api_with_a_message_that_says_what_to_fix():
    fake = TodaysOpenAI(answer=lambda prompt: "{}", today=timezone.localdate())
    provider = OpenAIProvider(
        api_key="sk-test",
        retry=RetryPolicy(attempts=3),
        http_client=httpx2.Client(transport=httpx2.MockTransport(fake)),
    )
    with pytest.raises(ProviderError) as caught:
        provider.complete(CompletionRequest(prompt="x", model="gpt-3.5-turbo"))
    assert caught.value.message == (
        "OpenAI refused the request (404): The model `gpt-3.5-turbo` does not exist or you do not have "
        "access to it. Check the model name and settings."
    )
    assert len(fake.requests) == 1
