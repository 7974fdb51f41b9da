"""Bounded concurrency in the AI engine: wall time of a per-item run against the ideal.

A fake provider answers every call after a fixed simulated latency (time.sleep, so the GIL is
free, like real network waits). For N items at concurrency c the ideal is N x latency / c
(ceil(N / c) x latency when c does not divide N); the engine's own work (progress, steps, save,
credits on the run's thread) is the difference. Target: measured / ideal <= 1.15.

    IGNY8_HOME=$(mktemp -d) .venv/bin/python bench/pipeline_latency.py [--latency-ms 200] [--items 24]
"""

import argparse
import math
import os
import sys
import time
from pathlib import Path

os.environ["OPENAI_API_KEY"] = ""  # the bench never touches the network
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _setup import django_with_fresh_database

django_with_fresh_database()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from pydantic import BaseModel  # noqa: E402

from igny8.accounts import services as accounts  # noqa: E402
from igny8.ai import engine, registry, services  # noqa: E402
from igny8.ai.base import AIFunction, TextPrompt  # noqa: E402
from igny8.ai.providers import factory  # noqa: E402
from igny8.ai.providers.base import Capabilities, CompletionResult  # noqa: E402


class Answer(BaseModel):
    title: str


class BenchFunction(AIFunction):
    name = "bench_latency"
    operation = "generate_content"
    per_item = True
    max_items = 1000
    output_schema = Answer

    def prepare(self, ctx):
        return list(ctx.payload["ids"])

    def build_prompt(self, ctx, item, template):
        return TextPrompt(prompt=f"item {item}")

    def save_output(self, ctx, item, output):
        return {"title": output.title}


class SlowProvider:
    """Answers after a fixed latency, like a provider across the network."""

    name = "slow"
    capabilities = Capabilities(text=True, images=False)
    latency = 0.2

    def complete(self, request):
        time.sleep(self.latency)
        return CompletionResult(text='{"title": "t"}', model=request.model, tokens_in=10, tokens_out=5)


def timed_run(account, items: int) -> float:
    run = services.run_create(
        account=account, function_name="bench_latency", payload={"ids": list(range(1, items + 1))}
    )
    run = services.run_claim(
        task_id=run.task_id, function_name="bench_latency", payload=run.payload, account_id=account.pk
    )
    started = time.perf_counter()
    run = engine.execute(run)
    elapsed = time.perf_counter() - started
    assert run.status == "success" and run.items_succeeded == items, run.error
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--latency-ms", type=float, default=200)
    parser.add_argument("--items", type=int, default=24)  # divisible by every default c
    parser.add_argument("--concurrency", type=int, nargs="*", default=[1, 2, 4, 8])
    args = parser.parse_args()
    SlowProvider.latency = args.latency_ms / 1000
    registry.register("bench_latency", "__main__.BenchFunction")
    factory.build_provider = lambda config: SlowProvider()

    owner = accounts.user_create(email="bench@example.com", password="bench-password-1")
    account = accounts.account_create(name="Bench", owner=owner)
    account.credits = 10_000_000
    account.save(update_fields=["credits"])
    settings.AI_CONCURRENCY_START = settings.AI_CONCURRENCY_MAX = 1
    timed_run(account, 2)  # warm imports, caches and the database file

    print(f"database: {connection.vendor}; {args.items} items; provider latency {args.latency_ms:g} ms")
    print(f"{'concurrency':>11} {'measured s':>10} {'ideal s':>8} {'ratio':>6}")
    worst = 0.0
    for concurrency in args.concurrency:
        settings.AI_CONCURRENCY_START = settings.AI_CONCURRENCY_MAX = concurrency
        measured = timed_run(account, args.items)
        ideal = math.ceil(args.items / concurrency) * SlowProvider.latency
        ratio = measured / ideal
        worst = max(worst, ratio)
        print(f"{concurrency:>11} {measured:>10.3f} {ideal:>8.3f} {ratio:>6.3f}")
    print(f"target: ratio <= 1.15 -> {'met' if worst <= 1.15 else 'NOT met'} (worst {worst:.3f})")


if __name__ == "__main__":
    main()
