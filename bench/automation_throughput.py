"""Automation throughput: how soon an execution starts after its trigger, how often its progress
moves, and whether 100 concurrent executions (one rule per site) all finish with nothing lost.

Each backend runs in a child process with its own settings: the embedded default (SQLite +
filesystem broker under a throw-away IGNY8_HOME) and, when they answer on 127.0.0.1, Redis (db 14)
+ PostgreSQL (database igny8_automation_bench, recreated). Workers are real `celery worker`
subprocesses running the fast fake AI functions of tests/automation/fakes.py through the real
engine (offline provider). Figures are printed; nothing is asserted on time.

    .venv/bin/python bench/automation_throughput.py [--sites 100] [--workers 4] \
        [--backend embedded|redis|both]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = "redis://127.0.0.1:6379/14"
PG_URL = "postgresql://postgres@127.0.0.1:5432/igny8_automation_bench"


def up(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def child_env(backend: str) -> dict:
    env = {
        **os.environ,
        "IGNY8_HOME": tempfile.mkdtemp(prefix=f"igny8-bench-{backend}-"),
        "LOG_LEVEL": "WARNING",
    }
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(ROOT)])
    env.update(OPENAI_API_KEY="", RUNWARE_API_KEY="", DJANGO_SETTINGS_MODULE="igny8.config.settings")
    env.pop("DATABASE_URL", None)
    env.pop("CELERY_BROKER_URL", None)
    if backend == "redis":
        env.update(DATABASE_URL=PG_URL, CELERY_BROKER_URL=REDIS_URL)
    return env


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


# -- the child: one backend ------------------------------------------------------------------------
def prepare_database(backend: str) -> None:
    if backend == "redis":
        import psycopg
        import redis

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS igny8_automation_bench WITH (FORCE)")
            conn.execute("CREATE DATABASE igny8_automation_bench")
        redis.Redis.from_url(REDIS_URL).flushdb()
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def make_world(sites: int):
    from igny8.accounts import services as accounts
    from igny8.automation import services
    from igny8.billing.services import credits_grant
    from igny8.planner.models import Keyword

    owner = accounts.user_create(email="bench@example.com", password="correct-horse-battery")
    account = accounts.account_create(name="Bench", owner=owner)
    credits_grant(account=account, amount=10_000_000, note="bench")
    type(account.plan).objects.filter(pk=account.plan_id).update(max_sites=sites + 10)  # the bench's own plan
    account.refresh_from_db()
    chain = [
        {"type": t, "params": {}}
        for t in ("cluster_keywords", "generate_ideas", "generate_content", "generate_images")
    ]
    rules = []
    for number in range(sites):
        site = accounts.site_create(account=account, name=f"Site {number}", url=f"https://s{number}.example")
        for word in ("v60 recipe", "v60 grind", "aeropress recipe"):
            Keyword.objects.create(account=account, site=site, keyword=word, normalized=word)
        rules.append(services.rule_create(account=account, site=site, name=f"Chain {number}", actions=chain))
    return rules


def start_workers(count: int, env: dict) -> list[subprocess.Popen]:
    from tests.automation.workers import WORKER_COMMAND

    return [
        subprocess.Popen(
            [*WORKER_COMMAND, f"--hostname=bench{n}@%h"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for n in range(count)
    ]


def watch(task_ids: list[int], timeout: float) -> dict:
    """Polls the rows every 0.1 s: start times, progress heartbeats, end states."""
    from igny8.automation.models import FINISHED, ScheduledTask

    beats: dict[int, list] = {pk: [] for pk in task_ids}
    deadline = time.monotonic() + timeout
    rows = []
    while time.monotonic() < deadline:
        rows = list(
            ScheduledTask.objects.filter(pk__in=task_ids).values(
                "pk", "status", "created_at", "executed_at", "finished_at", "heartbeat_at"
            )
        )
        for row in rows:
            if (
                row["status"] == "running"
                and row["heartbeat_at"]
                and (not beats[row["pk"]] or beats[row["pk"]][-1] != row["heartbeat_at"])
            ):
                beats[row["pk"]].append(row["heartbeat_at"])
        if sum(row["status"] in FINISHED for row in rows) == len(task_ids):
            break
        time.sleep(0.1)
    return {"rows": rows, "beats": beats}


def run_child(backend: str, sites: int, workers: int) -> dict:
    prepare_database(backend)
    from igny8.automation import services

    rules = make_world(sites + 2)
    env = {**os.environ, "AUTOMATION_FAKE_DELAY": os.environ.get("AUTOMATION_FAKE_DELAY", "0")}
    started = start_workers(workers, env)
    try:
        watch([services.rule_execute(rule=rules[-2]).pk], 120)  # warm-up: the workers are up
        # One execution on idle workers: trigger -> start latency without a queue in front of it.
        single = services.rule_execute(rule=rules[-1])
        alone = watch([single.pk], 120)["rows"][0]
        t0 = time.monotonic()
        tasks = [services.rule_execute(rule=rule) for rule in rules[:sites]]
        triggered = time.monotonic() - t0
        seen = watch([t.pk for t in tasks], 900)
        wall = time.monotonic() - t0
    finally:
        for worker in started:
            worker.terminate()
        for worker in started:
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
    rows = seen["rows"]
    latencies = [(r["executed_at"] - r["created_at"]).total_seconds() for r in rows if r["executed_at"]]
    durations = [
        (r["finished_at"] - r["executed_at"]).total_seconds()
        for r in rows
        if r["finished_at"] and r["executed_at"]
    ]
    gaps = [(b - a).total_seconds() for beats in seen["beats"].values() for a, b in pairwise(beats)]
    from igny8.writer.models import Content, Image

    statuses: dict[str, int] = {}
    for row in rows:
        statuses[row["status"]] = statuses.get(row["status"], 0) + 1
    return {
        "backend": backend,
        "sites": sites,
        "workers": workers,
        "single_start_latency_s": round((alone["executed_at"] - alone["created_at"]).total_seconds(), 3)
        if alone["executed_at"]
        else None,
        "trigger_100_s": round(triggered, 2),
        "wall_s": round(wall, 2),
        "start_latency_p50_s": round(statistics.median(latencies), 3) if latencies else None,
        "start_latency_max_s": round(max(latencies), 3) if latencies else None,
        "first_wave_start_latency_max_s": round(max(sorted(latencies)[:workers]), 3) if latencies else None,
        "execution_p50_s": round(statistics.median(durations), 3) if durations else None,
        "progress_gap_max_s": round(max(gaps), 3) if gaps else None,
        "progress_gap_p95_s": round(percentile(gaps, 0.95), 3) if gaps else None,
        "statuses": statuses,
        "lost": sites
        - sum(statuses.get(s, 0) for s in ("completed", "partially_completed", "failed", "cancelled")),
        "articles": Content.objects.count(),
        "images": Image.objects.filter(status="generated").count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sites", type=int, default=100)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--backend", choices=["embedded", "redis", "both"], default="both")
    parser.add_argument("--child", choices=["embedded", "redis"])
    args = parser.parse_args()
    if args.child:
        sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
        print(json.dumps(run_child(args.child, args.sites, args.workers), default=str))
        return
    backends = ["embedded", "redis"] if args.backend == "both" else [args.backend]
    for backend in backends:
        if backend == "redis" and not (up(6379) and up(5432)):
            print("redis+postgresql: skipped (not answering on 127.0.0.1)")
            continue
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                backend,
                "--sites",
                str(args.sites),
                "--workers",
                str(args.workers),
            ],
            env=child_env(backend),
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
        if not lines:
            print(f"{backend}: failed\n{out.stderr[-3000:]}")
            continue
        for key, value in json.loads(lines[-1]).items():
            print(f"{backend:>9}  {key:<32} {value}")


if __name__ == "__main__":
    main()
