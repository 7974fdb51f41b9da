from datetime import timedelta

import httpx2
import pytest
from django.utils import timezone

from igny8.accounts.models import Account
from igny8.ai import services
from igny8.ai.models import AIRun
from igny8.ai.providers import factory
from igny8.ai.providers.base import RetryPolicy
from igny8.ai.providers.openai import OpenAIProvider
from igny8.system.models import IntegrationSettings
from tests.ai.helpers import start, work
from tests.openai_fakes import chat_response

pytestmark = pytest.mark.django_db


def test_start_progress_and_tenancy(alice, bob, charlie, enqueued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = alice.client().post(
            "/api/v1/ai/runs/", {"function": "test_cluster", "payload": {"ids": [1]}}, format="json"
        )
    assert response.status_code == 202
    task_id = response.json()["data"]["task_id"]
    assert enqueued[0][1] == task_id
    url = f"/api/v1/system/settings/task_progress/{task_id}/"
    body = alice.client().get(url).json()
    assert (body["state"], body["meta"]["percentage"], body["result"]) == ("PENDING", 0, None)
    work(AIRun.objects.get(task_id=task_id))
    body = bob.client().get(url).json()
    assert body["state"] == "SUCCESS"
    assert {k: body["meta"][k] for k in ("current", "total", "percentage", "phase")} == {
        "current": 1,
        "total": 1,
        "percentage": 100,
        "phase": "DONE",
    }
    assert [s["stepName"] for s in body["meta"]["request_steps"]] == ["INIT", "PREP", "AI_CALL"]
    assert body["result"]["succeeded"] == 1
    assert charlie.client().get(url).status_code == 404
    assert charlie.client().get(f"/api/v1/ai/runs/{task_id}/").status_code == 404
    assert charlie.client().post(f"/api/v1/ai/runs/{task_id}/cancel/").status_code == 404
    assert (
        bob.client().post("/api/v1/ai/runs/", {"function": "test_cluster"}, format="json").status_code == 403
    )
    assert AIRun.objects.count() == 1


def test_failure_state_and_cancel_endpoint(alice, enqueued, django_capture_on_commit_callbacks):
    run = start(alice, "test_cluster", {"ids": [1]}, django_capture_on_commit_callbacks)
    response = alice.client().post(f"/api/v1/ai/runs/{run.task_id}/cancel/")
    assert (response.status_code, response.json()["data"]["status"]) == (200, "cancelled")
    body = alice.client().get(f"/api/v1/system/settings/task_progress/{run.task_id}/").json()
    assert (body["state"], body["meta"]["status"], body["error"]) == (
        "FAILURE",
        "cancelled",
        "Cancelled before it started.",
    )


def test_insufficient_credits_is_402_naming_needed_and_held(alice, enqueued):
    Account.objects.filter(pk=alice.account.pk).update(credits=5)
    response = alice.client().post(
        "/api/v1/ai/runs/", {"function": "test_cluster", "payload": {"ids": [1]}}, format="json"
    )
    assert response.status_code == 402
    assert (
        response.json()["error"]
        == "This needs 10 credits; the account holds 5. Add credits or select fewer items."
    )
    assert (AIRun.objects.count(), enqueued) == (0, [])


def test_plan_limit_and_bad_input(alice, enqueued):
    plan = alice.account.plan
    plan.daily_cluster_limit = 2
    plan.save()
    client = alice.client()
    response = client.post(
        "/api/v1/ai/runs/", {"function": "test_cluster", "payload": {"ids": [1, 2, 3]}}, format="json"
    )
    assert response.status_code == 402
    assert response.json()["error"].startswith(
        f"The {plan.name} plan allows 2 clusters per day (daily_cluster_limit)"
    )
    response = client.post(
        "/api/v1/ai/runs/", {"function": "test_per_item", "payload": {"ids": [1] * 6}}, format="json"
    )
    assert response.json()["errors"]["ids"] == ["Test clustering takes at most 5 items per run; 6 were sent."]
    response = client.post("/api/v1/ai/runs/", {"function": "nope"}, format="json")
    assert (response.status_code, response.json()["errors"]["function"][0][:18]) == (
        400,
        "No AI function 'no",
    )
    response = client.post(
        "/api/v1/ai/runs/",
        {"function": "test_cluster", "payload": {"ids": [1], "prompt_override": "{bogus}"}},
        format="json",
    )
    assert (
        response.status_code == 400
        and "Unknown placeholder {bogus}" in response.json()["errors"]["prompt_override"][0]
    )
    assert AIRun.objects.count() == 0


def test_sweep_requeues_then_fails_orphaned_runs(
    alice, enqueued, settings, django_capture_on_commit_callbacks
):
    settings.AI_RUN_MAX_ATTEMPTS = 2
    old = timezone.now() - timedelta(seconds=settings.AI_RUN_STALE_SECONDS + 5)
    run = start(alice, "test_per_item", {"ids": [1, 2]}, django_capture_on_commit_callbacks)
    fresh = start(alice, "test_cluster", {"ids": [1]}, django_capture_on_commit_callbacks)
    AIRun.objects.filter(pk=run.pk).update(status="running", attempts=1, heartbeat_at=old, created_at=old)
    AIRun.objects.filter(pk=fresh.pk).update(status="running", attempts=1, heartbeat_at=timezone.now())
    enqueued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.runs_sweep() == {"requeued": 1, "failed": 0}
    run.refresh_from_db()
    assert (run.status, enqueued[0][1]) == ("pending", run.task_id)
    assert services.runs_sweep() == {"requeued": 0, "failed": 0}  # just touched: not stale again yet

    AIRun.objects.filter(pk=run.pk).update(status="running", attempts=2, heartbeat_at=old)
    assert services.runs_sweep() == {"requeued": 0, "failed": 1}
    run.refresh_from_db()
    assert (run.status, run.error) == (
        "failed",
        "The worker stopped during this run 2 time(s); it was given up.",
    )
    assert Account.objects.get(pk=alice.account.pk).credits == 5000 - 10  # only `fresh` still holds credits
    fresh.refresh_from_db()
    assert fresh.status == "running"


def test_sweep_fails_a_run_no_worker_ever_took(alice, enqueued, django_capture_on_commit_callbacks):
    run = start(alice, "test_cluster", {"ids": [1]}, django_capture_on_commit_callbacks)
    AIRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - timedelta(days=2))
    assert services.runs_sweep() == {"requeued": 0, "failed": 1}
    run.refresh_from_db()
    assert (run.status, run.error) == ("failed", "No worker picked this run up. Is `igny8 worker` running?")


def openai_factory(monkeypatch, answers):
    """Real OpenAIProvider (real SDK) over a mock transport in place of the network."""

    def handler(request):
        return answers.pop(0)

    def build(config):
        return OpenAIProvider(
            api_key=config.api_key,
            retry=RetryPolicy(attempts=2, sleep=lambda s: None),
            http_client=httpx2.Client(transport=httpx2.MockTransport(handler)),
        )

    monkeypatch.setattr(factory, "build_provider", build)


def chat(content):
    return chat_response(content)


def test_engine_with_the_openai_sdk_repairs_malformed_json(
    alice, enqueued, monkeypatch, django_capture_on_commit_callbacks
):
    IntegrationSettings.objects.create(
        account=alice.account,
        integration_type="openai",
        config={"model": "gpt-4o-mini"},
        secrets={"apiKey": "sk-acct"},
    )
    openai_factory(monkeypatch, [chat('{"title": "T", "tags": [}'), chat('{"title": "T", "tags": ["x"]}')])
    run = work(start(alice, "test_cluster", {"ids": [1]}, django_capture_on_commit_callbacks))
    assert (run.status, run.provider, run.model) == ("success", "openai", "gpt-4o-mini")
    assert (run.tokens_in, run.tokens_out, str(run.cost_usd)) == (2000, 1000, "0.000900")
    assert run.response_steps[0]["error"] == "The answer held no JSON value."


def test_engine_with_the_openai_sdk_reports_a_final_error(
    alice, enqueued, monkeypatch, django_capture_on_commit_callbacks, settings
):
    settings.OPENAI_API_KEY = "sk-env"
    openai_factory(monkeypatch, [httpx2.Response(401, json={"error": {"message": "bad key"}})])
    run = work(start(alice, "test_cluster", {"ids": [1]}, django_capture_on_commit_callbacks))
    assert (run.status, run.credits_used) == ("failed", 0)
    assert run.error == (
        "OpenAI rejected the API key (401): bad key. Check the key in Settings > Integrations > "
        "OpenAI (or OPENAI_API_KEY)."
    )
    assert run.request_steps[-1]["stepName"] == "AI_CALL" and run.request_steps[-1]["status"] == "error"
