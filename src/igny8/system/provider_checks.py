"""Settings → Test on a worker: a provider key test or a test image, started by the settings page
(and the API's test image), polled until it has an answer.

Why: a test waits on the provider; against an address that never answers, four Test presses held
every web worker for 30 s. The request now only records a ProviderCheck and enqueues it through the
job kernel; the page polls the row. A test is never re-run by the sweep (a test image costs
credits, and the person can press Test again): a test whose worker stopped is failed with the reason."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from igny8.accounts.models import Account
from igny8.ai import checks
from igny8.ai.providers.base import ProviderError
from igny8.core import jobs
from igny8.core.errors import DomainError, NotFound
from igny8.core.models import JobStatus
from igny8.system.models import ProviderCheck

TASK = "igny8.system.tasks.run_provider_check"
IMAGE = "image"


def check_start(*, account: Account, kind: str, params: dict | None = None) -> ProviderCheck:
    """`kind` is a keyed provider's name (a key test) or IMAGE (params: prompt, provider, model, size)."""
    with transaction.atomic():
        check = ProviderCheck.objects.create(
            account=account, kind=kind, params=params or {}, heartbeat_at=timezone.now()
        )
        jobs.enqueue(task_name=TASK, args=[check.pk])
    return check


def image_check_start(
    *, account: Account, prompt: str, provider: str = "", model: str = "", size: str = "1024x1024"
) -> ProviderCheck:
    """A test image: the hourly allowance is counted now, so a refusal (ProviderError 429) is the
    request's answer; the worker makes the image."""
    checks.count_test_image(account=account)
    params = {"prompt": prompt, "provider": provider, "model": model, "size": size, "counted": True}
    return check_start(account=account, kind=IMAGE, params=params)


def check_get(*, account: Account, check_id: int | str) -> ProviderCheck:
    try:
        return ProviderCheck.objects.get(account=account, pk=int(check_id))
    except (TypeError, ValueError, ProviderCheck.DoesNotExist) as error:
        raise NotFound("No such test.") from error


def _test(check: ProviderCheck) -> dict:
    if check.kind == IMAGE:
        params = check.params
        prompt = params.get("prompt") or checks.DEFAULT_TEST_PROMPT
        image = checks.image_test(
            account=check.account,
            prompt=prompt,
            provider=params.get("provider", ""),
            model=params.get("model", ""),
            size=params.get("size", "1024x1024"),
            counted=params.get("counted", False),
        )
        return {**image, "prompt": prompt}
    return checks.integration_test(account=check.account, kind=check.kind)


def check_run(*, check_id: int) -> str | None:
    """The worker's side: None when the test is not queued (done, or another worker has it)."""
    check = ProviderCheck.objects.select_related("account").filter(pk=check_id).first()
    if check is None or check.status != JobStatus.QUEUED:
        return None
    mine = jobs.take(ProviderCheck, row=check)
    if mine is None:
        return None
    outcome: dict = {"status": JobStatus.DONE}
    try:
        outcome["result"] = _test(check)
    except (ProviderError, DomainError) as error:  # a refused key, a dead address, no credits
        outcome = {"status": JobStatus.FAILED, "error": str(error.message)}
    # The params were the caller's inputs; the answer is what is kept.
    jobs.claim(ProviderCheck, pk=check.pk, seen=mine, finished_at=timezone.now(), params={}, **outcome)
    return outcome["status"]


def checks_sweep(*, now=None) -> dict:
    """A test whose worker stopped is failed (never re-run: one attempt); a queued one the broker
    lost is sent again (core.jobs.sweep)."""
    now = now or timezone.now()

    def fail(check: ProviderCheck, seen: dict) -> bool:
        return jobs.claim(
            ProviderCheck,
            pk=check.pk,
            seen=seen,
            status=JobStatus.FAILED,
            error="The test did not finish (the worker stopped); press Test again.",
            params={},
            finished_at=now,
        )

    counts = jobs.sweep(
        ProviderCheck,
        task_name=TASK,
        seconds=settings.PROVIDER_CHECK_STALE_SECONDS,
        max_attempts=1,
        fail=fail,
        now=now,
    )
    return {"failed": counts["failed"], "resent": counts["resent"]}  # nothing is ever re-queued


def check_view(*, check: ProviderCheck) -> dict:
    return {
        "id": check.pk,
        "kind": check.kind,
        "status": check.status,
        "status_label": check.get_status_display(),
        "result": check.result,
        "error": check.error,
        "created_at": check.created_at.isoformat(),
        "finished_at": check.finished_at.isoformat() if check.finished_at else None,
    }
