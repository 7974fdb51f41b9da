"""Writes to the credit balance. Every change is one conditional UPDATE on Account.credits plus one
ledger row, in one transaction, so parallel runs can never take the balance below zero: the UPDATE
only matches while enough credits are there, and the database serialises writers on the row."""

from decimal import Decimal

from django.db import transaction
from django.db.models import F
from rest_framework import exceptions, status

from igny8.accounts.models import Account
from igny8.billing.models import CreditTransaction, CreditUsageLog, Reason


class InsufficientCredits(exceptions.APIException):
    status_code = status.HTTP_402_PAYMENT_REQUIRED
    default_code = "insufficient_credits"

    def __init__(self, *, needed: int, held: int):
        self.needed, self.held = needed, held
        super().__init__(
            f"This needs {needed} credits; the account holds {held}. Add credits or select fewer items."
        )


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


@transaction.atomic
def credits_reserve(*, account_id: int, amount: int, run_id: str, note: str = "") -> CreditTransaction | None:
    """Takes `amount` now, or raises InsufficientCredits (402) naming what is needed and held."""
    if amount <= 0:
        return None
    taken = Account.objects.filter(pk=account_id, credits__gte=amount).update(credits=F("credits") - amount)
    if not taken:
        raise InsufficientCredits(needed=amount, held=_balance(account_id))
    return _write(account_id=account_id, amount=-amount, reason=Reason.RESERVE, run_id=run_id, note=note)


@transaction.atomic
def credits_settle(*, account_id: int, reserved: int, used: int, run_id: str) -> int:
    """Closes a reservation: gives back what the run did not use. Returns the credits refunded.

    Usage is priced per unit and reserved per unit, so `used` never exceeds `reserved`; a caller
    that claims more is clamped rather than silently overdrawing."""
    used = max(0, min(used, reserved))
    refund = reserved - used
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


def usage_record(
    *,
    account_id: int,
    run_id: str,
    operation: str,
    provider: str,
    model: str,
    credits: int,
    cost_usd: Decimal,
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
