"""Reads of balances, the ledger, usage and credit prices."""

from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from igny8.accounts.models import Account
from igny8.billing.costs import DEFAULT_CREDITS
from igny8.billing.models import CreditTransaction, CreditUsageLog, OperationCredit

# The offline provider writes labelled placeholders without calling anyone: it costs nothing, so
# it is priced at nothing, whatever the table says (runs reserve 0 and write no ledger rows).
FREE_PROVIDERS = ("offline",)


def credit_cost(*, operation: str, provider: str = "") -> int:
    """Credits for one unit of `operation`; a provider-specific price wins over the plain one."""
    if provider in FREE_PROVIDERS:
        return 0
    names = [f"{operation}:{provider}", operation] if provider else [operation]
    overrides = dict(OperationCredit.objects.filter(operation__in=names).values_list("operation", "credits"))
    for name in names:
        if name in overrides:
            return overrides[name]
        if name in DEFAULT_CREDITS:
            return DEFAULT_CREDITS[name]
    return 1


def credit_balance(*, account: Account) -> dict:
    credits = Account.objects.values_list("credits", flat=True).get(pk=account.pk)
    plan = account.plan
    return {"credits": credits, "monthly_credits": plan.monthly_credits, "unlimited": plan.unlimited_credits}


def credits_shortfall(*, account: Account, needed: int) -> int:
    """How many credits the account lacks for `needed` (0 when it holds them or its plan is unlimited)."""
    if needed <= 0 or Account.objects.values_list("plan__unlimited_credits", flat=True).get(pk=account.pk):
        return 0
    held = Account.objects.values_list("credits", flat=True).get(pk=account.pk)
    return max(0, needed - held)


def transaction_list(*, account: Account) -> QuerySet[CreditTransaction]:
    return CreditTransaction.objects.filter(account=account)


def usage_list(*, account: Account) -> QuerySet[CreditUsageLog]:
    return CreditUsageLog.objects.filter(account=account)


def usage_summary(*, account: Account) -> list[dict]:
    rows = (
        CreditUsageLog.objects.filter(account=account)
        .values("operation")
        .annotate(
            calls=Count("id"),
            credits=Sum("credits"),
            # Counted before cost_usd is re-bound to the sum below.
            unpriced_calls=Count("id", filter=Q(cost_usd__isnull=True)),
            cost_usd=Sum("cost_usd"),
            tokens_in=Sum("tokens_in"),
            tokens_out=Sum("tokens_out"),
        )
        .order_by("operation")
    )
    # SQLite sums decimals as floats; six places is what the column holds.
    return [
        {**row, "cost_usd": str(Decimal(str(row["cost_usd"] or 0)).quantize(Decimal("0.000001")))}
        for row in rows
    ]


def ledger_problems(*, open_runs: set[str]) -> tuple[int, int, list[str]]:
    """What `igny8 billing check` proves: per account, the ledger adds up to the balance; per run,
    what the ledger took (reserved minus refunded) equals the credits of its usage rows once the
    run is settled, and is never less while it runs (`open_runs`: task ids still queued/running).
    Returns (accounts checked, runs checked, problems in words)."""
    problems: list[str] = []
    sums = dict(
        CreditTransaction.objects.values("account_id")
        .annotate(total=Sum("amount"))
        .values_list("account_id", "total")
    )
    accounts = list(Account.objects.select_related("plan").order_by("pk"))
    for account in accounts:
        total = sums.get(account.pk, 0)
        if total != account.credits:
            problems.append(
                f"{account.name}: the ledger adds up to {total}, the balance is {account.credits}."
            )
    taken: dict[tuple[int, str], int] = {}
    unlimited: set[tuple[int, str]] = set()
    for account_id, run_id, reason, amount in CreditTransaction.objects.exclude(run_id="").values_list(
        "account_id", "run_id", "reason", "amount"
    ):
        taken[(account_id, run_id)] = taken.get((account_id, run_id), 0) - amount
        if reason == "unlimited":
            unlimited.add((account_id, run_id))
    used = {
        (row["account_id"], row["run_id"]): row["total"]
        for row in CreditUsageLog.objects.exclude(run_id="")
        .values("account_id", "run_id")
        .annotate(total=Sum("credits"))
    }
    names = {account.pk: account.name for account in accounts}
    free = {account.pk for account in accounts if account.plan.unlimited_credits}
    runs = set(taken) | {key for key, credits in used.items() if credits}
    for key in sorted(runs):
        account_id, run_id = key
        debit, usage = taken.get(key, 0), used.get(key, 0)
        if key in unlimited or (account_id in free and key not in taken):
            continue  # an unlimited plan's run: the balance is not used
        if run_id in open_runs and debit >= usage:
            continue  # still holding its reservation
        if debit != usage:
            problems.append(
                f"{names.get(account_id, account_id)}, run {run_id}: the ledger took {debit} credits, "
                f"its usage rows say {usage}."
            )
    return len(accounts), len(runs), problems
