"""Settings → Test against an address that never answers: the web request only starts the test (no
connection is made while the page waits), the worker gives up after the short timeout with one
try, and the API's key test, which stays in the request, is bounded the same way."""

import socket
from datetime import timedelta

import pytest
from django.utils import timezone

from igny8.system import provider_checks
from igny8.system.models import IntegrationSettings, ProviderCheck
from tests.web.provider_checks import HX, answer


@pytest.fixture
def silent_address(settings):
    """A port that accepts connections and never answers a byte (the listen backlog does the accepting)."""
    settings.OUTBOUND_ALLOW = ["127.0.0.1"]
    settings.OUTBOUND_REQUEST_TIMEOUT_SECONDS = 0.5
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0)
    yield listener
    listener.close()


def _connections(listener: socket.socket) -> int:
    """How many connections reached the port (each accepted and closed)."""
    count = 0
    while True:
        try:
            conn, _ = listener.accept()
        except BlockingIOError:
            return count
        conn.close()
        count += 1


@pytest.fixture
def saved_openai(alice, silent_address):
    port = silent_address.getsockname()[1]
    IntegrationSettings.objects.create(
        account=alice.account,
        integration_type="openai",
        config={"base_url": f"http://127.0.0.1:{port}/v1", "model": "gpt-4.1-mini"},
        secrets={"apiKey": "sk-silent"},
    )
    return silent_address


def test_the_settings_test_button_starts_a_job_and_the_worker_times_out(
    web, alice, saved_openai, monkeypatch
):
    sent = []
    monkeypatch.setattr(
        "igny8.core.jobs.send",
        lambda *, task_name, args, task_id=None: sent.append((task_name, args)) or True,
    )
    started = web.post("/settings/integrations/openai/test/", **HX)
    assert started.status_code == 200
    check = ProviderCheck.objects.get()
    assert (check.kind, check.status) == ("openai", "queued")
    assert f'hx-get="/settings/tests/{check.pk}/"' in started.content.decode()
    assert "Testing the key…" in started.content.decode()
    assert _connections(saved_openai) == 0  # nothing was sent while the page waited

    # Polled before a worker took it: still the spinner.
    assert "Testing the key…" in web.get(f"/settings/tests/{check.pk}/", **HX).content.decode()
    finished = answer(web, started)
    assert "OpenAI did not answer within 0.5s." in finished.content.decode()
    assert 'class="error" role="alert"' in finished.content.decode()
    assert _connections(saved_openai) == 1  # one try: a key test is not retried
    check.refresh_from_db()
    assert (check.status, check.params, check.attempts) == ("failed", {}, 1)
    assert provider_checks.check_run(check_id=check.pk) is None  # a second message does nothing


def test_the_apis_key_test_stays_in_the_request_with_one_short_try(alice, saved_openai):
    response = alice.client().post("/api/v1/system/settings/integrations/openai/test/", {}, format="json")
    assert response.status_code == 400
    assert response.json()["error"] == "OpenAI did not answer within 0.5s."
    assert _connections(saved_openai) == 1


def test_a_test_image_runs_on_the_worker(web, alice):
    started = web.post("/settings/test-image/", {"prompt": "A moka pot"}, **HX)
    assert "Making a test image…" in started.content.decode()
    check = ProviderCheck.objects.get()
    assert (check.kind, check.params) == (
        "image",
        {"prompt": "A moka pot", "provider": "", "model": "", "size": "1024x1024", "counted": True},
    )
    html = answer(web, started).content.decode()
    assert "Offline draft: no image provider key is configured" in html
    assert 'alt="Test image: A moka pot"' in html


def test_the_sweep_fails_a_test_whose_worker_stopped_and_resends_a_lost_one(alice, monkeypatch):
    sent = []
    monkeypatch.setattr(
        "igny8.core.jobs.send",
        lambda *, task_name, args, task_id=None: sent.append((task_name, args)) or True,
    )
    old = timezone.now() - timedelta(hours=1)
    stopped = ProviderCheck.objects.create(
        account=alice.account, kind="openai", status="running", attempts=1, heartbeat_at=old
    )
    lost = ProviderCheck.objects.create(account=alice.account, kind="runware", heartbeat_at=old)
    fresh = ProviderCheck.objects.create(account=alice.account, kind="openai", heartbeat_at=timezone.now())
    assert provider_checks.checks_sweep() == {"failed": 1, "resent": 1}
    stopped.refresh_from_db()
    assert (stopped.status, stopped.error) == (
        "failed",
        "The test did not finish (the worker stopped); press Test again.",
    )
    assert sent == [(provider_checks.TASK, [lost.pk])]
    fresh.refresh_from_db()
    assert fresh.status == "queued"


def test_a_test_is_polled_by_its_own_account_only(web, alice, charlie):
    check = ProviderCheck.objects.create(account=charlie.account, kind="openai")
    assert web.get(f"/settings/tests/{check.pk}/", **HX).status_code == 404
