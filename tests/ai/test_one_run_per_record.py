"""One run per record at a time (issue 12, point 6): a start on records a queued or running run
holds is a 409 naming that run, and 20 starts racing on the same tasks make exactly one run."""

import threading

import pytest
from django.db import connection

from igny8.accounts.models import Account
from igny8.ai import services
from igny8.ai.models import AIRun, AIRunHold
from igny8.billing.models import CreditTransaction
from igny8.core.errors import Conflict
from tests.ai.helpers import work
from tests.writer_ai.conftest import make_task


def balance(tenant) -> int:
    return Account.objects.get(pk=tenant.account.pk).credits


@pytest.mark.django_db
def test_a_start_on_held_tasks_is_a_409_naming_the_run(alice, enqueued, django_capture_on_commit_callbacks):
    first, second, third = (make_task(alice, f"Task {n}").pk for n in range(3))
    client = alice.client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/ai/runs/",
            {"function": "generate_content", "payload": {"ids": [first, second]}},
            format="json",
        )
    assert response.status_code == 202
    holder = AIRun.objects.get(task_id=response.json()["data"]["task_id"])

    response = client.post(
        "/api/v1/ai/runs/",
        {"function": "generate_content", "payload": {"ids": [third, second]}},
        format="json",
    )
    expected = (
        f"Run {holder.task_id} (generate_content, pending) is already working on tasks {second}; "
        "wait for it to finish or cancel it."
    )
    assert (response.status_code, response.json()["errors"]) == (409, {"ids": [expected]})
    # The refused start left nothing: no run row, no hold, no reservation.
    assert AIRun.objects.count() == 1
    assert sorted(AIRunHold.objects.values_list("record", flat=True)) == [
        f"writer.task:{first}",
        f"writer.task:{second}",
    ]
    assert balance(alice) == 5000 - 100

    assert work(holder).status == "success"  # its end frees the tasks
    assert AIRunHold.objects.count() == 0
    response = client.post(
        "/api/v1/ai/runs/",
        {"function": "generate_content", "payload": {"ids": [third, second]}},
        format="json",
    )
    assert response.status_code == 202


@pytest.mark.django_db
def test_a_cancelled_or_swept_run_frees_its_records(alice, enqueued, django_capture_on_commit_callbacks):
    task = make_task(alice, "Task").pk
    run = services.run_start(account=alice.account, function_name="generate_content", payload={"ids": [task]})
    with pytest.raises(Conflict):
        services.run_start(account=alice.account, function_name="generate_content", payload={"ids": [task]})
    services.run_cancel(run=run)
    again = services.run_start(
        account=alice.account, function_name="generate_content", payload={"ids": [task]}
    )
    assert list(AIRunHold.objects.values_list("run__task_id", flat=True)) == [again.task_id]


def _race(tenant, ids: list[int], starts: int) -> list[str]:
    barrier = threading.Barrier(starts)
    outcomes: list[str] = []

    def start() -> None:
        try:
            barrier.wait()
            services.run_start(account=tenant.account, function_name="generate_content", payload={"ids": ids})
            outcomes.append("started")
        except Conflict as error:
            outcomes.append("409" if error.field == "ids" else repr(error))
        except Exception as error:  # anything else is a finding: shown in the assertion
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=start) for _ in range(starts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _exactly_one_run(alice, enqueued) -> None:
    ids = [make_task(alice, f"Task {n}").pk for n in range(20)]
    outcomes = _race(alice, ids, 20)
    assert sorted(outcomes) == ["409"] * 19 + ["started"]
    run = AIRun.objects.get()
    assert AIRunHold.objects.filter(run=run).count() == 20
    # One reservation of 20 x 50; the 19 refused starts took nothing.
    assert list(CreditTransaction.objects.filter(reason="reserve").values_list("amount", flat=True)) == [
        -1000
    ]
    assert balance(alice) == 4000
    assert len(enqueued) == 1


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_starts_on_the_same_tasks_make_one_run_on_the_default_database(alice, enqueued):
    _exactly_one_run(alice, enqueued)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_starts_on_the_same_tasks_make_one_run_postgres(alice, enqueued):
    _exactly_one_run(alice, enqueued)
