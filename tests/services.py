"""Addresses of the local services the service-backed tests use.

The two passes of `make test` (SQLite and PostgreSQL) run at the same time, so each gets its own
Redis databases (IGNY8_TEST_REDIS_DB, default 15, and the one below it): a worker of one pass must
never take the other pass's messages."""

import os

REDIS_DB = int(os.environ.get("IGNY8_TEST_REDIS_DB", "15"))


def redis_url(*, offset: int = 0) -> str:
    return f"redis://127.0.0.1:6379/{REDIS_DB - offset}"
