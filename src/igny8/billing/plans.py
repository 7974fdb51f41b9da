"""The plans an operator picks from: the built-in Starter and Unlimited, and the plan that new
accounts made by `igny8 createuser` and `igny8 demo` get (settings.IGNY8_DEFAULT_PLAN)."""

from django.conf import settings
from django.db.models import Count, QuerySet

from igny8.accounts.models import Account, Plan

# The same definitions as the migration that creates them (accounts 0004_plan_credits), for a
# database that lost them (a flushed test database, an operator who deleted one).
BUILTIN: dict[str, dict] = {
    "Starter": {"monthly_credits": 5_000, "credit_cycle": "monthly"},
    "Unlimited": {
        "monthly_credits": 0,
        "credit_cycle": "never",
        "unlimited_credits": True,
        "max_sites": 1_000,
        "max_users": 1_000,
        "max_keywords": 10_000_000,
        "max_clusters": 1_000_000,
        "daily_cluster_limit": 1_000_000,
    },
}


class UnknownPlan(LookupError):
    """No plan by that name; the message lists the plans there are."""


def plan_list() -> QuerySet[Plan]:
    return Plan.objects.annotate(account_count=Count("accounts")).order_by("name")


def plan_named(name: str) -> Plan:
    """The plan called `name` (any case); a built-in one is created on first use."""
    plan = Plan.objects.filter(name__iexact=name).first()
    if plan is None:
        builtin = next((key for key in BUILTIN if key.lower() == name.lower()), None)
        if builtin is None:
            names = ", ".join(sorted({*Plan.objects.values_list("name", flat=True), *BUILTIN}))
            raise UnknownPlan(f"No plan named {name!r}; the plans are: {names}.")
        plan = Plan.objects.create(name=builtin, **BUILTIN[builtin])
    return plan


def plan_for_new_accounts() -> Plan | None:
    """The operator's plan for accounts made from the command line (IGNY8_DEFAULT_PLAN); None means
    the plan marked default, as for sign-ups."""
    name = getattr(settings, "IGNY8_DEFAULT_PLAN", "").strip()
    return plan_named(name) if name else None


def account_plan_set(*, account: Account, plan: Plan) -> Account:
    """Moves an account to `plan`. The balance stays as it is: `igny8 credits set` changes it."""
    Account.objects.filter(pk=account.pk).update(plan=plan)
    account.plan = plan
    return account
