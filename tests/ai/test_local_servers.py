"""OpenAI-compatible servers negotiate structured output (providers/negotiation.py). Three fakes answer
as those servers do — one takes a JSON schema (vLLM, llama.cpp's server, Ollama, LM Studio), one only
JSON mode (llama-cpp-python's server: FastAPI's 422 naming the literal it accepts), one no
response_format at all — and the same run, through the real engine and SDK, succeeds on each with
at most one refused call per (server, model); the next run goes straight to what worked."""

import json

import httpx2
import pytest

from igny8.ai.models import AIRun
from igny8.ai.providers import factory, negotiation
from igny8.ai.providers.base import RetryPolicy
from igny8.ai.providers.openai import OpenAIProvider
from igny8.system.models import IntegrationSettings
from tests.ai.helpers import start, work
from tests.openai_fakes import chat_completion

pytestmark = pytest.mark.django_db
ANSWER = {"title": "Coffee", "tags": ["grind"]}


class Server:
    """Answers chat completions as a compatible server that accepts `formats` response_format types."""

    def __init__(self, *, formats: set[str], refusal):
        self.formats, self.refusal = formats, refusal
        self.seen: list[tuple[str, int]] = []  # (response_format type or "none", status)

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        body = json.loads(request.content)
        kind = (body.get("response_format") or {}).get("type", "none")
        if kind != "none" and kind not in self.formats:
            self.seen.append((kind, self.refusal.status_code))
            return self.refusal
        self.seen.append((kind, 200))
        return httpx2.Response(200, json=chat_completion(json.dumps(ANSWER), model=body["model"]))


def llama_cpp_python_refusal() -> httpx2.Response:
    detail = [
        {
            "type": "literal_error",
            "loc": ["body", "response_format", "type"],
            "msg": "Input should be 'text' or 'json_object'",
            "input": "json_schema",
            "ctx": {"expected": "'text' or 'json_object'"},
        }
    ]
    return httpx2.Response(422, json={"detail": detail})


def no_response_format_refusal() -> httpx2.Response:
    return httpx2.Response(
        400,
        json={
            "error": {
                "message": "Unrecognized request argument supplied: response_format",
                "type": "invalid_request_error",
                "param": None,
                "code": None,
            }
        },
    )


@pytest.fixture
def local_server(alice, monkeypatch, settings):
    settings.OUTBOUND_ALLOW = ["127.0.0.1"]
    negotiation.forget_all()
    IntegrationSettings.objects.create(
        account=alice.account,
        integration_type="openai",
        config={"base_url": "http://127.0.0.1:8080/v1", "model": "llama3.1:8b"},
        secrets={"apiKey": "local"},
    )
    holder = {}

    def build(config):
        return OpenAIProvider(
            api_key=config.api_key,
            base_url=config.base_url,
            retry=RetryPolicy(attempts=1),
            spec=config.spec,
            http_client=httpx2.Client(transport=httpx2.MockTransport(holder["server"])),
        )

    monkeypatch.setattr(factory, "build_provider", build)

    def serve(server: Server) -> Server:
        holder["server"] = server
        return server

    yield serve
    negotiation.forget_all()


def run_twice(alice, capture) -> list[AIRun]:
    return [work(start(alice, "test_cluster", {"ids": [1]}, capture)) for _ in range(2)]


@pytest.mark.parametrize(
    ("formats", "refusal", "first_run", "second_run"),
    [
        ({"json_schema", "json_object"}, None, [("json_schema", 200)], [("json_schema", 200)]),
        (
            {"json_object"},
            llama_cpp_python_refusal(),
            [("json_schema", 422), ("json_object", 200)],
            [("json_object", 200)],
        ),
        (set(), no_response_format_refusal(), [("json_schema", 400), ("none", 200)], [("none", 200)]),
    ],
    ids=["json_schema", "json_object_only", "prompt_only"],
)
def test_each_kind_of_server_succeeds_with_one_refusal_at_most(
    alice, local_server, enqueued, django_capture_on_commit_callbacks, formats, refusal, first_run, second_run
):
    server = local_server(Server(formats=formats, refusal=refusal))
    runs = run_twice(alice, django_capture_on_commit_callbacks)
    assert [(run.status, run.model, run.result["succeeded"]) for run in runs] == [
        ("success", "llama3.1:8b", 1),
        ("success", "llama3.1:8b", 1),
    ]
    assert server.seen == first_run + second_run


def test_json_mode_carries_the_schema_and_the_prompt_the_instructions(
    alice, local_server, enqueued, django_capture_on_commit_callbacks
):
    sent = []
    server = Server(formats={"json_object"}, refusal=llama_cpp_python_refusal())

    def recording(request):
        sent.append(json.loads(request.content))
        return server(request)

    local_server(recording)
    work(start(alice, "test_cluster", {"ids": [1]}, django_capture_on_commit_callbacks))
    last = sent[-1]
    assert last["response_format"]["type"] == "json_object"
    assert last["response_format"]["schema"]["properties"] == {
        "title": {"title": "Title", "type": "string"},
        "tags": {"items": {"type": "string"}, "title": "Tags", "type": "array"},
    }
    assert "Respond with only a JSON value matching this JSON schema" in last["messages"][-1]["content"]
    assert last["max_tokens"] == 16000


def test_other_refusals_are_not_negotiated(alice, local_server, enqueued, django_capture_on_commit_callbacks):
    """A 400 about something else (a bad model name) fails the run at once: no second call."""
    refusal = httpx2.Response(404, json={"error": {"message": "model 'llama3.1:8b' not found", "code": None}})
    server = local_server(Server(formats=set(), refusal=refusal))
    run = work(start(alice, "test_cluster", {"ids": [1]}, django_capture_on_commit_callbacks))
    assert run.status == "failed"
    assert server.seen == [("json_schema", 404)]
