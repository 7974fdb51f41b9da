"""Author profile tests: runs go through the real engine and the real OpenAI SDK over a mock
transport (tests/openai_fakes.py), so a test reads the exact prompt that was sent."""

import pytest

from igny8.system.models import AuthorProfile
from tests.planner_ai.conftest import (  # noqa: F401 (fixtures)
    _no_keys,
    embedding_model,
    openai_answers,
    run_now,
)


def make_profile(tenant, name: str, **fields) -> AuthorProfile:
    return AuthorProfile.objects.create(account=tenant.account, name=name, **fields)


@pytest.fixture
def german(alice) -> AuthorProfile:
    return make_profile(
        alice,
        "Kaffee-Blog",
        language="de-DE",
        country="DE",
        tone="freundlich, sachkundig",
        point_of_view="second",
        audience="Hobby-Baristas",
        reading_level="simple",
        brand_voice="Wir duzen unsere Leser.",
        words_to_use=["Siebträger", "Mahlgrad"],
        words_to_avoid=["billig"],
        article_length=1200,
        include_faq=True,
        example_passages="Du stellst die Mühle feiner, bis der Espresso honigartig fließt.",
    )


@pytest.fixture
def spanish(alice) -> AuthorProfile:
    return make_profile(alice, "Blog de café", language="es-MX", country="MX", tone="cercano")
