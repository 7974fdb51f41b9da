"""Each item of an AI run exactly once, whatever dies when.

An item gets a row (AIRunItem) before its provider call, and the row is closed in the same
transaction that saves the item's output, writes its usage rows (its credits) and adds it to the
run's counters and results. So a re-run of the run (a re-delivered message, the stale sweep's
re-queue) knows every item that was saved, failed, or was with the provider when the worker died:

- saved or failed: skipped, never sent to the provider again;
- with the provider when the worker died: failed with that reason, not sent again, because the
  provider may have answered (and been paid) already; at most one provider call per item.

Credits: the run reserves its estimate up front; each saved item's usage row carries its credits
and is written in the transaction that saves it; the run is settled against the sum of its usage
rows (billing.run_settle), so the ledger and the usage log cannot disagree."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from igny8.ai.items import Outcome
from igny8.ai.models import AIRun, AIRunItem, ItemStatus
from igny8.billing import services as billing

WORKER_DIED = (
    "The worker stopped while this item was with the AI provider; it was not sent again, so it "
    "is not paid twice. Run it again to retry."
)
RUN_FIELDS = (
    "tokens_in",
    "tokens_out",
    "cost_usd",
    "unpriced_calls",
    "credits_used",
    "items_succeeded",
    "items_failed",
)


class ItemTaken(Exception):
    """Another attempt of the run holds or closed this item: this attempt leaves it alone."""


def item_key(item: Any) -> str | None:
    """What names an item across attempts of one run: a row's primary key, or a plain id. None for
    items without one (clustering's batches): their function's prepare() leaves out what was saved."""
    pk = getattr(item, "pk", None)
    if pk is not None:
        return f"pk:{pk}"
    if isinstance(item, int | str) and not isinstance(item, bool):
        return f"id:{item}"
    return None


def items_of(*, run: AIRun) -> dict[str, AIRunItem]:
    return {row.key: row for row in AIRunItem.objects.filter(run=run)}


def mark_calling(*, run: AIRun, key: str, label: str) -> None:
    """Committed before the provider call: from now on no other attempt sends this item."""
    try:
        with transaction.atomic():
            AIRunItem.objects.create(run=run, key=key, label=label[:200], attempt=run.attempts)
    except IntegrityError as error:
        raise ItemTaken(key) from error


def record(*, run: AIRun, operation: str, key: str | None, outcome: Outcome) -> None:
    """The item's outcome, durable in one transaction: its row closed (only by the attempt that
    opened it, else ItemTaken and nothing is written), its usage rows with its credits, and the run's
    counters and results. The caller's save_output, when it ran, is in the same transaction."""
    credits = run.credits_per_item if outcome.ok else 0
    status = (
        ItemStatus.SUCCESS if outcome.ok else ItemStatus.CANCELLED if outcome.cancelled else ItemStatus.FAILED
    )
    with transaction.atomic():
        locked = AIRun.objects.select_for_update().get(pk=run.pk)
        if key is not None:
            closed = AIRunItem.objects.filter(
                run=run, key=key, status=ItemStatus.CALLING, attempt=run.attempts
            ).update(
                status=status,
                credits=credits,
                provider_calls=len(outcome.calls),
                error=outcome.summary.get("error", "") if not outcome.ok else "",
            )
            if not closed:
                raise ItemTaken(key)
        for number, call in enumerate(outcome.calls):
            billing.usage_record(
                account_id=run.account_id,
                run_id=run.task_id,
                operation=operation,
                provider=call.provider,
                model=call.model,
                credits=credits if number == 0 else 0,
                cost_usd=call.cost_usd,
                tokens_in=call.tokens_in,
                tokens_out=call.tokens_out,
            )
        locked.tokens_in += sum(call.tokens_in for call in outcome.calls)
        locked.tokens_out += sum(call.tokens_out for call in outcome.calls)
        # A call nobody knows the price of is counted apart, never added as $0 (ai.rates).
        locked.cost_usd += sum((c.cost_usd for c in outcome.calls if c.cost_usd is not None), Decimal("0"))
        locked.unpriced_calls += sum(call.cost_usd is None for call in outcome.calls)
        locked.credits_used += credits
        locked.items_succeeded += int(outcome.ok)
        locked.items_failed += int(not outcome.ok and not outcome.cancelled)
        result = {**(locked.result or {}), **{k: v for k, v in (run.result or {}).items() if k == "meta"}}
        result["items"] = [*result.get("items", []), outcome.summary]
        locked.result = result
        AIRun.objects.filter(pk=run.pk).update(result=result, **{f: getattr(locked, f) for f in RUN_FIELDS})
    for name in (*RUN_FIELDS, "result"):
        setattr(run, name, getattr(locked, name))


def fail_orphans(*, run: AIRun, rows: list[AIRunItem]) -> list[str]:
    """Items a dead attempt left with the provider: failed (no credits), never sent again.
    Returns their keys."""
    failed = []
    for row in rows:
        with transaction.atomic():
            # Only an earlier attempt's: a later one's row means this attempt is the stale one.
            moved = AIRunItem.objects.filter(
                pk=row.pk, status=ItemStatus.CALLING, attempt__lt=run.attempts
            ).update(status=ItemStatus.FAILED, error=WORKER_DIED)
            if not moved:
                continue
            locked = AIRun.objects.select_for_update().get(pk=run.pk)
            result = {**(locked.result or {})}
            summary = {"item": row.label, "status": "error", "error": WORKER_DIED}
            result["items"] = [*result.get("items", []), summary]
            AIRun.objects.filter(pk=run.pk).update(items_failed=locked.items_failed + 1, result=result)
            run.items_failed, run.result = locked.items_failed + 1, result
            failed.append(row.key)
    return failed
