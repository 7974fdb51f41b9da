import pytest

from igny8.ai import registry
from tests.ai.fakes import FUNCTIONS


@pytest.fixture(autouse=True)
def _ai_sandbox(settings):
    """No real keys reach a test (so no test can touch the network) and the fake functions exist."""
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
