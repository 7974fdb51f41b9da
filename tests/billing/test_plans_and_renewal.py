from datetime import UTC, date, datetime, timedelta

import pytest

from igny8.accounts.models import Account, Plan
from igny8.billing import plans, selectors, services, tasks
from igny8.billing.models import CreditRenewal, CreditTransaction


def ledger(account) -> list[tuple]:
    return list(
        CreditTransaction.objects.filter(account=account)
        .exclude(reason="grant")
        .order_by("id")
        .values_list("amount", "balance_after", "reason", "run_id", "note")
    )


def balance(account) -> int:
    return Account.objects.get(pk=account.pk).credits


def make_unlimited(account) -> None:
    plans.account_plan_set(account=account, plan=plans.plan_named("unlimited"))


def opened(account, when: datetime) -> None:
    Account.objects.filter(pk=account.pk).update(created_at=when)
    account.refresh_from_db()


@pytest.mark.django_db
def test_builtin_plans_exist_after_migrating_and_come_back_when_deleted():
    assert list(Plan.objects.order_by("name").values_list("name", "unlimited_credits", "credit_cycle")) == [
        ("Starter", False, "monthly"),
        ("Unlimited", True, "never"),
    ]
    Plan.objects.filter(name="Unlimited").delete()
    assert plans.plan_named("UNLIMITED").unlimited_credits is True
    with pytest.raises(
        plans.UnknownPlan, match=r"^No plan named 'Gold'; the plans are: Starter, Unlimited\.$"
    ):
        plans.plan_named("Gold")


@pytest.mark.django_db
def test_unlimited_plan_takes_nothing_and_writes_one_usage_row_per_run(alice):
    make_unlimited(alice.account)
    assert services.credits_reserve(account_id=alice.account.pk, amount=10_000, run_id="r1") is None
    assert balance(alice.account) == 5000
    assert selectors.credits_shortfall(account=alice.account, needed=10**9) == 0
    assert services.credits_settle(account_id=alice.account.pk, reserved=10_000, used=150, run_id="r1") == 0
    # A sweep settling the finished run again (reserved == used by then) writes nothing more.
    assert services.credits_settle(account_id=alice.account.pk, reserved=150, used=150, run_id="r1") == 0
    assert ledger(alice.account) == [
        (0, 5000, "unlimited", "r1", "150 credits' worth used (unlimited plan: balance unchanged)")
    ]
    assert selectors.credit_balance(account=alice.account) == {
        "credits": 5000,
        "monthly_credits": 0,
        "unlimited": True,
    }


@pytest.mark.django_db
def test_a_run_reserved_on_unlimited_refunds_nothing_after_a_switch_to_a_limited_plan(alice):
    make_unlimited(alice.account)
    services.credits_reserve(account_id=alice.account.pk, amount=500, run_id="r1")
    plans.account_plan_set(account=alice.account, plan=plans.plan_named("Starter"))
    assert services.credits_settle(account_id=alice.account.pk, reserved=500, used=100, run_id="r1") == 0
    assert balance(alice.account) == 5000 and ledger(alice.account) == []


@pytest.mark.django_db
def test_a_limited_run_refunds_at_most_what_it_still_holds(alice):
    services.credits_reserve(account_id=alice.account.pk, amount=100, run_id="r1")
    assert services.credits_settle(account_id=alice.account.pk, reserved=100, used=40, run_id="r1") == 60
    # The same settle delivered twice refunds once.
    assert services.credits_settle(account_id=alice.account.pk, reserved=100, used=40, run_id="r1") == 0
    assert balance(alice.account) == 4960
    assert shortfall_of(alice.account, 5000) == 40


def shortfall_of(account, needed: int) -> int:
    return selectors.credits_shortfall(account=account, needed=needed)


@pytest.mark.django_db
def test_credits_set_writes_the_difference_as_an_adjustment(alice):
    row = services.credits_set(account=alice.account, amount=1200, note="trial")
    assert (row.amount, row.balance_after, row.reason, row.note) == (-3800, 1200, "adjustment", "trial")
    assert services.credits_set(account=alice.account, amount=1200) is None
    with pytest.raises(ValueError):
        services.credits_set(account=alice.account, amount=-1)


@pytest.mark.django_db
def test_renewal_tops_up_once_per_period(alice):
    opened(alice.account, datetime(2026, 10, 20, tzinfo=UTC))
    services.credits_set(account=alice.account, amount=1200)
    row = services.credits_renew(account=alice.account, today=date(2026, 11, 3))
    assert (row.amount, row.balance_after, row.reason, row.note) == (
        3800,
        5000,
        "renewal",
        "Starter plan, period from 2026-11-01: topped up to 5000",
    )
    Account.objects.filter(pk=alice.account.pk).update(credits=10)
    assert services.credits_renew(account=alice.account, today=date(2026, 11, 30)) is None
    assert balance(alice.account) == 10
    assert services.credits_renew(account=alice.account, today=date(2026, 12, 1)).amount == 4990
    assert list(CreditRenewal.objects.order_by("period_start").values_list("period_start", flat=True)) == [
        date(2026, 11, 1),
        date(2026, 12, 1),
    ]


@pytest.mark.django_db
def test_renewal_keeps_granted_credits_and_skips_the_opening_period(alice):
    today = date.today()
    assert services.credits_renew(account=alice.account, today=today) is None  # opened this period
    opened(alice.account, datetime(2020, 1, 1, tzinfo=UTC))
    services.credits_grant(account=alice.account, amount=700)
    assert services.credits_renew(account=alice.account, today=today) is None
    assert balance(alice.account) == 5700
    # The period is recorded even though nothing was added, so it is not looked at again.
    assert CreditRenewal.objects.filter(account=alice.account, transaction__isnull=True).count() == 1


@pytest.mark.django_db
def test_the_beat_task_renews_each_account_once_however_often_it_fires(alice, charlie):
    long_ago = datetime.now(UTC) - timedelta(days=800)
    opened(alice.account, long_ago)
    opened(charlie.account, long_ago)
    Account.objects.update(credits=0)
    make_unlimited(charlie.account)
    assert tasks.renew_credits() == 1
    assert tasks.renew_credits() == 0
    assert (balance(alice.account), balance(charlie.account)) == (5000, 0)
    assert CreditTransaction.objects.filter(reason="renewal").count() == 1


@pytest.mark.django_db
def test_period_starts_by_cycle():
    today = date(2026, 7, 19)
    assert services.period_start(cycle="monthly", today=today) == date(2026, 7, 1)
    assert services.period_start(cycle="yearly", today=today) == date(2026, 1, 1)
    assert services.period_start(cycle="never", today=today) is None
