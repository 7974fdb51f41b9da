"""The long chaos run of issue 12: tests/chaos/test_two_workers.py with more kills, more open work
and any seeds. Two real `celery worker` processes over Redis against PostgreSQL, a slow loopback
provider counting calls per item, seeded SIGKILLs during AI runs and automation executions; every
run checks the same books as the test (one provider call per item at most, no double charge,
ledger = usage, nothing left running, every item saved or failed with the reason) and prints its
figures. Exits 1 when a seed failed. Needs PostgreSQL and Redis on 127.0.0.1 (skipped otherwise).

    .venv/bin/python bench/chaos.py [--seeds 1,2,3] [--kills 40] [--provider-seconds 0.3] \\
        [--open-ai-runs 3] [--open-executions 3]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_URL = "postgresql://postgres@127.0.0.1:5432/igny8_chaos_bench"  # pytest-django adds test_
REDIS_DB = "11"  # and 10 (CHAOS_REDIS_DB chooses another pair): this run's Redis databases


def up(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def one_seed(*, seed: int, args: argparse.Namespace, report: Path) -> tuple[bool, str]:
    env = {
        **os.environ,
        "DATABASE_URL": os.environ.get("CHAOS_DATABASE_URL", PG_URL),
        "IGNY8_TEST_REDIS_DB": os.environ.get("CHAOS_REDIS_DB", REDIS_DB),
        "IGNY8_VAR_DIR": tempfile.mkdtemp(prefix="igny8-chaos-"),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "CHAOS_SEED": str(seed),
        "CHAOS_KILLS": str(args.kills),
        "CHAOS_PROVIDER_SECONDS": str(args.provider_seconds),
        "CHAOS_OPEN_AI_RUNS": str(args.open_ai_runs),
        "CHAOS_OPEN_EXECUTIONS": str(args.open_executions),
        "CHAOS_DRAIN_SECONDS": "600",
        "CHAOS_REPORT": str(report),
    }
    command = [
        sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-x", "--create-db",
        f"--basetemp={tempfile.mkdtemp(prefix='igny8-chaos-pytest-')}",
        "tests/chaos/test_two_workers.py",
    ]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    return done.returncode == 0, (done.stdout + done.stderr)[-4000:]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="1212", help="comma-separated seeds, one run each")
    parser.add_argument("--kills", type=int, default=40)
    parser.add_argument("--provider-seconds", type=float, default=0.3)
    parser.add_argument("--open-ai-runs", type=int, default=3)
    parser.add_argument("--open-executions", type=int, default=3)
    args = parser.parse_args()
    if not (up(5432) and up(6379)):
        print("skipped: needs PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379")
        return 0
    report = Path(tempfile.mkdtemp(prefix="igny8-chaos-report-")) / "figures.jsonl"
    seeds = [int(seed) for seed in args.seeds.split(",") if seed.strip()]
    passed = 0
    for seed in seeds:
        started = time.monotonic()
        ok, output = one_seed(seed=seed, args=args, report=report)
        wall = time.monotonic() - started
        load = os.getloadavg()[0]
        lines = report.read_text().splitlines() if report.exists() else []
        figures = json.loads(lines[-1]) if ok and lines else {}
        passed += ok
        print(f"seed {seed}: {'passed' if ok else 'FAILED'} in {wall:.0f} s (load {load:.1f})")
        if figures:
            kinds = {kind: figures["kills"].count(kind) for kind in sorted(set(figures["kills"]))}
            print(
                f"  kills {len(figures['kills'])} {kinds}; provider calls {figures['provider_calls']}; "
                f"items saved {figures['items_saved']}, failed {figures['items_failed']}; "
                f"AI runs {figures['ai_runs']}, executions {figures['executions']}; "
                f"re-queued by the sweeps: runs {figures['ai_requeued']}, executions "
                f"{figures['executions_requeued']}; kill phase {figures['kill_seconds']} s, "
                f"drain {figures['drain_seconds']} s; most attempts of a run {figures['attempts_max']}"
            )
        else:
            print(output)
    print(f"{passed}/{len(seeds)} seeds passed")
    return 0 if passed == len(seeds) else 1


if __name__ == "__main__":
    sys.exit(main())
