"""Keyword CSV import throughput on the configured database (SQLite by default).

Prints rows per second for files of 10,000 and 100,000 rows, and the cost of re-importing a file
whose rows all exist already (the duplicate check)."""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _setup import django_with_fresh_database

django_with_fresh_database()

from django.db import connection  # noqa: E402

from igny8.accounts import services  # noqa: E402
from igny8.planner.imports import keywords_import  # noqa: E402


def csv_bytes(rows: int, offset: int = 0) -> bytes:
    lines = ["keyword,volume,difficulty,cpc,intent"]
    lines += [
        f"keyword {n} coffee,{n % 9000},{n % 101},{n % 7}.25,commercial" for n in range(offset, offset + rows)
    ]
    return "\n".join(lines).encode()


def main() -> None:
    owner = services.user_create(email="bench@example.com", password="bench-password")
    account = services.account_create(name="Bench", owner=owner)
    account.plan.max_keywords = 1_000_000
    account.plan.save()
    print(f"database: {connection.vendor}")
    for rows, offset in ((10_000, 0), (100_000, 10_000)):
        site = services.site_create(account=account, name=f"site {rows}")
        data = csv_bytes(rows, offset)
        start = time.perf_counter()
        report = keywords_import(site=site, data=data)
        fresh = time.perf_counter() - start
        start = time.perf_counter()
        again = keywords_import(site=site, data=data)
        repeat = time.perf_counter() - start
        assert (report.created, again.duplicates_count) == (rows, rows)
        print(
            f"{rows:>7} rows: import {fresh:6.2f} s ({rows / fresh:,.0f} rows/s); "
            f"re-import, all duplicates {repeat:6.2f} s ({rows / repeat:,.0f} rows/s); "
            f"{len(data) / 1e6:.1f} MB"
        )


if __name__ == "__main__":
    main()
