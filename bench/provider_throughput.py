"""Provider throughput: article calls against a rate limit, adaptive pace against a fixed one.

A loopback fake of OpenAI's chat completions answers after a fixed latency and enforces a
requests-per-minute limit the way OpenAI does: a token bucket refilled continuously, holding one
second's worth of requests, and beyond it 429 with retry-after-ms / retry-after. The real engine
and the real OpenAI provider (SDK, retries, outbound policy) run `--calls` article calls through
it, once with the adaptive pace (ai/pacing.py: AI_CONCURRENCY_START, grows, steps back on a 429,
spreads launches over the latency) and once pinned at the old fixed concurrency of 2, in the same
process and run (`--adaptive-only` skips the second, `--runs N` shares the key between N runs).

Achieved calls/min = calls / (wall time - one latency): the last answer always takes one latency
after the last start, whatever the limit. Target: adaptive >= 90% of the limit, 0 items lost.

    IGNY8_HOME=$(mktemp -d) .venv/bin/python bench/provider_throughput.py [--calls 100]
        [--latency 2] [--rpm 300] [--runs 1]
"""

import argparse
import json
import math
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ["OPENAI_API_KEY"] = "sk-bench"
os.environ["LOG_LEVEL"] = "WARNING"

from _setup import django_with_fresh_database

django_with_fresh_database()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from pydantic import BaseModel  # noqa: E402

from igny8.accounts import services as accounts  # noqa: E402
from igny8.ai import engine, registry, services  # noqa: E402
from igny8.ai.base import AIFunction, TextPrompt  # noqa: E402


class Article(BaseModel):
    title: str


class BenchArticles(AIFunction):
    name = "bench_articles"
    operation = "generate_content"
    per_item = True
    max_items = 10_000
    output_schema = Article

    def prepare(self, ctx):
        return list(ctx.payload["ids"])

    def build_prompt(self, ctx, item, template):
        return TextPrompt(prompt=f"Write article {item}", max_tokens=4000)

    def save_output(self, ctx, item, output):
        return {"title": output.title}


class RateLimitedOpenAI:
    """Chat completions after `latency` seconds, at most `rpm` per minute (token bucket)."""

    def __init__(self, *, rpm: float, latency: float):
        self.rate, self.latency = rpm / 60.0, latency
        self.capacity = max(1.0, self.rate)  # one second's worth, like OpenAI's quantised limits
        self.lock = threading.Lock()
        self.reset()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def reset(self) -> None:
        with self.lock:
            self.tokens, self.filled_at = self.capacity, time.monotonic()
            self.accepted, self.refused, self.in_flight, self.max_in_flight = 0, 0, 0, 0
            self.started, self.trace = time.monotonic(), []  # (second, accepted?) per request

    def _take(self) -> float:
        """0 when the request may go ahead, else the seconds until it could."""
        with self.lock:
            now = time.monotonic()
            self.tokens = min(self.capacity, self.tokens + (now - self.filled_at) * self.rate)
            self.filled_at = now
            self.trace.append((int(now - self.started), self.tokens >= 1))
            if self.tokens >= 1:
                self.tokens -= 1
                self.accepted += 1
                self.in_flight += 1
                self.max_in_flight = max(self.max_in_flight, self.in_flight)
                return 0.0
            self.refused += 1
            return (1 - self.tokens) / self.rate

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out at once, as from a real server

            def do_POST(self):
                self.rfile.read(int(self.headers["Content-Length"]))
                wait = fake._take()
                if wait:
                    self._send(
                        429,
                        {
                            "error": {
                                "message": f"Rate limit reached on requests per min (RPM). "
                                f"Please try again in {wait * 1000:.0f}ms.",
                                "type": "requests",
                                "param": None,
                                "code": "rate_limit_exceeded",
                            }
                        },
                        {"retry-after-ms": str(math.ceil(wait * 1000)), "retry-after": str(math.ceil(wait))},
                    )
                    return
                time.sleep(fake.latency)
                with fake.lock:
                    fake.in_flight -= 1
                self._send(200, completion(), {})

            def _send(self, status: int, body: dict, headers: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                for name, value in {"Content-Type": "application/json", **headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        return Handler


def completion() -> dict:
    return {
        "id": "chatcmpl-bench",
        "object": "chat.completion",
        "created": 1,
        "model": "gpt-4o-mini",
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {"role": "assistant", "content": '{"title": "An article"}', "refusal": None},
            }
        ],
        "usage": {"prompt_tokens": 900, "completion_tokens": 1500, "total_tokens": 2400},
    }


def one_run(account, ids: list[int], results: list) -> None:
    try:
        run = services.run_create(account=account, function_name="bench_articles", payload={"ids": ids})
        run = services.run_claim(
            task_id=run.task_id, function_name="bench_articles", payload=run.payload, account_id=account.pk
        )
        run = engine.execute(run)
        results.append((run.items_succeeded, run.items_failed, run.status, run.error))
    finally:
        connection.close()


def measure(account, fake: RateLimitedOpenAI, *, calls: int, runs: int) -> dict:
    cache.clear()  # forget what an earlier mode learned
    fake.reset()
    chunks = [list(range(1 + n, calls + 1, runs)) for n in range(runs)]
    results: list = []
    started = time.perf_counter()
    threads = [threading.Thread(target=one_run, args=(account, chunk, results)) for chunk in chunks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    succeeded = sum(r[0] for r in results)
    errors = [r[3] for r in results if r[3]]
    return {
        "elapsed": elapsed,
        "per_min": succeeded / max(elapsed - fake.latency, 1e-9) * 60,
        "refused": fake.refused,
        "lost": calls - succeeded,
        "max_in_flight": fake.max_in_flight,
        "errors": errors,
        "trace": list(fake.trace),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=100)
    parser.add_argument("--latency", type=float, default=2.0, help="seconds per answered call")
    parser.add_argument("--rpm", type=float, default=300, help="the fake's requests-per-minute limit")
    parser.add_argument("--runs", type=int, default=1, help="runs sharing the calls, in parallel")
    parser.add_argument("--trace", action="store_true", help="print requests accepted/refused per second")
    parser.add_argument("--adaptive-only", action="store_true", help="skip the fixed-2 comparison")
    args = parser.parse_args()

    fake = RateLimitedOpenAI(rpm=args.rpm, latency=args.latency)
    settings.OPENAI_BASE_URL = fake.url  # the operator's own base URL: the outbound policy allows it
    settings.OPENAI_MODEL = "gpt-4o-mini"
    registry.register("bench_articles", "__main__.BenchArticles")
    owner = accounts.user_create(email="bench@example.com", password="bench-password-1")
    account = accounts.account_create(name="Bench", owner=owner)
    account.credits = 10_000_000
    account.save(update_fields=["credits"])

    print(
        f"database: {connection.vendor}; {args.calls} article calls in {args.runs} run(s); latency "
        f"{args.latency:g} s; limit {args.rpm:g}/min (the best concurrency is about "
        f"{args.rpm / 60 * args.latency:.1f})"
    )
    print(f"{'mode':<22} {'wall s':>7} {'calls/min':>9} {'of limit':>8} {'429s':>5} {'lost':>4} {'peak':>4}")
    modes = [
        ("adaptive (start 4)", settings.AI_CONCURRENCY_START, settings.AI_CONCURRENCY_MAX),
        ("fixed 2 (before)", 2, 2),
    ]
    if args.adaptive_only:
        modes = modes[:1]
    shares = {}
    for label, start, maximum in modes:
        settings.AI_CONCURRENCY_START, settings.AI_CONCURRENCY_MAX = start, maximum
        result = measure(account, fake, calls=args.calls, runs=args.runs)
        shares[label] = share = result["per_min"] / args.rpm
        print(
            f"{label:<22} {result['elapsed']:>7.1f} {result['per_min']:>9.1f} {share:>8.0%} "
            f"{result['refused']:>5} {result['lost']:>4} {result['max_in_flight']:>4}"
        )
        for error in result["errors"]:
            print(f"  run error: {error}")
        if args.trace:
            seconds = max((second for second, _ in result["trace"]), default=0) + 1
            per_second = [[0, 0] for _ in range(seconds)]
            for second, accepted in result["trace"]:
                per_second[second][0 if accepted else 1] += 1
            print("  accepted/refused per second: " + " ".join(f"{a}/{r}" for a, r in per_second))
    adaptive = shares[modes[0][0]]
    print(f"target: adaptive >= 90% of the limit, 0 lost -> {'met' if adaptive >= 0.9 else 'NOT met'}")


if __name__ == "__main__":
    main()
