"""The credit ledger, the per-call usage log and the per-operation credit prices.

The balance itself is Account.credits (guarded by a DB check constraint credits >= 0); every change
to it writes one CreditTransaction, so the ledger explains the balance line by line."""

from decimal import Decimal

from django.db import models

from igny8.core.models import BaseModel, choices_check


class Reason(models.TextChoices):
    GRANT = "grant", "Grant"
    RESERVE = "reserve", "Reserved for a run"
    REFUND = "refund", "Refund of unused reservation"
    CHARGE = "charge", "Charge"
    ADJUSTMENT = "adjustment", "Manual adjustment"
    RENEWAL = "renewal", "Plan renewal"
    # An unlimited plan's run: amount 0, balance unchanged, the note says what it used.
    UNLIMITED = "unlimited", "Used on an unlimited plan"


class CreditTransaction(BaseModel):
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="credit_transactions"
    )
    amount = models.IntegerField(help_text="Positive adds credits, negative takes them.")
    balance_after = models.IntegerField()
    reason = models.CharField(max_length=20, choices=Reason.choices)
    # The AI run's task id, kept as text so billing does not depend on the ai app.
    run_id = models.CharField(max_length=64, blank=True, db_index=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [choices_check("reason", Reason, "credit_transaction_reason_valid")]

    def __str__(self) -> str:
        return f"{self.amount:+d} {self.reason} ({self.account_id})"


class CreditUsageLog(BaseModel):
    """One row per provider call: what it was, what it cost in USD and in credits."""

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="credit_usage")
    run_id = models.CharField(max_length=64, blank=True, db_index=True)
    operation = models.CharField(max_length=50)
    provider = models.CharField(max_length=30, blank=True)
    model = models.CharField(max_length=100, blank=True)
    credits = models.PositiveIntegerField(default=0)
    # Null when nobody knows the model's price: said as "unknown", never a silent $0.
    cost_usd = models.DecimalField(
        max_digits=12, decimal_places=6, null=True, blank=True, default=Decimal("0")
    )
    tokens_in = models.PositiveIntegerField(default=0)
    tokens_out = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.operation} {self.model} {self.credits}cr"


class CreditRenewal(BaseModel):
    """One row per account and plan period that was renewed: the unique constraint is what makes
    renewal happen exactly once a period, however often beat fires or however many workers run it."""

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="credit_renewals")
    period_start = models.DateField()
    transaction = models.ForeignKey(CreditTransaction, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        ordering = ["-period_start"]
        constraints = [
            models.UniqueConstraint(fields=["account", "period_start"], name="one_renewal_per_account_period")
        ]

    def __str__(self) -> str:
        return f"{self.account_id} renewed for {self.period_start}"


class OperationCredit(models.Model):
    """An admin's override of a default credit price (billing/costs.py has the defaults).

    `operation` may carry a provider suffix ("generate_images:openai") that wins over the plain name."""

    operation = models.CharField(max_length=80, unique=True)
    credits = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.operation}: {self.credits}"
