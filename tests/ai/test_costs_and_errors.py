"""Costs that match the invoice, each model family's exact request, and provider errors that say
what to do (quota, credit, upstream timeouts, HTML pages, retry-after-ms)."""

import json
from decimal import Decimal

import httpx
import httpx2
import pytest

from igny8.ai import rates
from igny8.ai.catalogue import shipped_spec
from igny8.ai.providers.base import (
    CompletionRequest,
    CompletionResult,
    ImageRequest,
    ImageResult,
    ImageUsage,
    ProviderConfig,
    ProviderError,
    RetryPolicy,
    readable,
    retry_after_seconds,
)
from igny8.ai.providers.openai import OpenAIProvider
from igny8.ai.providers.runware import RunwareProvider
from tests.ai.fakes import Summary
from tests.openai_fakes import chat_completion

pytestmark = pytest.mark.django_db


# -- costs -----------------------------------------------------------------------------------------
def test_cached_input_tokens_are_charged_at_the_cached_rate():
    spec = shipped_spec("gpt-4o-mini", kind="text")
    full = rates.text_cost(spec=spec, tokens_in=10_000, tokens_out=1_000)
    cached = rates.text_cost(spec=spec, tokens_in=10_000, tokens_out=1_000, cached_tokens_in=8_000)
    # 10000 x $0.15/1M + 1000 x $0.60/1M; then 2000 x $0.15 + 8000 x $0.075 + 1000 x $0.60 (per 1M)
    assert (full.usd, cached.usd) == (Decimal("0.002100"), Decimal("0.001500"))


def test_images_are_priced_by_size_and_quality_or_by_their_tokens():
    spec = shipped_spec("gpt-image-2", kind="image")
    assert rates.image_cost(spec=spec, images=1, size="1536x1024", quality="medium").usd == Decimal("0.041")
    assert rates.image_cost(spec=spec, images=2, size="1024x1024", quality="high").usd == Decimal("0.422")
    usage = ImageUsage(text_tokens_in=50, image_tokens_out=6240)
    assert rates.image_cost(spec=spec, images=1, size="1536x1024", quality="high", usage=usage).usd == (
        Decimal("0.187450")  # 50 x $5/1M + 6240 x $30/1M
    )
    runware = shipped_spec("runware:97@1", kind="image")
    assert rates.image_cost(spec=runware, images=3, size="1280x768").usd == Decimal("0.011400")


def test_an_unknown_price_is_unknown_and_says_where_to_set_it():
    local = ProviderConfig(provider="openai", model="llama3.1:8b", base_url="http://127.0.0.1:11434/v1")
    price = rates.call_cost(config=local, result=CompletionResult(text="{}", model="llama", tokens_in=5))
    assert (price.usd, price.warning) == (
        None,
        "No price is known for llama3.1:8b (text tokens), so its cost is recorded as unknown; set one in "
        "Admin > Model catalogue.",
    )
    new = ProviderConfig(provider="openai", model="gpt-image-2.6-flare")
    image = ImageResult(images=[], model="gpt-image-2.6-flare", size="1536x1024", quality="medium")
    assert rates.call_cost(config=new, result=image).warning.startswith(
        "No price is known for gpt-image-2.6-flare (1536x1024 medium images)"
    )
    reported = ImageResult(images=[], model="runware:97@1", cost_usd=Decimal("0.0041"))
    assert rates.call_cost(config=ProviderConfig(provider="runware", model="x:1@1"), result=reported).usd == (
        Decimal("0.0041")
    )


def test_an_unknown_price_is_a_warning_on_the_run(alice, provider, settings):
    from igny8.ai import engine, services

    settings.OPENAI_MODEL = "gpt-6-sol"  # newer than the catalogue: no price known
    run = services.run_create(account=alice.account, function_name="test_cluster", payload={"ids": [1]})
    engine.claim_and_execute(run)
    run.refresh_from_db()
    assert (run.status, run.model, run.cost_usd, run.unpriced_calls) == ("success", "gpt-6-sol", 0, 1)
    assert run.message.endswith(
        "Cost unknown for 1 call(s): no price is set for gpt-6-sol (Admin > Model catalogue)."
    )
    assert run.result["unpriced_calls"] == 1
    # The usage log says unknown (null), never $0; billing's summary counts it apart.
    from igny8.billing.models import CreditUsageLog
    from igny8.billing.selectors import usage_summary

    logged = CreditUsageLog.objects.filter(run_id=run.task_id).values_list("cost_usd", flat=True)
    assert list(logged) == [None]
    (row,) = usage_summary(account=alice.account)
    assert (row["cost_usd"], row["unpriced_calls"], row["calls"]) == ("0.000000", 1, 1)
    warnings = [(s["stepName"], s["message"]) for s in run.request_steps if s["status"] == "warning"]
    assert warnings == [
        (
            "AI_CALL",
            "No price is known for gpt-6-sol (text tokens), so its cost is recorded as unknown; set one in "
            "Admin > Model catalogue.",
        )
    ]
    # It still gets OpenAI's current rules: strict schema, so nothing is pasted into the prompt.
    assert (provider.requests[0].json_mode, "JSON schema" in provider.requests[0].prompt) == ("schema", False)


# -- each family's exact request -------------------------------------------------------------------
def _provider(
    answers: list, *, base_url: str = "", sleeps: list | None = None
) -> tuple[OpenAIProvider, list]:
    seen = []

    def handler(request):
        seen.append(request)
        answer = answers.pop(0)
        return answer

    client = httpx2.Client(transport=httpx2.MockTransport(handler))
    retry = RetryPolicy(attempts=3, base_seconds=2, sleep=(sleeps if sleeps is not None else []).append)
    return OpenAIProvider(api_key="sk-test", base_url=base_url, retry=retry, http_client=client), seen


def _chat():
    return httpx2.Response(200, json=chat_completion('{"title": "T", "tags": []}'))


SCHEMA = Summary.model_json_schema()


@pytest.mark.parametrize(
    ("model", "base_url", "expected"),
    [
        # a reasoning model on OpenAI: no temperature, max_completion_tokens
        ("gpt-5.4-mini", "", {"max_completion_tokens": 32000}),
        # a chat model on OpenAI: its temperature, max_completion_tokens
        ("gpt-4o-mini", "", {"temperature": 0.2, "max_completion_tokens": 16000}),
        # a model nobody described, on OpenAI's own address: taken as current
        ("gpt-6-sol", "https://api.openai.com/v1", {"max_completion_tokens": 16000}),
        # a local server's model: max_tokens, which every compatible server knows
        ("llama3.1:8b", "http://127.0.0.1:11434/v1", {"temperature": 0.2, "max_tokens": 16000}),
    ],
)
def test_each_text_family_gets_its_exact_request(model, base_url, expected):
    provider, seen = _provider([_chat()], base_url=base_url)
    mode = "prompt" if base_url.startswith("http://127") else "schema"
    provider.complete(
        CompletionRequest(
            prompt="Summarise", model=model, json_schema=SCHEMA, json_mode=mode, temperature=0.2
        )
    )
    body = json.loads(seen[0].content)
    response_format = body.pop("response_format", None)
    assert body == {"model": model, "messages": [{"role": "user", "content": "Summarise"}], **expected}
    assert (response_format or {}).get("type") == ("json_schema" if mode == "schema" else None)


def test_a_function_s_own_cap_wins_over_the_model_s():
    provider, seen = _provider([_chat()])
    provider.complete(CompletionRequest(prompt="x", model="gpt-5.4-mini", max_tokens=1200))
    assert json.loads(seen[0].content)["max_completion_tokens"] == 1200


def test_gpt_image_request_and_answer():
    answer = {
        "created": 1,
        "data": [{"b64_json": "UE5H"}],
        "size": "1536x1024",
        "quality": "high",
        "usage": {
            "input_tokens": 40,
            "input_tokens_details": {"text_tokens": 40, "image_tokens": 0},
            "output_tokens": 6240,
            "output_tokens_details": {"image_tokens": 6240, "text_tokens": 0},
            "total_tokens": 6280,
        },
    }
    provider, seen = _provider([httpx2.Response(200, json=answer)])
    result = provider.generate_image(
        ImageRequest(prompt="cat", model="gpt-image-2", size="1536x1024", quality="high", output_format="jpg")
    )
    assert json.loads(seen[0].content) == {
        "model": "gpt-image-2",
        "prompt": "cat",
        "n": 1,
        "size": "1536x1024",
        "output_format": "jpeg",
        "quality": "high",
    }
    assert (result.images[0].data, result.size, result.quality) == (b"PNG", "1536x1024", "high")
    assert result.usage == ImageUsage(
        text_tokens_in=40, image_tokens_in=0, image_tokens_out=6240, text_tokens_out=0
    )


def test_cached_tokens_are_read_from_the_usage():
    answer = chat_completion("{}")
    answer["usage"]["prompt_tokens_details"] = {"cached_tokens": 768}
    provider, _ = _provider([httpx2.Response(200, json=answer)])
    result = provider.complete(CompletionRequest(prompt="x", model="gpt-5.4-mini"))
    assert (result.tokens_in, result.cached_tokens_in, result.tokens_out) == (1000, 768, 500)


# -- errors ----------------------------------------------------------------------------------------
def test_insufficient_quota_fails_at_once_with_a_billing_message():
    quota = {
        "error": {
            "message": "You exceeded your current quota, please check your plan and billing details.",
            "type": "insufficient_quota",
            "param": None,
            "code": "insufficient_quota",
        }
    }
    sleeps = []
    provider, seen = _provider([httpx2.Response(429, json=quota)], sleeps=sleeps)
    with pytest.raises(ProviderError) as caught:
        provider.complete(CompletionRequest(prompt="x", model="gpt-5.4-mini"))
    assert caught.value.message == (
        "OpenAI says the account is out of credit (429): You exceeded your current quota, please check your "
        "plan and billing details. Add credit or raise the usage limit in the OpenAI dashboard "
        "(Settings > Billing), then run again."
    )
    assert (caught.value.retryable, len(seen), sleeps) == (False, 1, [])


def test_retry_after_ms_wins_and_an_html_page_is_reduced_to_its_text():
    page = (
        "<html><head><title>502 Bad Gateway</title><style>b{}</style></head>"
        "<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"
    )
    sleeps = []
    provider, _ = _provider(
        [
            httpx2.Response(429, headers={"retry-after-ms": "250", "retry-after": "1"}, json={"error": {}}),
            httpx2.Response(502, text=page, headers={"content-type": "text/html"}),
            httpx2.Response(502, text=page, headers={"content-type": "text/html"}),
        ],
        sleeps=sleeps,
    )
    with pytest.raises(ProviderError) as caught:
        provider.complete(CompletionRequest(prompt="x", model="gpt-5.4-mini"))
    assert sleeps == [0.25, 4.0]
    assert caught.value.message == "OpenAI had a server error (502): 502 Bad Gateway nginx."


def test_retry_after_forms():
    assert retry_after_seconds({"retry-after": "3"}) == 3.0
    assert retry_after_seconds({"retry-after-ms": "1500"}) == 1.5
    assert retry_after_seconds({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}) == 0.0  # in the past
    assert retry_after_seconds({}) is None
    assert readable("x" * 400) == "x" * 299 + "…"


def _runware(*answers, sleeps):
    queue = list(answers)
    return RunwareProvider(
        api_key="rw",
        base_url="https://api.runware.ai/v1",
        retry=RetryPolicy(attempts=3, base_seconds=2, sleep=sleeps.append),
        transport=httpx.MockTransport(lambda request: queue.pop(0)),
    )


def test_runware_402_says_to_top_up_and_is_final():
    sleeps = []
    body = {"errors": [{"code": "insufficientCredits", "message": "Insufficient credits."}]}
    with pytest.raises(ProviderError) as caught:
        _runware(httpx.Response(402, json=body), sleeps=sleeps).generate_image(
            ImageRequest(prompt="x", model="runware:97@1")
        )
    assert caught.value.message == (
        "Runware says the account is out of credit: Insufficient credits. Top up the Runware account's "
        "credits (my.runware.ai > Billing), then run again."
    )
    assert (caught.value.retryable, sleeps) == (False, [])
    plain = _runware(httpx.Response(402, json={}), sleeps=sleeps)
    with pytest.raises(
        ProviderError, match=r"^Runware says the account is out of credit \(402\): no details\. Top"
    ):
        plain.generate_image(ImageRequest(prompt="x", model="runware:97@1"))


def test_runware_timeout_codes_are_retried():
    sleeps = []
    timed_out = {"errors": [{"code": "timeoutProvider", "message": "The provider timed out."}]}
    done = {"data": [{"taskType": "imageInference", "imageURL": "https://im/1.webp", "cost": 0.0038}]}
    provider = _runware(httpx.Response(400, json=timed_out), httpx.Response(200, json=done), sleeps=sleeps)
    result = provider.generate_image(ImageRequest(prompt="x", model="runware:97@1", size="1280x768"))
    assert (result.images[0].url, result.cost_usd, result.size, sleeps) == (
        "https://im/1.webp",
        Decimal("0.0038"),
        "1280x768",
        [2.0],
    )


def test_billing_says_unknown_where_no_price_is_known(alice):
    from bs4 import BeautifulSoup

    from igny8.billing import services as billing
    from tests.web.conftest import signed_in

    for cost in (Decimal("0.002"), None):
        billing.usage_record(
            account_id=alice.account.pk,
            run_id="r1",
            operation="generate_content",
            provider="openai",
            model="gpt-6-sol",
            credits=50,
            cost_usd=cost,
            tokens_in=10,
            tokens_out=20,
        )
    soup = BeautifulSoup(signed_in(alice.user).get("/billing/").content.decode(), "html.parser")
    summary, log = soup.select("table.data")[1:3]
    assert summary.select("tbody td")[3].get_text(" ", strip=True) == "0.002000 + unknown (1 call)"
    costs = [row.select("td")[4].get_text(strip=True) for row in log.select("tbody tr")]
    assert costs == ["unknown", "0.002000"]
