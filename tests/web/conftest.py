"""Web tests: signed-in Django test clients for the triad of tests/conftest.py, and a little data."""

import pytest
from django.test import Client

from igny8.planner.models import Cluster, ContentIdea, Keyword
from igny8.writer.models import Content, Image, ImageType, Task
from tests.web.browser import browser_page, executor, publish_executor  # noqa: F401  (browser fixtures)


@pytest.fixture(autouse=True)
def _no_keys(settings):
    """No provider key reaches a web test: every run uses the offline provider, never the network."""
    settings.OPENAI_API_KEY = ""
    settings.RUNWARE_API_KEY = ""
    settings.OPENAI_BASE_URL = ""


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def web(alice) -> Client:
    return signed_in(alice.user)


@pytest.fixture
def viewer(bob) -> Client:
    return signed_in(bob.user)


@pytest.fixture
def other(charlie) -> Client:
    return signed_in(charlie.user)


@pytest.fixture
def data(alice):
    """A cluster with two keywords, a new keyword, an idea, a task, its content and two images."""
    common = {"account": alice.account, "site": alice.site, "sector": alice.sector}
    cluster = Cluster.objects.create(name="Espresso", **common)
    espresso = Keyword.objects.create(
        keyword="espresso machine",
        normalized="espresso machine",
        volume=900,
        difficulty=40,
        cluster=cluster,
        status="clustered",
        **common,
    )
    grinder = Keyword.objects.create(
        keyword="burr grinder",
        normalized="burr grinder",
        volume=300,
        difficulty=20,
        cluster=cluster,
        status="clustered",
        **common,
    )
    kettle = Keyword.objects.create(
        keyword="gooseneck kettle",
        normalized="gooseneck kettle",
        volume=50,
        difficulty=70,
        intent="commercial",
        **common,
    )
    idea = ContentIdea.objects.create(
        cluster=cluster,
        title="Best espresso machines",
        outline=[{"heading": "Why espresso", "subsections": ["Crema"]}],
        **common,
    )
    task = Task.objects.create(title="Best espresso machines", cluster=cluster, **common)
    content = Content.objects.create(
        task=task,
        title="Best espresso machines",
        html="<p>Hello <b>coffee</b></p>",
        word_count=2,
        meta_title="Espresso",
        **common,
    )
    featured = Image.objects.create(
        content=content,
        image_type=ImageType.FEATURED,
        position=0,
        prompt="a shiny espresso machine",
        **common,
    )
    inline = Image.objects.create(
        content=content, image_type=ImageType.IN_ARTICLE, position=0, prompt="a burr grinder", **common
    )
    return {
        "cluster": cluster,
        "keywords": [espresso, grinder, kettle],
        "idea": idea,
        "task": task,
        "content": content,
        "images": [featured, inline],
    }
