"""Writes to the credit balance. Every change is one conditional UPDATE on Account.credits plus one
ledger row, in one transaction, so parallel runs can never take the balance below zero: the UPDATE
only matches while enough credits are there, and the database serialises writers on the row."""

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F, Sum

from igny8.accounts.models import Account
from igny8.billing.models import CreditRenewal, CreditTransaction, CreditUsageLog, Reason
from igny8.core.errors import InsufficientCredits


def _balance(account_id: int) -> int:
    return Account.objects.values_list("credits", flat=True).get(pk=account_id)


def _write(*, account_id: int, amount: int, reason: str, run_id: str, note: str) -> CreditTransaction:
    return CreditTransaction.objects.create(
        account_id=account_id,
        amount=amount,
        balance_after=_balance(account_id),
        reason=reason,
        run_id=run_id,
        note=note[:500],
    )


@transaction.atomic
def credits_grant(
    *, account: Account, amount: int, reason: str = Reason.GRANT, note: str = ""
) -> CreditTransaction:
    if amount <= 0:
        raise ValueError("a grant adds a positive number of credits")
    Account.objects.filter(pk=account.pk).update(credits=F("credits") + amount)
    return _write(account_id=account.pk, amount=amount, reason=reason, run_id="", note=note)


def _unlimited(account_id: int) -> bool:
    return Account.objects.values_list("plan__unlimited_credits", flat=True).get(pk=account_id)


@transaction.atomic
def credits_set(*, account: Account, amount: int, note: str = "") -> CreditTransaction | None:
    """Sets the balance to `amount` (an operator's correction); None when it already is."""
    if amount < 0:
        raise ValueError("a balance is 0 or more credits")
    held = Account.objects.select_for_update().values_list("credits", flat=True).get(pk=account.pk)
    if held == amount:
        return None
    Account.objects.filter(pk=account.pk).update(credits=amount)
    return _write(account_id=account.pk, amount=amount - held, reason=Reason.ADJUSTMENT, run_id="", note=note)


@transaction.atomic
def credits_reserve(*, account_id: int, amount: int, run_id: str, note: str = "") -> CreditTransaction | None:
    """Takes `amount` now, or raises InsufficientCredits (402) naming what is needed and held.

    On an unlimited plan nothing is taken and nothing is written here: credits_settle writes the
    run's one ledger row once it knows what the run used."""
    if amount <= 0 or _unlimited(account_id):
        return None
    taken = Account.objects.filter(pk=account_id, credits__gte=amount).update(credits=F("credits") - amount)
    if not taken:
        raise InsufficientCredits(needed=amount, held=_balance(account_id))
    return _write(account_id=account_id, amount=-amount, reason=Reason.RESERVE, run_id=run_id, note=note)


def _held_for(account_id: int, run_id: str) -> tuple[bool, int]:
    """(whether a reservation was taken for the run, how much of it is still held), from the ledger."""
    rows = CreditTransaction.objects.filter(
        account_id=account_id, run_id=run_id, reason__in=[Reason.RESERVE, Reason.REFUND]
    )
    reserved = rows.filter(reason=Reason.RESERVE).exists()
    return reserved, -(rows.aggregate(total=Sum("amount"))["total"] or 0)


@transaction.atomic
def credits_settle(*, account_id: int, reserved: int, used: int, run_id: str) -> int:
    """Closes a reservation: gives back what the run did not use. Returns the credits refunded.

    Usage is priced per unit and reserved per unit, so `used` never exceeds `reserved`; a caller
    that claims more is clamped rather than silently overdrawing. The refund is also capped by what
    the ledger says is still held for the run, so a run reserved on an unlimited plan (nothing
    taken) refunds nothing even if the account's plan changed while it ran."""
    used = max(0, min(used, reserved))
    # Settles of one account queue here, so two deliveries of one run cannot both read "still held".
    Account.objects.select_for_update().filter(pk=account_id).values_list("pk", flat=True).get()
    was_reserved, held = _held_for(account_id, run_id)
    if not was_reserved:
        if reserved and used and _unlimited(account_id):
            _unlimited_usage(account_id=account_id, used=used, run_id=run_id)
        return 0
    refund = max(0, min(reserved - used, held - used))
    if refund:
        Account.objects.filter(pk=account_id).update(credits=F("credits") + refund)
        _write(
            account_id=account_id,
            amount=refund,
            reason=Reason.REFUND,
            run_id=run_id,
            note=f"{used} of {reserved} reserved credits used",
        )
    return refund


def run_usage_credits(*, account_id: int, run_id: str) -> int:
    """The credits of a run's usage rows: what its saved items cost, the only measure of 'used'."""
    rows = CreditUsageLog.objects.filter(account_id=account_id, run_id=run_id)
    return rows.aggregate(total=Sum("credits"))["total"] or 0


@transaction.atomic
def run_settle(*, account_id: int, reserved: int, run_id: str) -> int:
    """Closes a run's reservation against its usage rows (each written in the transaction that saved
    its item), so the run's ledger rows add up to exactly its usage. Returns the credits refunded."""
    used = run_usage_credits(account_id=account_id, run_id=run_id)
    return credits_settle(account_id=account_id, reserved=reserved, used=used, run_id=run_id)


def _unlimited_usage(*, account_id: int, used: int, run_id: str) -> None:
    # Once per run: a sweep or re-delivery settles a finished run again.
    if CreditTransaction.objects.filter(
        account_id=account_id, run_id=run_id, reason=Reason.UNLIMITED
    ).exists():
        return
    _write(
        account_id=account_id,
        amount=0,
        reason=Reason.UNLIMITED,
        run_id=run_id,
        note=f"{used} credits' worth used (unlimited plan: balance unchanged)",
    )


def period_start(*, cycle: str, today: date) -> date | None:
    """The first day of the plan period `today` falls in; None for a plan that never renews."""
    if cycle == "monthly":
        return today.replace(day=1)
    if cycle == "yearly":
        return today.replace(month=1, day=1)
    return None


def credits_renew(*, account: Account, today: date) -> CreditTransaction | None:
    """Tops the balance up to the plan's monthly_credits once per plan period; returns the ledger
    row, or None when there is nothing to do (unlimited or never-renewing plan, renewed already,
    the account opened in this period, or it already holds as much). Credits an operator granted
    above the plan's amount are kept: a renewal never takes credits away."""
    plan = account.plan
    start = period_start(cycle=plan.credit_cycle, today=today)
    if start is None or plan.unlimited_credits or not plan.monthly_credits:
        return None
    if account.created_at.date() >= start:  # its opening balance is this period's credits
        return None
    try:
        with transaction.atomic():
            renewal = CreditRenewal.objects.create(account=account, period_start=start)
            held = Account.objects.select_for_update().values_list("credits", flat=True).get(pk=account.pk)
            amount = plan.monthly_credits - held
            if amount <= 0:
                return None
            Account.objects.filter(pk=account.pk).update(credits=F("credits") + amount)
            row = _write(
                account_id=account.pk,
                amount=amount,
                reason=Reason.RENEWAL,
                run_id="",
                note=f"{plan.name} plan, period from {start}: topped up to {plan.monthly_credits}",
            )
            renewal.transaction = row
            renewal.save(update_fields=["transaction", "updated_at"])
            return row
    except IntegrityError:  # this period was renewed already, by an earlier or a parallel call
        return None


def usage_record(
    *,
    account_id: int,
    run_id: str,
    operation: str,
    provider: str,
    model: str,
    credits: int,
    cost_usd: Decimal | None,
    tokens_in: int,
    tokens_out: int,
) -> CreditUsageLog:
    return CreditUsageLog.objects.create(
        account_id=account_id,
        run_id=run_id,
        operation=operation,
        provider=provider,
        model=model,
        credits=credits,
        cost_usd=cost_usd,
        tokens_in=tokens_in,
        tokens_out=tokens_out,
    )
