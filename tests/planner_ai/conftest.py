"""Planner AI tests: no key reaches a test (so nothing touches the network), runs execute
synchronously through the real engine, and OpenAI answers come from the SDK over a mock transport."""

import json

import httpx2
import pytest

from igny8.ai.models import AIRun
from igny8.ai.providers.base import RetryPolicy
from igny8.ai.providers.openai import OpenAIProvider
from igny8.ai.tasks import run_ai_task
from igny8.core.text import normalize_keyword
from igny8.planner.models import Cluster, Keyword
from tests.openai_fakes import chat_response


@pytest.fixture(autouse=True)
def _no_keys(settings):
    settings.OPENAI_API_KEY = ""
    settings.RUNWARE_API_KEY = ""
    settings.OPENAI_BASE_URL = ""


@pytest.fixture(scope="session")
def embedding_model():
    """The local model loads once per process (lru_cache, a few seconds); warmed here, once."""
    from igny8.planner.clustering import embeddings

    return embeddings.load_model()


@pytest.fixture
def run_now(enqueued, django_capture_on_commit_callbacks):
    """POSTs to an endpoint, then does what the worker does with the queued message."""

    def call(client, path, body):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(path, body, format="json")
        if response.status_code != 202:
            return response, None
        task_id = response.json()["data"]["task_id"]
        args, _ = enqueued[-1]
        run_ai_task.apply(args=args, task_id=task_id)
        return response, AIRun.objects.get(task_id=task_id)

    return call


def chat(content: str) -> httpx2.Response:
    return chat_response(content, prompt_tokens=100, completion_tokens=50)


class Answers(list):
    """What the fake OpenAI answers, in order; `requests` holds the bodies it was sent."""

    def __init__(self):
        super().__init__()
        self.requests: list[dict] = []


@pytest.fixture
def openai_answers(monkeypatch, settings):
    """The real OpenAI SDK answering from a list (JSON-able values); the requests are recorded."""
    settings.OPENAI_API_KEY = "sk-test"
    settings.OPENAI_MODEL = "gpt-4o-mini"
    from igny8.ai.providers import factory

    answers = Answers()
    requests = answers.requests

    def handler(request):
        requests.append(json.loads(request.content))
        answer = answers.pop(0)
        return chat(answer if isinstance(answer, str) else json.dumps(answer))

    def build(config):
        return OpenAIProvider(
            api_key=config.api_key,
            base_url="http://fake.local/v1",
            retry=RetryPolicy(attempts=1, sleep=lambda s: None),
            http_client=httpx2.Client(transport=httpx2.MockTransport(handler)),
        )

    monkeypatch.setattr(factory, "build_provider", build)
    return answers


def add_keywords(tenant, rows, **extra) -> list[Keyword]:
    """rows: (keyword, volume, difficulty[, intent]) tuples."""
    made = []
    for row in rows:
        text, volume, difficulty, *rest = row
        made.append(
            Keyword(
                account=tenant.account,
                site=tenant.site,
                sector=tenant.sector,
                keyword=text,
                normalized=normalize_keyword(text),
                volume=volume,
                difficulty=difficulty,
                intent=rest[0] if rest else "informational",
                **extra,
            )
        )
    return Keyword.objects.bulk_create(made)


def add_cluster(tenant, name, rows) -> Cluster:
    cluster = Cluster.objects.create(
        account=tenant.account, site=tenant.site, sector=tenant.sector, name=name
    )
    add_keywords(tenant, rows, cluster=cluster, status="clustered")
    return cluster
