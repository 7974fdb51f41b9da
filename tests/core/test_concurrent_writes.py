"""The embedded default's promise: web, worker and beat write at the same time without
"database is locked". Each thread holds its own connection, as each process does."""

import threading

import pytest
from django.db import connection, connections, transaction

from igny8.accounts import services
from igny8.planner.models import Keyword

WRITERS, TRANSACTIONS = 4, 30


@pytest.mark.django_db(transaction=True)
def test_parallel_read_then_write_transactions():
    owner = services.user_create(email="w@example.com", password="correct-horse-battery")
    account = services.account_create(name="W", owner=owner)
    site = services.site_create(account=account, name="S")
    errors: list[BaseException] = []
    start = threading.Barrier(WRITERS)

    def writer(number: int) -> None:
        try:
            start.wait()
            for n in range(TRANSACTIONS):
                # Read, then write in one transaction: the pattern that fails with DEFERRED
                # transactions when two connections try to upgrade their read locks.
                with transaction.atomic():
                    held = Keyword.objects.filter(site=site).count()
                    Keyword.objects.create(
                        account=account,
                        site=site,
                        keyword=f"w{number}-{n}",
                        normalized=f"w{number}-{n}",
                        volume=held,
                    )
        except BaseException as error:  # collected and asserted below, with the thread's error
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Keyword.objects.filter(site=site).count() == WRITERS * TRANSACTIONS
    if connection.vendor == "sqlite":
        # IMMEDIATE transactions run one at a time, so each saw every row committed before it: the
        # counts are exactly 0..N-1. (PostgreSQL's READ COMMITTED lets them overlap, as it should.)
        assert sorted(Keyword.objects.values_list("volume", flat=True)) == list(range(WRITERS * TRANSACTIONS))


def test_sqlite_runs_in_wal_with_immediate_transactions(db):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite-only settings")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
