"""Keys belong to whoever set them. Loopback listeners stand in for an attacker's server and for
the operator's own base URL, and assert which Authorization header reached each: the server's key
never reaches an address an account chose or a request carried."""

import pytest

from igny8.ai import selectors
from igny8.ai.models import AIRun
from igny8.billing.models import CreditTransaction
from igny8.system.models import IntegrationSettings
from tests.ai.helpers import work
from tests.loopback import Listener
from tests.openai_fakes import chat_completion

pytestmark = pytest.mark.django_db
TEST_URL = "/api/v1/system/settings/integrations/{kind}/test/"
SETTINGS_URL = "/api/v1/system/integrations/openai/"
NEEDS_REQUEST_KEY = (
    "Send apiKey together with base_url: a saved key or the server's key is never sent to an address "
    "given in a test request."
)
OWN_URL_PROBLEM = (
    "This account sends OpenAI requests to its own base URL, so it needs its own API key there: add "
    "it in Settings > Integrations > OpenAI (for a local server that needs none, any text will do). "
    "The server's key is only ever sent to the server's own address."
)


@pytest.fixture
def operator(settings):
    """The operator's key and own base URL (a listener), loopback allowed by the operator."""
    settings.OUTBOUND_ALLOW = ["127.0.0.1"]
    settings.AI_MAX_ATTEMPTS = 1
    with Listener() as server:
        settings.OPENAI_API_KEY = "sk-operator"
        settings.OPENAI_BASE_URL = f"{server.url}/v1"
        settings.RUNWARE_API_KEY = "rw-operator"
        settings.RUNWARE_BASE_URL = f"{server.url}/runware"
        yield server


@pytest.fixture
def attacker():
    with Listener(answer={"object": "list", "data": [{"id": "internal", "object": "model"}]}) as server:
        yield server


@pytest.mark.parametrize("kind", ["openai", "runware"])
def test_a_requested_address_never_gets_a_saved_or_server_key(alice, operator, attacker, kind):
    IntegrationSettings.objects.create(
        account=alice.account, integration_type=kind, config={}, secrets={"apiKey": "sk-account"}
    )
    response = alice.client().post(
        TEST_URL.format(kind=kind), {"base_url": f"{attacker.url}/v1"}, format="json"
    )
    assert (response.status_code, response.json()["error"]) == (400, NEEDS_REQUEST_KEY)
    assert attacker.received == [] and operator.received == []


def test_a_requested_address_gets_the_requests_own_key(alice, operator, attacker):
    response = alice.client().post(
        TEST_URL.format(kind="openai"), {"apiKey": "sk-mine", "base_url": f"{attacker.url}/v1"}, format="json"
    )
    assert response.status_code == 200
    assert attacker.authorizations() == ["Bearer sk-mine"]
    assert operator.received == []


def test_the_server_key_goes_to_the_servers_address_only(alice, operator):
    response = alice.client().post(TEST_URL.format(kind="openai"), {}, format="json")
    assert (response.status_code, response.json()["data"]["source"]) == (200, "environment")
    assert operator.authorizations() == ["Bearer sk-operator"]
    assert operator.received[0]["path"] == "/v1/models"


def test_saving_an_own_base_url_without_an_own_key_is_refused(alice, operator, attacker):
    response = alice.client().patch(SETTINGS_URL, {"base_url": f"{attacker.url}/v1"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "apiKey": [
            "A base URL of your own needs an API key of your own (for a local server that needs none, "
            "any text will do): the server's key is only sent to the server's address."
        ]
    }
    assert not IntegrationSettings.objects.filter(account=alice.account).exists()
    saved = alice.client().patch(
        SETTINGS_URL, {"base_url": f"{attacker.url}/v1", "apiKey": "sk-mine"}, format="json"
    )
    assert saved.status_code == 200


def test_a_stored_own_url_without_a_key_runs_nothing_and_sends_nothing(
    alice, operator, attacker, enqueued, django_capture_on_commit_callbacks
):
    """A row saved before the rule (or written by hand): no run starts, no credits move, and
    neither the test nor a run sends the server's key there."""
    IntegrationSettings.objects.create(
        account=alice.account, integration_type="openai", config={"base_url": f"{attacker.url}/v1"}
    )
    assert selectors.text_provider_config(account=alice.account).problem == OWN_URL_PROBLEM
    ledger = CreditTransaction.objects.count()
    response = alice.client().post(
        "/api/v1/ai/runs/", {"function": "test_cluster", "payload": {"ids": [1]}}, format="json"
    )
    assert (response.status_code, response.json()["errors"]) == (400, {"provider": [OWN_URL_PROBLEM]})
    assert AIRun.objects.count() == 0 and CreditTransaction.objects.count() == ledger
    tested = alice.client().post(TEST_URL.format(kind="openai"), {}, format="json")
    assert (tested.status_code, tested.json()["error"]) == (400, OWN_URL_PROBLEM)
    assert attacker.received == [] and operator.received == []


def test_a_queued_run_whose_settings_changed_fails_without_sending(
    alice, operator, attacker, enqueued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        started = alice.client().post(
            "/api/v1/ai/runs/", {"function": "test_cluster", "payload": {"ids": [1]}}, format="json"
        )
    IntegrationSettings.objects.create(
        account=alice.account, integration_type="openai", config={"base_url": f"{attacker.url}/v1"}
    )
    run = work(AIRun.objects.get(task_id=started.json()["data"]["task_id"]))
    assert (run.status, run.error, run.credits_used) == ("failed", OWN_URL_PROBLEM, 0)
    assert attacker.received == [] and operator.received == []


def test_an_accounts_own_key_goes_to_its_own_address(
    alice, operator, enqueued, django_capture_on_commit_callbacks
):
    with Listener(answer=chat_completion('{"title": "T", "tags": []}')) as own:
        IntegrationSettings.objects.create(
            account=alice.account,
            integration_type="openai",
            config={"base_url": f"{own.url}/v1", "model": "llama3"},
            secrets={"apiKey": "ollama"},
        )
        with django_capture_on_commit_callbacks(execute=True):
            started = alice.client().post(
                "/api/v1/ai/runs/", {"function": "test_cluster", "payload": {"ids": [1]}}, format="json"
            )
        run = work(AIRun.objects.get(task_id=started.json()["data"]["task_id"]))
    assert (run.status, run.provider, run.model) == ("success", "openai", "llama3")
    assert own.authorizations() == ["Bearer ollama"]
    assert operator.received == []


def test_the_operator_can_keep_its_keys(alice, operator, settings):
    settings.SHARE_SERVER_KEYS = False
    assert selectors.text_provider_config(account=alice.account).provider == "offline"
    response = alice.client().post(TEST_URL.format(kind="openai"), {}, format="json")
    assert (response.status_code, response.json()["error"]) == (
        400,
        "No openai API key: save one in Settings > Integrations or send apiKey to test it.",
    )
    assert operator.received == []


def test_an_api_key_that_cannot_be_a_header_is_a_400(alice, operator):
    response = alice.client().post(TEST_URL.format(kind="openai"), {"apiKey": "sk-clé"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "apiKey": [
            "An API key is letters, digits and punctuation only (no spaces or accented letters); paste it "
            "again from the provider's dashboard."
        ]
    }
    assert operator.received == []
