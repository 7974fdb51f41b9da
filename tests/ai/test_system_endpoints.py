import httpx2
import pytest

from igny8.ai.providers import factory
from igny8.ai.providers.base import RetryPolicy
from igny8.ai.providers.openai import OpenAIProvider
from igny8.billing.models import CreditUsageLog
from igny8.system import provider_checks
from igny8.system.models import ProviderCheck

pytestmark = pytest.mark.django_db


def made(client, response) -> dict:
    """A test image is made on a worker (system/provider_checks.py): run the queued tests as the
    worker would, then read the test's status address."""
    assert response.status_code == 202, response.json()
    for pk in ProviderCheck.objects.filter(status="queued").values_list("pk", flat=True):
        provider_checks.check_run(check_id=pk)
    return client.get(response.json()["data"]["status_url"]).json()["data"]


@pytest.fixture
def openai_server(monkeypatch):
    seen = []

    def handler(request):
        seen.append(request)
        if request.headers["authorization"] == "Bearer sk-bad":
            return httpx2.Response(401, json={"error": {"message": "Incorrect API key"}})
        return httpx2.Response(
            200,
            json={
                "object": "list",
                "data": [
                    {"id": "gpt-5.4-mini", "object": "model", "created": 1, "owned_by": "openai"},
                    {"id": "gpt-image-2", "object": "model", "created": 1, "owned_by": "openai"},
                ],
            },
        )

    def build(config):
        return OpenAIProvider(
            api_key=config.api_key,
            base_url=config.base_url,
            retry=RetryPolicy(attempts=1),
            http_client=httpx2.Client(transport=httpx2.MockTransport(handler)),
        )

    monkeypatch.setattr(factory, "build_provider", build)
    return seen


def test_test_openai_with_a_key_in_the_request(alice, openai_server):
    response = alice.client().post(
        "/api/v1/system/settings/integrations/openai/test/",
        {"apiKey": "sk-good", "base_url": "http://fake.local/v1"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["data"] == {
        "provider": "openai",
        "source": "request",
        "model": "gpt-5.4-mini",
        "models": ["gpt-5.4-mini", "gpt-image-2"],
        "warnings": [],
    }
    assert str(openai_server[0].url) == "http://fake.local/v1/models"


def test_test_openai_reference_path_and_bad_key(alice, openai_server):
    response = alice.client().post(
        "/api/v1/system/settings/integrations/openai/test_openai/", {"apiKey": "sk-bad"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"].startswith("OpenAI rejected the API key (401): Incorrect API key.")


def test_test_without_any_key_says_what_to_do(alice):
    response = alice.client().post("/api/v1/system/settings/integrations/runware/test/", {}, format="json")
    assert (response.status_code, response.json()["error"]) == (
        400,
        "No runware API key: save one in Settings > Integrations or send apiKey to test it.",
    )


def test_roles_and_tenancy(bob, charlie, alice):
    for url in (
        "/api/v1/system/settings/integrations/openai/test/",
        "/api/v1/system/settings/integrations/generate_image/",
    ):
        assert bob.client().post(url, {}, format="json").status_code == 403
        assert bob.client().get(url).status_code in (403, 405)
    assert CreditUsageLog.objects.count() == 0


def test_generate_image_offline_saves_a_real_file(alice, charlie, settings):
    client = alice.client()
    response = client.post(
        "/api/v1/system/settings/integrations/generate_image/",
        {"prompt": "coffee beans", "size": "256x256"},
        format="json",
    )
    check = ProviderCheck.objects.get()
    assert response.json()["data"]["status_url"] == f"/api/v1/system/settings/integrations/tests/{check.pk}/"
    assert CreditUsageLog.objects.count() == 0  # nothing made in the request
    status = made(client, response)
    assert status["status"] == "done"
    assert charlie.client().get(response.json()["data"]["status_url"]).status_code == 404
    data = status["result"]
    assert (data["provider"], data["model"], data["offline"], data["cost"]) == (
        "offline",
        "offline",
        True,
        "0",
    )
    assert data["image_url"].startswith(f"/media/ai-tests/{alice.account.pk}/")
    assert data["image_url"].endswith(".webp")
    path = settings.MEDIA_ROOT / data["image_url"].removeprefix("/media/")
    assert path.read_bytes()[:4] == b"RIFF"
    usage = CreditUsageLog.objects.get()
    assert (usage.account_id, usage.operation, usage.credits) == (alice.account.pk, "generate_image_test", 0)


@pytest.fixture
def runware_images(monkeypatch, settings):
    """The image settings on Runware with the server's key; Runware answered by a mock transport."""
    import httpx

    from igny8.ai.providers.runware import RunwareProvider
    from igny8.system.models import IntegrationSettings

    settings.RUNWARE_API_KEY = "rw-server"
    answers = []

    def build(config):
        handler = lambda request: answers.pop(0)  # noqa: E731
        return RunwareProvider(
            api_key=config.api_key, retry=RetryPolicy(attempts=1), transport=httpx.MockTransport(handler)
        )

    monkeypatch.setattr(factory, "build_provider", build)
    return answers, IntegrationSettings, httpx


def test_a_test_image_is_charged_like_an_image(alice, runware_images):
    from igny8.billing.models import CreditTransaction

    answers, IntegrationSettings, httpx = runware_images
    IntegrationSettings.objects.create(
        account=alice.account, integration_type="image_generation", config={"provider": "runware"}
    )
    answers.append(
        httpx.Response(200, json={"data": [{"imageURL": "https://im.example/x.webp", "cost": 0.0013}]})
    )
    before = alice.account.credits
    client = alice.client()
    response = client.post(
        "/api/v1/system/settings/integrations/generate_image/", {"prompt": "beans"}, format="json"
    )
    assert {k: made(client, response)["result"][k] for k in ("credits", "cost", "provider")} == {
        "credits": 1,
        "cost": "0.0013",
        "provider": "runware",
    }
    alice.account.refresh_from_db()
    assert alice.account.credits == before - 1
    usage = CreditUsageLog.objects.get()
    assert (usage.credits, str(usage.cost_usd)) == (1, "0.001300")
    assert list(CreditTransaction.objects.filter(run_id=usage.run_id).values_list("amount", flat=True)) == [
        -1
    ]

    # A refused image costs nothing: the reservation is given back.
    answers.append(httpx.Response(400, json={"errors": [{"message": "Invalid model"}]}))
    failed = client.post(
        "/api/v1/system/settings/integrations/generate_image/", {"prompt": "beans"}, format="json"
    )
    assert made(client, failed)["status"] == "failed"
    alice.account.refresh_from_db()
    assert alice.account.credits == before - 1
    assert CreditUsageLog.objects.count() == 1


def test_test_images_are_rate_limited_per_account(alice, charlie, settings):
    settings.TEST_IMAGES_PER_HOUR = 2
    url = "/api/v1/system/settings/integrations/generate_image/"
    codes = [alice.client().post(url, {"size": "256x256"}, format="json").status_code for _ in range(3)]
    assert codes == [202, 202, 429]
    refused = alice.client().post(url, {"size": "256x256"}, format="json")
    assert refused.json()["error"].startswith("This account made its 2 test images this hour; try again in ")
    assert int(refused["Retry-After"]) > 0
    for pk in ProviderCheck.objects.values_list("pk", flat=True):
        provider_checks.check_run(check_id=pk)
    assert CreditUsageLog.objects.filter(account=alice.account).count() == 2
    # Another account has its own allowance.
    assert charlie.client().post(url, {"size": "256x256"}, format="json").status_code == 202
