"""Cancel means now, and a long call is never taken for a dead worker: the real OpenAI provider
against a loopback server whose answers hang until released. Transactional: the cancel and the
sweep come from other threads, as they would from the web process and the beat."""

from __future__ import annotations

import json
import select
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import connection

from igny8.ai import services
from igny8.ai.models import AIRun
from tests.ai.helpers import start, work
from tests.openai_fakes import chat_completion

pytestmark = pytest.mark.django_db(transaction=True)
OK = chat_completion('{"title": "T", "tags": []}')


class HangingServer:
    """Answers chat completions whose prompt is in `answer` at once; every other one waits until
    `release` is set, or until the client hangs up (which it records in `hung_up`)."""

    def __init__(self, *, answer: set[str], delay: float | None = None):
        self.answer, self.delay = answer, delay
        self.release = threading.Event()
        self.received: list[str] = []
        self.waiting = threading.Semaphore(0)
        self.hung_up: list[str] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05})

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                prompt = body["messages"][-1]["content"]
                fake.received.append(prompt)
                if prompt not in fake.answer:
                    fake.waiting.release()
                    deadline = time.monotonic() + (fake.delay or 30)
                    while not fake.release.is_set() and time.monotonic() < deadline:
                        if self._client_gone():
                            fake.hung_up.append(prompt)
                            return
                        time.sleep(0.02)
                data = json.dumps(OK).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _client_gone(self) -> bool:
                readable, _, _ = select.select([self.connection], [], [], 0)
                return bool(readable) and self.connection.recv(1, socket.MSG_PEEK) == b""

            def log_message(self, *args):
                pass

        return Handler

    def __enter__(self) -> HangingServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def on_loopback(settings):
    def use(server: HangingServer) -> None:
        settings.OPENAI_API_KEY = "sk-test"
        settings.OPENAI_BASE_URL = server.url  # the operator's own address: allowed
        settings.OPENAI_MODEL = "gpt-4o-mini"

    return use


def in_thread(target) -> threading.Thread:
    def run():
        try:
            target()
        finally:
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_cancel_aborts_hanging_calls_keeps_the_saved_item_and_refunds_the_rest(
    alice, enqueued, on_loopback, settings, django_capture_on_commit_callbacks
):
    settings.AI_CONCURRENCY_START = settings.AI_CONCURRENCY_MAX = 3
    timing = {}
    with HangingServer(answer={"Write item 1"}) as server:
        on_loopback(server)
        run = start(alice, "test_per_item", {"ids": [1, 2, 3]}, django_capture_on_commit_callbacks)

        def cancel_when_both_hang():
            assert server.waiting.acquire(timeout=20) and server.waiting.acquire(timeout=20)
            time.sleep(0.3)  # item 1 lands meanwhile
            services.run_cancel(run=AIRun.objects.get(pk=run.pk))
            timing["cancelled"] = time.monotonic()

        canceller = in_thread(cancel_when_both_hang)
        run = work(run)
        ended = time.monotonic()
        canceller.join(5)
        assert ended - timing["cancelled"] < 5  # a guard against hanging, not a benchmark
        deadline = time.monotonic() + 5  # the server's handlers notice a hang-up within 20 ms
        while len(server.hung_up) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert sorted(server.hung_up) == ["Write item 2", "Write item 3"]  # the requests were closed
        assert sorted(server.received) == ["Write item 1", "Write item 2", "Write item 3"]  # no retry
    assert (run.status, run.items_succeeded, run.items_failed) == ("cancelled", 1, 0)
    assert run.message == "Cancelled after 1 of 3 item(s)."
    assert [(i["item"], i["status"]) for i in run.result["items"]] == [
        ("1", "success"),
        ("2", "cancelled"),
        ("3", "cancelled"),
    ]
    # 50 credits per item: one used, two refunded.
    assert (run.credits_used, run.result["credits_refunded"]) == (50, 100)
    alice.account.refresh_from_db()
    assert alice.account.credits == 4950
    cancelled_steps = [s["message"] for s in run.request_steps if s["status"] == "error"]
    assert cancelled_steps == ["Item 2 cancelled.", "Item 3 cancelled."]


def test_a_call_longer_than_the_stale_time_keeps_its_run_alive(
    alice, enqueued, on_loopback, settings, django_capture_on_commit_callbacks
):
    settings.AI_RUN_STALE_SECONDS = 1  # heartbeat every 0.25 s while the call is in flight
    sweeps, beats = [], set()
    with HangingServer(answer=set(), delay=2.5) as server:
        on_loopback(server)
        run = start(alice, "test_per_item", {"ids": [1]}, django_capture_on_commit_callbacks)

        def sweep_while_the_call_hangs():
            assert server.waiting.acquire(timeout=20)
            while len(sweeps) < 10:
                time.sleep(0.2)
                sweeps.append(services.runs_sweep())
                beats.add(AIRun.objects.values_list("heartbeat_at", flat=True).get(pk=run.pk))

        sweeper = in_thread(sweep_while_the_call_hangs)
        run = work(run)
        sweeper.join(10)
    assert sweeps == [{"requeued": 0, "failed": 0}] * 10
    assert len(beats) >= 4  # the heartbeat moved on while nothing else was written
    assert (run.status, run.attempts, run.items_succeeded) == ("success", 1, 1)
