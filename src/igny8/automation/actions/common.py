"""Shared by the pipeline actions: picking records (conditions applied), running an AI function
over ids in batches under the step's caps, and pricing."""

from __future__ import annotations

from django.db.models import Model, QuerySet

from igny8.ai import registry as ai_registry
from igny8.ai import selectors as ai_selectors
from igny8.ai.models import RunStatus
from igny8.ai.progress import error_text
from igny8.automation import conditions as cond
from igny8.automation.actions.base import FAILED, INTERRUPTED, PARTIAL, SKIPPED, SUCCESS, ActionResult, Step
from igny8.automation.engine import batches
from igny8.billing.selectors import credit_cost
from igny8.core.errors import Conflict


def pick(step: Step, entity: str, queryset: QuerySet) -> list[int]:
    """Ids of the site's rows in `queryset` (in id order) that meet the rule's `entity` conditions."""
    rows = queryset.filter(account=step.account, site=step.site).order_by("pk")
    conditions = step.conditions.get(entity)
    if not conditions:
        return list(rows.values_list("pk", flat=True))
    return cond.filter_records(entity, rows.values("id", *cond.fields_of(entity)), conditions)


def capped(ids: list[int], step: Step) -> list[int]:
    """At most the action's `max_items` of them, chosen once per execution and kept on it: after a
    pause, a crash or a re-queue the action continues with exactly the records it chose (those that
    still need the work), never with others and never more than max_items in all."""
    if step.chosen is not None:
        still = set(ids)
        return [pk for pk in step.chosen if pk in still]
    chosen = ids[: step.params["max_items"]]
    step.choose(chosen)
    return chosen


def incoming(
    step: Step, entity: str, model: type[Model], left: QuerySet, *, handed_only: bool = False
) -> list[int]:
    """What still needs the work in the site (the rule's conditions applied): what the previous
    step handed on first, then what earlier runs left behind, so a rule keeps moving even when an
    action before it had nothing to do. Records the trigger named (an event's keyword_ids) are
    the only ones of that entity the execution touches. `handed_only` (publishing: an outward
    effect) keeps to what the previous step handed on when it handed any."""
    if handed_only and entity in step.ids:
        left = left.filter(pk__in=step.ids[entity])
    named = step.trigger_ids.get(entity)
    if named is not None:
        left = left.filter(pk__in=named)
    rows = pick(step, entity, left)
    handed = set(step.ids.get(entity, ()))
    return [pk for pk in rows if pk in handed] + [pk for pk in rows if pk not in handed]


def function_info(function_name: str) -> tuple[int, str, str]:
    """(max_items, operation, kind) of an AI function; raises UnknownFunction when not installed."""
    function = ai_registry.get_function(function_name)
    return function.max_items, function.operation or function_name, function.kind


def unit_price(*, account, function_name: str) -> int:
    try:
        _, operation, kind = function_info(function_name)
    except ai_registry.UnknownFunction:
        return 0
    provider = ai_selectors.provider_config(account=account, kind=kind).provider
    return credit_cost(operation=operation, provider=provider)


def run_batches(
    step: Step, *, function_name: str, ids: list[int], payload: dict | None = None, per_item: bool = True
) -> ActionResult:
    """Runs the function over `ids` in batches (params batch_size, item_delay_seconds), stopping
    early on a pause/cancel request or when the next batch would pass the rule's credit cap."""
    if not ids:
        return ActionResult(status=SKIPPED, message="Nothing to do.")
    max_items, _, _ = function_info(function_name)
    size = min(step.params.get("batch_size") or max_items, max_items)
    chunks = batches(ids, size)
    price = unit_price(account=step.account, function_name=function_name)
    result = ActionResult(status=SUCCESS)
    ok_runs = failed_runs = 0
    held: list[str] = []  # batches another run holds (ai.holds): theirs to do, not a failure here
    for number, chunk in enumerate(chunks):
        if step.should_stop():
            result.status = INTERRUPTED
            return result
        left = step.credits_left()
        needed = price * (len(chunk) if per_item else 1)
        if left is not None and needed > left:
            result.error = f"Stopped: the next batch needs {needed} credits and the rule's cap leaves {left}."
            break
        if number and not step.sleep(float(step.params.get("item_delay_seconds") or 0)):
            result.status = INTERRUPTED
            return result
        try:
            run = step.run_ai(
                function_name, {**(payload or {}), "ids": chunk}, span=(number / len(chunks), 1 / len(chunks))
            )
        except Conflict as error:
            held.append(str(error))
            continue
        except Exception as error:  # 400/402 refusals at run creation: the batch failed before it began
            result.error = error_text(error)
            failed_runs += 1
            break
        result.runs.append(run.task_id)
        result.credits_used += run.credits_used
        if run.status == RunStatus.SUCCESS and not run.items_failed:
            ok_runs += 1
        elif run.status == RunStatus.SUCCESS:
            ok_runs += 1
            failed_runs += 1
            result.error = result.error or f"{run.items_failed} item(s) failed in run {run.task_id}."
        elif run.status == RunStatus.CANCELLED:
            result.status = INTERRUPTED
            return result
        else:
            failed_runs += 1
            result.error = run.error or f"AI run {run.task_id} {run.status}."
    if held and not result.runs and not failed_runs:
        result.status, result.message = SKIPPED, f"Skipped: {held[0]}"
        return result
    if held:
        result.message = f"{len(held)} batch(es) skipped: {held[0]}"
    if failed_runs and not ok_runs:
        result.status = FAILED
    elif failed_runs or result.error:
        result.status = PARTIAL
    return result
