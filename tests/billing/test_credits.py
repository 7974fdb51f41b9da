import threading

import pytest
from django.db import connection

from igny8.accounts.models import Account
from igny8.billing import selectors, services
from igny8.billing.models import CreditTransaction, OperationCredit


def credits(account) -> int:
    return Account.objects.get(pk=account.pk).credits


@pytest.mark.django_db
def test_reserve_settle_and_ledger(alice):
    services.credits_reserve(account_id=alice.account.pk, amount=150, run_id="r1")
    assert services.credits_settle(account_id=alice.account.pk, reserved=150, used=100, run_id="r1") == 50
    assert credits(alice.account) == 4900
    rows = list(
        CreditTransaction.objects.exclude(reason="grant")
        .order_by("id")
        .values_list("amount", "balance_after", "reason", "note")
    )
    assert rows == [(-150, 4850, "reserve", ""), (50, 4900, "refund", "100 of 150 reserved credits used")]
    # used beyond the reservation is clamped, never an overdraft
    assert services.credits_settle(account_id=alice.account.pk, reserved=10, used=99, run_id="r2") == 0


@pytest.mark.django_db
def test_insufficient_credits_names_needed_and_held(alice):
    Account.objects.filter(pk=alice.account.pk).update(credits=40)
    with pytest.raises(services.InsufficientCredits) as caught:
        services.credits_reserve(account_id=alice.account.pk, amount=50, run_id="r")
    assert (caught.value.kind, str(caught.value)) == (
        "insufficient_credits",
        "This needs 50 credits; the account holds 40. Add credits or select fewer items.",
    )
    assert credits(alice.account) == 40 and CreditTransaction.objects.exclude(reason="grant").count() == 0


@pytest.mark.django_db
def test_credit_costs_defaults_and_overrides():
    assert selectors.credit_cost(operation="generate_content") == 50
    assert selectors.credit_cost(operation="generate_images", provider="openai") == 4
    assert selectors.credit_cost(operation="generate_images", provider="runware") == 1
    OperationCredit.objects.create(operation="generate_images:runware", credits=2)
    OperationCredit.objects.create(operation="cluster_keywords", credits=12)
    assert selectors.credit_cost(operation="generate_images", provider="runware") == 2
    assert selectors.credit_cost(operation="cluster_keywords", provider="openai") == 12


@pytest.mark.django_db
def test_the_offline_provider_is_free_whatever_the_table_says():
    OperationCredit.objects.create(operation="generate_content:offline", credits=7)
    OperationCredit.objects.create(operation="cluster_keywords", credits=12)
    assert selectors.credit_cost(operation="generate_content", provider="offline") == 0
    assert selectors.credit_cost(operation="cluster_keywords", provider="offline") == 0


@pytest.mark.django_db
def test_billing_endpoints_are_tenant_scoped(alice, charlie):
    services.credits_reserve(account_id=alice.account.pk, amount=10, run_id="r1")
    services.usage_record(
        account_id=alice.account.pk,
        run_id="r1",
        operation="cluster_keywords",
        provider="openai",
        model="gpt-4o-mini",
        credits=10,
        cost_usd="0.000900",
        tokens_in=2000,
        tokens_out=1000,
    )
    assert alice.client().get("/api/v1/billing/balance/").json()["data"] == {
        "credits": 4990,
        "monthly_credits": 5000,
        "unlimited": False,
    }
    body = alice.client().get("/api/v1/billing/transactions/").json()
    # Newest first: the reservation, then the opening balance every new account gets.
    assert [(r["amount"], r["reason"]) for r in body["results"]] == [(-10, "reserve"), (5000, "grant")]
    summary = alice.client().get("/api/v1/billing/usage/summary/").json()["data"]
    assert summary == [
        {
            "operation": "cluster_keywords",
            "calls": 1,
            "credits": 10,
            "cost_usd": "0.000900",
            "unpriced_calls": 0,
            "tokens_in": 2000,
            "tokens_out": 1000,
        }
    ]
    assert charlie.client().get("/api/v1/billing/transactions/").json()["count"] == 1  # his opening grant
    assert charlie.client().get("/api/v1/billing/usage/").json()["count"] == 0
    assert charlie.client().get("/api/v1/billing/balance/").json()["data"]["credits"] == 5000


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_reservations_never_overdraw(alice):
    """12 threads each try to reserve 30 of 100 credits at once: exactly 3 win, the balance ends at 10."""
    Account.objects.filter(pk=alice.account.pk).update(credits=100)
    barrier = threading.Barrier(12)
    outcomes = []

    def reserve(n):
        try:
            barrier.wait()
            services.credits_reserve(account_id=alice.account.pk, amount=30, run_id=f"r{n}")
            outcomes.append("ok")
        except services.InsufficientCredits:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=reserve, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok"] * 3 + ["refused"] * 9
    assert credits(alice.account) == 10
    assert sorted(
        CreditTransaction.objects.exclude(reason="grant").values_list("balance_after", flat=True)
    ) == [10, 40, 70]
