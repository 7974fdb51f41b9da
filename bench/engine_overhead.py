"""The AI engine's own cost per provider call, with a provider that answers instantly.

Everything the engine does around a call is counted: the run row, progress and step writes,
credit reservation and settlement, the usage log. Two shapes are measured on the configured
database (SQLite by default, a fresh one under a throw-away IGNY8_HOME):

  per call in a 50-item run     one run whose function calls the provider once per item
  per single-call run           50 runs of one call each, each created, claimed, run and settled

Target: at most 20 ms per call on the embedded default.

    IGNY8_HOME=$(mktemp -d) .venv/bin/python bench/engine_overhead.py
"""

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("IGNY8_HOME", tempfile.mkdtemp(prefix="igny8-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "igny8.config.settings")
os.environ["OPENAI_API_KEY"] = ""  # the bench never touches the network
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import django
from django.core.management import call_command

django.setup()
call_command("migrate", verbosity=0)

from django.db import connection  # noqa: E402
from pydantic import BaseModel  # noqa: E402

from igny8.accounts import services as accounts  # noqa: E402
from igny8.ai import engine, registry, services  # noqa: E402
from igny8.ai.base import AIFunction, TextPrompt  # noqa: E402
from igny8.ai.providers import factory  # noqa: E402
from igny8.ai.providers.base import Capabilities, CompletionResult  # noqa: E402

ITEMS = 50


class Answer(BaseModel):
    title: str
    tags: list[str]


class BenchFunction(AIFunction):
    name = "bench_echo"
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


class InstantProvider:
    name = "instant"
    capabilities = Capabilities(text=True, images=False)

    def complete(self, request):
        return CompletionResult(
            text='{"title": "t", "tags": ["a"]}', model=request.model, tokens_in=10, tokens_out=5
        )


registry.register("bench_echo", "__main__.BenchFunction")
factory.build_provider = lambda config: InstantProvider()


def one_run(account, ids):
    run = services.run_create(account=account, function_name="bench_echo", payload={"ids": ids})
    run = services.run_claim(
        task_id=run.task_id, function_name="bench_echo", payload=run.payload, account_id=account.pk
    )
    run = engine.execute(run)
    assert run.status == "success", run.error
    return run


def main() -> None:
    owner = accounts.user_create(email="bench@example.com", password="bench-password-1")
    account = accounts.account_create(name="Bench", owner=owner)
    account.credits = 10_000_000
    account.save(update_fields=["credits"])
    one_run(account, [1])  # warm caches, imports and the SQLite file

    started = time.perf_counter()
    one_run(account, list(range(1, ITEMS + 1)))
    per_item_ms = (time.perf_counter() - started) * 1000 / ITEMS

    started = time.perf_counter()
    for _ in range(ITEMS):
        one_run(account, [1])
    per_run_ms = (time.perf_counter() - started) * 1000 / ITEMS

    print(f"database: {connection.vendor}")
    print(f"per call in a {ITEMS}-item run: {per_item_ms:.2f} ms")
    print(f"per single-call run ({ITEMS} runs, create+reserve+claim+run+settle): {per_run_ms:.2f} ms")
    print(f"target: <= 20 ms per call -> {'met' if max(per_item_ms, per_run_ms) <= 20 else 'NOT met'}")


if __name__ == "__main__":
    main()
