from decimal import Decimal

import pytest

from igny8.accounts.models import Account
from igny8.ai.models import AIRun
from igny8.billing.models import CreditTransaction, CreditUsageLog
from igny8.system.models import AIPrompt
from tests.ai.helpers import start, steps, work

pytestmark = pytest.mark.django_db


def balance(tenant) -> int:
    return Account.objects.get(pk=tenant.account.pk).credits


def test_single_call_run_offline_end_to_end(alice, enqueued, django_capture_on_commit_callbacks):
    run = start(alice, "test_cluster", {"ids": [1, 2]}, django_capture_on_commit_callbacks)
    assert enqueued == [(["test_cluster", {"ids": [1, 2]}, alice.account.pk], run.task_id)]
    assert (run.status, run.credits_reserved, balance(alice)) == ("pending", 10, 4990)

    run = work(run)

    assert (run.status, run.phase, run.percentage, run.current, run.total) == ("success", "DONE", 100, 1, 1)
    assert (run.provider, run.model) == ("offline", "offline")
    assert steps(run, "request") == [("INIT", "success"), ("PREP", "success"), ("AI_CALL", "success")]
    assert steps(run, "response") == [("PARSE", "success"), ("SAVE", "success"), ("DONE", "success")]
    assert [s["stepNumber"] for s in run.request_steps + run.response_steps] == [1, 2, 3, 4, 5, 6]
    assert set(run.request_steps[0]) == {
        "stepNumber",
        "stepName",
        "functionName",
        "status",
        "message",
        "error",
        "duration",
    }
    assert run.message == "Offline draft (no AI provider configured): Done: 1 succeeded, 0 failed."
    assert run.result["items"] == [
        {"item": "[1, 2]", "status": "success", "title": "[Offline draft] Coffee", "tags": []}
    ]
    assert (run.result["offline"], run.result["credits_used"], run.result["credits_refunded"]) == (
        True,
        10,
        0,
    )
    assert balance(alice) == 4990
    ledger = list(
        CreditTransaction.objects.filter(account=alice.account)
        .exclude(reason="grant")
        .values_list("amount", "reason", "run_id")
    )
    assert ledger == [(-10, "reserve", run.task_id)]
    usage = CreditUsageLog.objects.get(run_id=run.task_id)
    assert (usage.operation, usage.provider, usage.model, usage.credits, usage.cost_usd) == (
        "cluster_keywords",
        "offline",
        "offline",
        10,
        Decimal("0"),
    )


@pytest.mark.django_db(transaction=True)  # the provider call reads the row from a pool thread
def test_progress_percentages_per_item(alice, enqueued, provider, django_capture_on_commit_callbacks):
    run = work(start(alice, "test_per_item", {"ids": [7, 8]}, django_capture_on_commit_callbacks))
    # (phase, percentage, current, total) on the row when each provider call was made
    assert provider.seen == [("AI_CALL", 25, 1, 2), ("AI_CALL", 61, 2, 2)]
    assert (run.status, run.percentage, run.items_succeeded) == ("success", 100, 2)
    assert (run.tokens_in, run.tokens_out) == (200, 100)
    # gpt-4o-mini: 100 in at $0.15/1M + 50 out at $0.60/1M = $0.000045 per call
    assert run.cost_usd == Decimal("0.000090")
    assert run.credits_used == 100 and balance(alice) == 4900


def test_failing_item_is_recorded_and_the_rest_continue(
    alice, enqueued, provider, django_capture_on_commit_callbacks
):
    run = work(
        start(alice, "test_per_item", {"ids": [1, 2, 3], "fail_ids": [2]}, django_capture_on_commit_callbacks)
    )
    assert (run.status, run.items_succeeded, run.items_failed) == ("success", 2, 1)
    assert [i["status"] for i in run.result["items"]] == ["success", "error", "success"]
    assert run.result["items"][1]["error"] == "cannot save item 2"
    assert ("SAVE", "error") in steps(run, "response")
    # 3 x 50 reserved, 2 x 50 used, 50 refunded
    assert (run.credits_used, run.result["credits_refunded"], balance(alice)) == (100, 50, 4900)
    assert list(
        CreditUsageLog.objects.filter(run_id=run.task_id).order_by("id").values_list("credits", flat=True)
    ) == [50, 0, 50]


def test_all_items_failing_fails_the_run_and_refunds_everything(
    alice, enqueued, provider, django_capture_on_commit_callbacks
):
    provider.script = ['{"title": 1}', '{"nope": true}']
    run = work(start(alice, "test_per_item", {"ids": [4]}, django_capture_on_commit_callbacks))
    assert run.status == "failed"
    assert run.error.startswith(
        "The AI answer did not have the expected shape, even after one repair attempt:"
    )
    assert run.error.endswith(
        "The JSON did not match the expected shape: title: Field required; tags: Field required"
    )
    assert "title: Input should be a valid string" in run.response_steps[0]["error"]
    assert (run.credits_used, balance(alice)) == (0, 5000)
    assert steps(run, "response")[-1] == ("DONE", "error")


def test_parse_repair_feeds_the_error_back(alice, enqueued, provider, django_capture_on_commit_callbacks):
    provider.script = [
        'Sure! ```json\n{"title": "T"}\n```',
        'Here you go: {"title": "Fixed", "tags": []} thanks',
    ]
    run = work(start(alice, "test_cluster", {"ids": [1]}, django_capture_on_commit_callbacks))
    assert run.status == "success"
    assert run.result["items"][0]["title"] == "Fixed"
    repair_prompt = provider.requests[1].prompt
    assert "It was rejected: The JSON did not match the expected shape: tags: Field required" in repair_prompt
    assert steps(run, "response")[:2] == [("PARSE", "error"), ("PARSE", "success")]
    assert (run.tokens_in, run.tokens_out) == (200, 100)
    assert list(
        CreditUsageLog.objects.filter(run_id=run.task_id).order_by("id").values_list("credits", flat=True)
    ) == [10, 0]


def test_prompt_resolution_override_then_account_then_default(
    alice, enqueued, provider, django_capture_on_commit_callbacks
):
    work(start(alice, "test_cluster", {"ids": [1]}, django_capture_on_commit_callbacks))
    assert "Coffee" in provider.requests[-1].prompt  # shipped default uses {sector}
    AIPrompt.objects.create(
        account=alice.account, prompt_type="clustering", value="ACCOUNT {sector} {keywords}"
    )
    work(start(alice, "test_cluster", {"ids": [1]}, django_capture_on_commit_callbacks))
    assert provider.requests[-1].prompt == "ACCOUNT Coffee 1"
    payload = {"ids": [1], "prompt_override": "RUN {keywords} {sector}"}
    work(start(alice, "test_cluster", payload, django_capture_on_commit_callbacks))
    assert provider.requests[-1].prompt == "RUN 1 Coffee"


@pytest.mark.django_db(transaction=True)  # the cancel is written from the call's pool thread
def test_cancel_lets_the_current_item_finish(alice, enqueued, provider, django_capture_on_commit_callbacks):
    from igny8.ai import services

    def cancel_then_answer(request):
        services.run_cancel(run=AIRun.objects.get())
        return '{"title": "T", "tags": []}'

    provider.script = [cancel_then_answer]
    run = work(start(alice, "test_per_item", {"ids": [1, 2, 3]}, django_capture_on_commit_callbacks))
    assert (run.status, run.items_succeeded, len(provider.requests)) == ("cancelled", 1, 1)
    assert run.message == "Cancelled after 1 of 3 item(s)."
    assert (run.credits_used, run.result["credits_refunded"], balance(alice)) == (50, 100, 4950)


def test_cancel_before_start_refunds_and_the_worker_skips_it(
    alice, enqueued, provider, django_capture_on_commit_callbacks
):
    from igny8.ai import services

    run = start(alice, "test_per_item", {"ids": [1, 2]}, django_capture_on_commit_callbacks)
    run = services.run_cancel(run=run)
    assert (run.status, balance(alice)) == ("cancelled", 5000)
    run = work(run)
    assert (run.status, provider.requests) == ("cancelled", [])
    assert balance(alice) == 5000


def test_task_without_a_row_creates_one(alice, provider):
    from igny8.ai.tasks import run_ai_task

    run_ai_task.apply(args=["test_cluster", {"ids": [3]}, alice.account.pk], task_id="direct-1")
    run = AIRun.objects.get(task_id="direct-1")
    assert (run.status, run.credits_used, run.account_id) == ("success", 10, alice.account.pk)


def test_task_with_insufficient_credits_and_no_row_fails_cleanly(alice, provider):
    from igny8.ai.tasks import run_ai_task

    Account.objects.filter(pk=alice.account.pk).update(credits=3)
    run_ai_task.apply(args=["test_cluster", {"ids": [3]}, alice.account.pk], task_id="direct-2")
    run = AIRun.objects.get(task_id="direct-2")
    assert (run.status, run.error) == (
        "failed",
        "This needs 10 credits; the account holds 3. Add credits or select fewer items.",
    )
    assert balance(alice) == 3 and provider.requests == []


def test_another_accounts_id_in_the_task_is_ignored(
    alice, charlie, enqueued, provider, django_capture_on_commit_callbacks
):
    from igny8.ai.tasks import run_ai_task

    run = start(alice, "test_cluster", {"ids": [1]}, django_capture_on_commit_callbacks)
    run_ai_task.apply(args=["test_cluster", {"ids": [1]}, charlie.account.pk], task_id=run.task_id)
    run.refresh_from_db()
    assert (run.status, provider.requests) == ("pending", [])


def test_image_function_per_item_offline_makes_real_files(
    alice, enqueued, django_capture_on_commit_callbacks
):
    run = work(start(alice, "test_images", {"ids": [1, 2]}, django_capture_on_commit_callbacks))
    assert (run.status, run.items_succeeded, run.provider) == ("success", 2, "offline")
    assert all(item["images"] == 1 and item["bytes"] > 100 for item in run.result["items"])
    assert run.credits_used == 2  # 1 credit per offline image
