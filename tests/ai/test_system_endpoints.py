import httpx2
import pytest

from igny8.ai.providers import factory
from igny8.ai.providers.base import RetryPolicy
from igny8.ai.providers.openai import OpenAIProvider
from igny8.billing.models import CreditUsageLog

pytestmark = pytest.mark.django_db


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
                    {"id": "gpt-4o-mini", "object": "model", "created": 1, "owned_by": "openai"},
                    {"id": "dall-e-3", "object": "model", "created": 1, "owned_by": "openai"},
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
        "model": "gpt-4o-mini",
        "models": ["dall-e-3", "gpt-4o-mini"],
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
    response = alice.client().post(
        "/api/v1/system/settings/integrations/generate_image/",
        {"prompt": "coffee beans", "size": "256x256"},
        format="json",
    )
    assert response.status_code == 200
    data = response.json()["data"]
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
