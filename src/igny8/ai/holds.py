"""One run per record at a time (issue 12, point 6). A run that names records (`payload["ids"]` of
its function's `ids_model`) holds them from the moment it is created until it ends; a second run on
any of them is refused with a 409 naming the run that holds them. The unique key on AIRunHold does
the refusing, so 20 starts racing on the same records make exactly one run."""

from __future__ import annotations

from django.apps import apps
from django.db import IntegrityError, transaction

from igny8.ai.models import TERMINAL, AIRun, AIRunHold
from igny8.core.errors import Conflict


def record_keys(*, model_label: str, ids: list[int]) -> list[str]:
    return [f"{model_label.lower()}:{pk}" for pk in sorted(set(ids))]


def take(*, run: AIRun, model_label: str, ids: list[int]) -> None:
    """Holds the records for `run`, or raises Conflict naming the run that holds one of them."""
    keys = record_keys(model_label=model_label, ids=ids)
    if not keys:
        return
    # A hold whose run has ended is no hold (the run's end and the release are one transaction,
    # but a row restored from a backup or written by an older version may linger).
    AIRunHold.objects.filter(record__in=keys, run__status__in=TERMINAL).delete()
    try:
        with transaction.atomic():
            AIRunHold.objects.bulk_create([AIRunHold(run=run, record=key) for key in keys])
    except IntegrityError as error:
        raise _conflict(run=run, model_label=model_label, keys=keys) from error


def _conflict(*, run: AIRun, model_label: str, keys: list[str]) -> Conflict:
    held = list(
        AIRunHold.objects.filter(record__in=keys).exclude(run=run).select_related("run").order_by("record")
    )
    model = apps.get_model(model_label)
    if not held:  # released between our insert and this read: the caller may simply try again
        return Conflict(
            f"Another run was starting on these {model._meta.verbose_name_plural}; try again.",
            field="ids",
            code="records_held",
        )
    holder = held[0].run
    ids = ", ".join(hold.record.rsplit(":", 1)[1] for hold in held if hold.run_id == holder.pk)
    return Conflict(
        f"Run {holder.task_id} ({holder.function_name}, {holder.status}) is already working on "
        f"{model._meta.verbose_name_plural} {ids}; wait for it to finish or cancel it.",
        field="ids",
        code="records_held",
    )


def release(*, run: AIRun) -> None:
    AIRunHold.objects.filter(run=run).delete()
