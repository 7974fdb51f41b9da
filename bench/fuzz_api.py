"""Schemathesis over every API operation for a number of seconds: the long run behind the bounded
one in tests/api/test_fuzz.py (same machinery: tests/fuzzing.py).

Rounds until the time is up; each round makes a fresh pair of accounts with a few rows of every kind,
then sends every operation `--examples` generated requests (valid, invalid, and aimed at the
account's own rows) with the seed 20261117 + round, as the first account's owner. In process, no
network: providers are offline whatever a request carries, and AI runs are not enqueued.

Prints, per operation, the cases sent and the server errors (5xx) answered, then the totals and one
example of each distinct cause. Exits 1 when there was any server error.

    IGNY8_HOME=$(mktemp -d) .venv/bin/python bench/fuzz_api.py [--seconds 600] [--examples 25]
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "src"), str(ROOT)]
for name in ("OPENAI_API_KEY", "RUNWARE_API_KEY", "OPENAI_BASE_URL"):
    os.environ[name] = ""  # the bench never touches the network

from _setup import django_with_fresh_database  # noqa: E402

django_with_fresh_database()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from igny8.accounts import services  # noqa: E402
from igny8.accounts.tokens import token_create  # noqa: E402
from igny8.ai.tasks import run_ai_task  # noqa: E402
from tests.fuzzing import (  # noqa: E402
    FUZZ_SEED,
    Report,
    Target,
    fuzz_operations,
    loopback_only,
    offline_providers,
    seed_rows,
)


def fresh_target(round_number: int) -> Target:
    """An owner with rows to aim at, and a second account with rows of its own to not reach."""
    made = []
    for who in ("owner", "other"):
        user = services.user_create(
            email=f"{who}-{round_number}@fuzz.example", password="fuzz-correct-horse-9"
        )
        account = services.account_create(name=f"Fuzz {who} {round_number}", owner=user)
        site = services.site_create(account=account, name="Fuzz site", url="https://example.com")
        sector = services.sector_create(site=site, name="Coffee", description="Home coffee brewing")
        made.append((user, account, seed_rows(account=account, site=site, sector=sector)))
    (user, account, known_ids), _ = made
    return Target(token_for=lambda: token_create(user=user), account_id=account.pk, known_ids=known_ids)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=600, help="how long to fuzz (default 600)")
    parser.add_argument("--examples", type=int, default=25, help="requests per operation and round")
    args = parser.parse_args()

    offline_providers(settings_obj=settings, patch=setattr)
    loopback_only(patch=setattr)
    run_ai_task.apply_async = lambda *a, **k: None  # no broker and no worker: runs stay queued
    started = time.monotonic()
    stop_at = started + args.seconds
    report, rounds = Report(), 0
    while time.monotonic() < stop_at:
        operations_before = report.operations
        fuzz_operations(
            target=fresh_target(rounds),
            max_examples=args.examples,
            seed_value=FUZZ_SEED + rounds,
            report=report,
            stop_at=stop_at,
        )
        rounds += 1
        if report.operations == operations_before:
            break
    elapsed = time.monotonic() - started

    print(f"database: {connection.vendor}; {rounds} round(s), {args.examples} example(s) per operation")
    print(f"{'cases':>7} {'5xx':>5}  operation")
    for label in sorted(report.per_operation):
        cases = sum(report.per_operation[label].values())
        print(f"{cases:7d} {report.errors_of(label):5d}  {label}")
    labels = len(report.per_operation)
    print(
        f"total: {report.cases} cases over {labels} operations in {elapsed:.0f} s "
        f"({report.cases / elapsed:.1f} cases/s); server errors: {len(report.server_errors)}"
    )
    if report.server_errors:
        print(report.describe_errors())
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
