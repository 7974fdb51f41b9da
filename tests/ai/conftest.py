import pytest

from igny8.ai import registry
from tests.ai.fakes import FUNCTIONS


@pytest.fixture(autouse=True)
def _ai_sandbox(settings, monkeypatch):
    """No real keys reach a test (so no test can touch the network) and the fake functions exist."""
    # The offline provider is free in the app (billing/selectors.py); these tests use it as the
    # network-free provider for the credit mechanics, so here it keeps the price table's prices.
    monkeypatch.setattr("igny8.billing.selectors.FREE_PROVIDERS", ())
    settings.OPENAI_API_KEY = ""
    settings.RUNWARE_API_KEY = ""
    settings.OPENAI_BASE_URL = ""
    # One call in flight at a time: ScriptedProvider's script is consumed in item order.
    settings.AI_CONCURRENCY_MAX = 1
    for name, path in FUNCTIONS.items():
        registry.register(name, path)
    yield
    for name in FUNCTIONS:
        registry.unregister(name)


@pytest.fixture
def provider(monkeypatch, settings):
    """A scripted provider in place of OpenAI (the key resolves, the model is gpt-4o-mini)."""
    settings.OPENAI_API_KEY = "sk-test"
    settings.OPENAI_MODEL = "gpt-4o-mini"
    from igny8.ai.providers import factory
    from tests.ai.fakes import ScriptedProvider

    fake = ScriptedProvider()
    monkeypatch.setattr(factory, "build_provider", lambda config: fake)
    return fake
