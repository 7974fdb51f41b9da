"""Helpers for a function's result sentence (AIFunction.summary), the progress modal's words for
what a finished run did: counted("1,204 keywords"), totals of the per-item summaries, and the
"N failed." tail."""

from __future__ import annotations


def counted(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def total(items: list[dict], key: str) -> int:
    """The sum of one figure over the successful items' summaries."""
    return sum(int(item.get(key) or 0) for item in items)


def failed_tail(count: int, one: str, many: str | None = None) -> str:
    return f" {counted(count, one, many)} failed." if count else ""
