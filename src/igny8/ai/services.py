"""Writes for AI runs: start (validate, reserve credits, enqueue after commit), claim by a worker,
cancel, abort, and the sweep that recovers runs a dead worker left behind."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import DateTimeField, F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from igny8.accounts.models import Account, Site, User
from igny8.ai import holds, selectors
from igny8.ai.base import COMMON_PAYLOAD, AIFunction, RunContext
from igny8.ai.models import TERMINAL, AIRun, Phase, RunStatus
from igny8.ai.prompts import override_problems
from igny8.ai.registry import UnknownFunction, canonical_name, get_function
from igny8.billing import services as billing
from igny8.billing.selectors import credit_cost
from igny8.core import jobs
from igny8.core.errors import Invalid, NotFound
from igny8.system import author_profiles

log = logging.getLogger(__name__)
PENDING_GIVE_UP = timedelta(hours=24)


RUN_TASK = "igny8.ai.tasks.run_ai_task"


def enqueue(run: AIRun) -> None:
    """Hands the run to Celery by name (core.jobs); called after commit so the worker finds the
    row. A broker that is down leaves the row pending, and the sweep re-queues it."""
    jobs.send(task_name=RUN_TASK, args=[run.function_name, run.payload, run.account_id], task_id=run.task_id)


def _require_own_ids(*, function: AIFunction, ctx: RunContext) -> None:
    """ADR 0004: ids that are not all rows of this account (and of the run's site, when it names
    one) are not found, like ids that do not exist: 404 before credits are reserved or a run row
    is written. A malformed or over-long list is left to the function's validate() (400)."""
    ids = ctx.payload.get("ids")
    if not function.ids_model or not isinstance(ids, list) or not ids or len(ids) > function.max_items:
        return
    if not all(type(pk) is int for pk in ids):
        return
    model = apps.get_model(function.ids_model)
    rows = model.objects.filter(account=ctx.account, pk__in=ids)
    if ctx.site is not None:
        rows = rows.filter(site=ctx.site)
    missing = sorted(set(ids) - set(rows.values_list("pk", flat=True)))
    if missing:
        shown = ", ".join(map(str, missing[:20])) + (" …" if len(missing) > 20 else "")
        where = "this site" if ctx.site is not None else "this account"
        raise NotFound(f"No such {model._meta.verbose_name_plural} in {where}: {shown}.")


def _site_of_ids(*, function: AIFunction, ctx: RunContext) -> Site | None:
    """The one site every record of the run belongs to, for a caller that named none (the web's
    bulk actions, the API's domain endpoints, /api/v1/ai/runs/); None when they span sites."""
    ids = ctx.payload.get("ids")
    if not function.ids_model or not isinstance(ids, list) or not ids:
        return None
    model = apps.get_model(function.ids_model)
    if not any(f.name == "site" for f in model._meta.get_fields()):
        return None
    site_ids = set(model.objects.filter(account=ctx.account, pk__in=ids).values_list("site_id", flat=True))
    if len(site_ids) != 1:
        return None
    return Site.objects.filter(account=ctx.account, pk=site_ids.pop()).first()


def accepted_parameters(function: AIFunction) -> frozenset[str]:
    accepted = COMMON_PAYLOAD | function.payload_fields | function.generation_fields
    return accepted if function.prompt_type else accepted - {"prompt_override"}


def _refuse_unknown_parameters(*, function: AIFunction, payload: dict) -> None:
    """A parameter is honoured or refused, never silently dropped (a 400 naming each one)."""
    unknown = sorted(set(payload) - accepted_parameters(function))
    if unknown:
        known = ", ".join(sorted(accepted_parameters(function)))
        label = function.title or function.name
        raise Invalid(
            f"{label} does not take {', '.join(unknown)}; it takes {known}.",
            errors={name: f"{label} does not take this parameter; it takes {known}." for name in unknown},
        )


def _prepare(*, account: Account, function_name: str, payload: dict, site: Site | None):
    try:
        function = get_function(function_name)()
    except UnknownFunction as error:
        raise Invalid(errors={"function": [str(error)]}) from error
    if not isinstance(payload, dict):
        raise Invalid(errors={"payload": ["Send a JSON object."]})
    _refuse_unknown_parameters(function=function, payload=payload)
    problems = override_problems(prompt_type=function.prompt_type, override=payload.get("prompt_override"))
    if problems:
        raise Invalid(errors={"prompt_override": problems})
    forced = payload.get("provider")
    if forced is not None and forced not in selectors.FORCEABLE_PROVIDERS:
        raise Invalid(
            f"Only {', '.join(selectors.FORCEABLE_PROVIDERS)} can be forced; got {forced!r}.",
            field="provider",
        )
    ctx = RunContext(account=account, payload=payload, site=site)
    _require_own_ids(function=function, ctx=ctx)
    if ctx.site is None:
        ctx.site = _site_of_ids(function=function, ctx=ctx)
    function.validate(ctx)  # 400 for bad input, 402 PlanLimitExceeded for plan limits
    ctx.generation = author_profiles.generation_settings(account=account, payload=payload).record()
    config = selectors.provider_config(account=account, kind=function.kind, forced=forced)
    if config.problem:  # nothing is reserved for a run that could not call its provider
        raise Invalid(errors={"provider": [config.problem]})
    per_item = credit_cost(operation=function.operation or function_name, provider=config.provider)
    return function, ctx, config, per_item


@transaction.atomic
def run_create(
    *,
    account: Account,
    function_name: str,
    payload: dict,
    site: Site | None = None,
    user: User | None = None,
    task_id: str | None = None,
) -> AIRun:
    """Validates and reserves credits (402 naming what is needed and held); nothing is enqueued."""
    function_name = canonical_name(function_name)
    function, ctx, config, per_item = _prepare(
        account=account, function_name=function_name, payload=payload, site=site
    )
    units = function.units(ctx)
    run = AIRun.objects.create(
        task_id=task_id or uuid.uuid4().hex,
        account=account,
        site=ctx.site,
        created_by=user,
        function_name=function_name,
        payload=payload,
        generation=ctx.generation,
        total=units,
        provider=config.provider,
        model=config.model,
        credits_per_item=per_item,
        credits_reserved=per_item * units,
        message="Queued.",
    )
    ids = payload.get("ids")
    if function.ids_model and isinstance(ids, list):  # 409 naming the run that holds any of them
        holds.take(run=run, model_label=function.ids_model, ids=ids)
    billing.credits_reserve(
        account_id=account.pk,
        amount=run.credits_reserved,
        run_id=run.task_id,
        note=f"{function_name}: {units} unit(s) x {per_item}",
    )
    return run


@transaction.atomic
def run_start(
    *, account: Account, function_name: str, payload: dict, site: Site | None = None, user: User | None = None
) -> AIRun:
    """The one starter of an AI run, for the API (its 202 body: ai.serializers.accepted), the web
    (web.runs.start_and_show) and the domain starters (writer.runs): checks the parameters, takes
    the records' holds (409), reserves the credits (402), and enqueues after commit. Without a
    site, the run's site is the one its records belong to. Automation's in-process runs call
    run_create, the same checks without the enqueue."""
    run = run_create(account=account, function_name=function_name, payload=payload, site=site, user=user)
    transaction.on_commit(lambda: enqueue(run))
    return run


def run_claim(*, task_id: str, function_name: str, payload: dict, account_id: int) -> AIRun | None:
    """The worker's side: the run row for this task, marked running, or None when there is nothing
    to do (already finished, or another worker holds it). A task sent without a row (a script
    calling run_ai_task directly) gets its row here, with the same checks as run_start."""
    run = AIRun.objects.filter(task_id=task_id).select_related("account", "site").first()
    if run is None:
        account = Account.objects.filter(pk=account_id, is_active=True).first()
        if account is None:
            log.warning("AI task %s names no active account %s", task_id, account_id)
            return None
        try:
            run = run_create(account=account, function_name=function_name, payload=payload, task_id=task_id)
        except Exception as error:
            from igny8.ai.progress import error_text

            run = AIRun.objects.create(
                task_id=task_id,
                account=account,
                function_name=function_name,
                payload=payload if isinstance(payload, dict) else {},
            )
            run_abort(run=run, error=error_text(error))
            return None
    if run.account_id != account_id:
        log.warning("AI task %s: account %s does not own the run", task_id, account_id)
        return None
    now = timezone.now()
    # Counters, credits used, results and the bar carry over from earlier attempts: the engine
    # skips the items those attempts recorded (ai.run_items), so nothing is counted twice.
    claimed = jobs.claim(
        AIRun,
        pk=run.pk,
        seen={"status": RunStatus.PENDING},
        status=RunStatus.RUNNING,
        attempts=F("attempts") + 1,
        heartbeat_at=now,
        started_at=Coalesce("started_at", Value(now, output_field=DateTimeField())),
        phase=Phase.INIT,
        message="Starting..." if not run.attempts else "Continuing after the worker stopped...",
    )
    if not claimed:
        return None
    run.refresh_from_db()
    return run


def run_takeover(*, run: AIRun) -> bool:
    """Back to pending for a worker that knows the run's own worker is gone (an automation execution
    continuing the run its dead attempt ran in-process), without waiting for the stale sweep. Only
    from the state seen; the next claim counts a new attempt and skips the items already recorded."""
    moved = AIRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING, attempts=run.attempts).update(
        status=RunStatus.PENDING, message="Re-queued: the worker stopped during the run."
    )
    run.refresh_from_db()
    return bool(moved)


@transaction.atomic
def run_abort(*, run: AIRun, error: str) -> AIRun:
    """Ends a run that never got going: failed, with its whole reservation refunded."""
    refunded = billing.run_settle(
        account_id=run.account_id, reserved=run.credits_reserved, run_id=run.task_id
    )
    holds.release(run=run)
    now = timezone.now()
    AIRun.objects.filter(pk=run.pk).update(
        status=RunStatus.FAILED,
        phase=Phase.DONE,
        error=error,
        message=f"Failed: {error}"[:500],
        finished_at=now,
        heartbeat_at=now,
        credits_reserved=F("credits_used"),
        result={"succeeded": 0, "failed": 0, "credits_refunded": refunded},
    )
    run.refresh_from_db()
    return run


@transaction.atomic
def run_cancel(*, run: AIRun) -> AIRun:
    """A queued run ends now with everything refunded; a running one finishes its current item,
    then stops (the engine checks between items)."""
    if run.status in TERMINAL:
        return run
    cancelled_now = AIRun.objects.filter(pk=run.pk, status=RunStatus.PENDING).update(
        status=RunStatus.CANCELLED,
        phase=Phase.DONE,
        cancel_requested=True,
        finished_at=timezone.now(),
        message="Cancelled before it started.",
        credits_reserved=F("credits_used"),
    )
    if cancelled_now:
        billing.run_settle(account_id=run.account_id, reserved=run.credits_reserved, run_id=run.task_id)
        holds.release(run=run)
    else:
        AIRun.objects.filter(pk=run.pk).update(
            cancel_requested=True, message="Cancelling after the current item..."
        )
    run.refresh_from_db()
    return run


def runs_sweep(*, now=None) -> dict:
    """Runs whose row has not moved for AI_RUN_STALE_SECONDS lost their worker (SIGKILL, crash, a
    broker that dropped the message). Each is re-queued while it has attempts left, else failed with
    its unused credits refunded. Idempotent: a run is changed only if it is still in the state seen."""
    now = now or timezone.now()
    seconds = settings.AI_RUN_STALE_SECONDS
    # A pending run is also judged by its age: one created a moment ago has no heartbeat yet.
    stale = AIRun.objects.filter(
        jobs.stale_q(status=RunStatus.RUNNING, seconds=seconds, now=now)
        | jobs.stale_q(status=RunStatus.PENDING, seconds=seconds, now=now)
        & Q(created_at__lt=now - timedelta(seconds=seconds))
    )
    counts = {"requeued": 0, "failed": 0}
    for run in stale:
        gave_up = run.status == RunStatus.PENDING and run.created_at < now - PENDING_GIVE_UP
        if run.attempts >= settings.AI_RUN_MAX_ATTEMPTS or gave_up or run.cancel_requested:
            counts["failed"] += _sweep_fail(run=run, seen=run.status, now=now)
        else:
            counts["requeued"] += _sweep_requeue(run=run, seen=run.status, now=now)
    return counts


@transaction.atomic
def _sweep_requeue(*, run: AIRun, seen: str, now) -> int:
    moved = jobs.claim(
        AIRun,
        pk=run.pk,
        seen={"status": seen, "heartbeat_at": run.heartbeat_at},
        status=RunStatus.PENDING,
        heartbeat_at=now,
        message="Re-queued: the worker stopped during the run.",
    )
    if moved:
        transaction.on_commit(lambda: enqueue(run))
    return int(moved)


@transaction.atomic
def _sweep_fail(*, run: AIRun, seen: str, now) -> int:
    if run.cancel_requested:
        error = "Cancelled; the worker stopped before it could finish the current item."
    elif seen == RunStatus.PENDING and run.attempts == 0:
        error = "No worker picked this run up. Is `igny8 worker` running?"
    else:
        error = f"The worker stopped during this run {run.attempts} time(s); it was given up."
    status = RunStatus.CANCELLED if run.cancel_requested else RunStatus.FAILED
    moved = AIRun.objects.filter(pk=run.pk, status=seen, heartbeat_at=run.heartbeat_at).update(
        status=status,
        phase=Phase.DONE,
        error=error,
        message=error,
        finished_at=now,
        heartbeat_at=now,
        credits_reserved=F("credits_used"),
    )
    if moved:
        billing.run_settle(account_id=run.account_id, reserved=run.credits_reserved, run_id=run.task_id)
        holds.release(run=run)
    return moved
