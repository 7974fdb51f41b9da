"""Beat's billing work: plan renewals."""

from celery import shared_task
from django.utils import timezone

from igny8.accounts.models import Account
from igny8.billing.services import credits_renew


@shared_task(name="igny8.billing.tasks.renew_credits")
def renew_credits() -> int:
    """Renews every account whose plan period has turned; safe to run as often as beat likes, since
    each account and period is renewed once (CreditRenewal). Returns how many were topped up."""
    today = timezone.localdate()
    accounts = (
        Account.objects.filter(is_active=True, plan__unlimited_credits=False, plan__monthly_credits__gt=0)
        .exclude(plan__credit_cycle="never")
        .select_related("plan")
    )
    return sum(credits_renew(account=account, today=today) is not None for account in accounts.iterator())
