"""Running one execution in a worker: claim it (pending -> running, site lock taken), run its
actions in order handing ids forward, record every action's result, then finish and release the
site lock on every exit path. Pause and cancel are checked between items (batches, AI items) and
between actions; a paused execution keeps its state and resumes at the action it stopped in."""

from __future__ import annotations

import contextvars
import logging
import time
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from igny8.ai.models import TERMINAL, AIRun, AIRunItem, ItemStatus, RunStatus
from igny8.ai.progress import error_text
from igny8.ai.registry import canonical_name
from igny8.automation import conditions as cond
from igny8.automation import credits, dispatch, engine, locks, runner
from igny8.automation.actions import ActionResult, ActionUnavailable, Step, get_action
from igny8.automation.actions.base import FAILED, INTERRUPTED, PARTIAL, SKIPPED, SUCCESS
from igny8.automation.models import Control, ScheduledTask, TaskStatus
from igny8.core import jobs

log = logging.getLogger(__name__)
# The execution running on this thread: events emitted meanwhile know where they come from.
current_execution: contextvars.ContextVar[ScheduledTask | None] = contextvars.ContextVar(
    "automation_execution", default=None
)
PROGRESS_EVERY = 0.5  # seconds between progress writes (a forced write ignores it)


class _Overtaken(Exception):
    """A run just created on records an earlier run of this execution finished meanwhile."""


class LockLost(Exception):
    """The site lock was taken over (this execution's heartbeat went stale); stop at once."""


def claim(*, task_id: int, worker: str = "") -> int | None:
    """Marks the execution running with its site locked; returns its site id, or None when there is
    nothing to do (finished, taken by another worker, or its site busy: it stays pending and is
    handed over when the site is released)."""
    with transaction.atomic():
        task = (
            ScheduledTask.objects.filter(pk=task_id, status=TaskStatus.PENDING)
            .only("pk", "site_id", "account_id")
            .first()
        )
        if task is None or not locks.acquire(task=task):
            return None
        now = timezone.now()
        moved = jobs.claim(
            ScheduledTask,
            pk=task.pk,
            seen={"status": TaskStatus.PENDING},
            status=TaskStatus.RUNNING,
            executed_at=Coalesce("executed_at", Value(now)),
            heartbeat_at=now,
            attempts=F("attempts") + 1,
            worker=worker[:200],
            message="Starting...",
        )
        if not moved:
            transaction.set_rollback(True)
            return None
    return task.site_id


def load(*, task_id: int) -> ScheduledTask:
    # The rule's webhook secret is not needed to run it (and a worker without the key still runs).
    return (
        ScheduledTask.objects.select_related("rule", "site", "account", "account__plan")
        .defer("rule__webhook_secret")
        .get(pk=task_id)
    )


def execute(*, task_id: int, worker: str = "") -> str | None:
    site_id = claim(task_id=task_id, worker=worker)
    if site_id is None:
        return None
    token = None
    try:
        task = load(task_id=task_id)
        token = current_execution.set(task)
        status = Execution(task).run()
    except LockLost:
        log.warning("Execution %s lost its site lock; it goes back in the queue", task_id)
        ScheduledTask.objects.filter(pk=task_id, status=TaskStatus.RUNNING).update(
            status=TaskStatus.PENDING, message="Waiting: the site lock was taken over."
        )
        status = TaskStatus.PENDING
    except Exception as error:  # the execution ends failed with the reason, never left running
        log.exception("Automation execution %s failed", task_id)
        status = fail(task_id=task_id, error=error_text(error))
    finally:
        if token is not None:
            current_execution.reset(token)
        locks.release(task_id=task_id)
        dispatch.kick(site_id=site_id)
    return status


def fail(*, task_id: int, error: str) -> str:
    now = timezone.now()
    ScheduledTask.objects.filter(pk=task_id, status=TaskStatus.RUNNING).update(
        status=TaskStatus.FAILED,
        control="",
        error_message=error,
        message=f"Failed: {error}"[:500],
        finished_at=now,
        heartbeat_at=now,
    )
    return TaskStatus.FAILED


def fold_runs(result: ActionResult, runs: list[AIRun]) -> None:
    """Adds runs of an earlier attempt that died before recording the action (some left open and
    closed by settle_left_runs) to the action's result:
    their runs, credits and items, and their failed items as the action's error."""
    folded = [run.task_id for run in runs]
    result.runs = [*folded, *[r for r in result.runs if r not in folded]]  # in the order they ran
    for run in runs:
        result.credits_used += run.credits_used
        result.counts["items_saved_before_resume"] = (
            result.counts.get("items_saved_before_resume", 0) + run.items_succeeded
        )
        if run.items_failed:
            result.error = result.error or f"{run.items_failed} item(s) failed in run {run.task_id}."
    if not runs or result.status not in (SKIPPED, SUCCESS):
        return
    saved = any(run.items_succeeded for run in runs)
    failed = any(run.items_failed or run.status != RunStatus.SUCCESS for run in runs)
    if result.status == SKIPPED:
        result.status = (PARTIAL if failed else SUCCESS) if saved else FAILED
        result.message = ""
    elif failed:
        result.status = PARTIAL


@dataclass
class Execution:
    task: ScheduledTask
    index: int = 0
    label: str = ""
    last_write: float = 0.0
    credits_used: int = field(default=0)

    @property
    def total(self) -> int:
        return len(self.task.rule.actions)

    # -- the run ---------------------------------------------------------------------------------
    def run(self) -> str:
        task, rule = self.task, self.task.rule
        self.credits_used = task.credits_used
        split = cond.validate(rule.conditions)
        values = engine.trigger_values(
            source=task.source, context=task.context, site_id=task.site_id, site_name=task.site.name
        )
        if not engine.gate_passes(split.gate, values):
            return self.finish(TaskStatus.COMPLETED, message="Skipped: the rule's conditions are not met.")
        if task.attempts == 1 and not task.results:
            shortfall = credits.shortfall(task=task)
            if shortfall:
                return self.finish(TaskStatus.FAILED, error=shortfall)
        state = {"next_index": 0, "ids": engine.initial_ids(task.context), **(task.state or {})}
        ScheduledTask.objects.filter(pk=task.pk).update(total_actions=self.total)
        for index in range(int(state.get("next_index", 0)), self.total):
            if self.stop_requested():
                return self.stop()
            spec = rule.actions[index]
            result = self.run_action(index, spec, state["ids"], split.records)
            if result.status == INTERRUPTED:
                self.record(index, spec, result, state)
                return self.stop()
            state = {"next_index": index + 1, "ids": engine.merge_ids(state["ids"], result.outputs)}
            self.record(index, spec, result, state)
            if result.status == FAILED:
                break
            if index + 1 < self.total and not self.sleep(rule.step_delay_seconds):
                return self.stop()
        statuses = [entry["status"] for entry in self.results()]
        status = engine.final_status(statuses)
        errors = [f"{e['type']}: {e['error']}" for e in self.results() if e.get("error")]
        return self.finish(status, error="; ".join(errors))

    def run_action(self, index: int, spec: dict, ids: dict, records: dict) -> ActionResult:
        self.index = index
        try:
            action = get_action(spec["type"])
        except ActionUnavailable as error:
            return ActionResult(status=FAILED, error=str(error))
        self.label = action.display_name or action.name
        self.progress(0.0, "", force=True)
        step = Step(
            account=self.task.account,
            site=self.task.site,
            params=action.defaults(spec.get("params")),
            ids={entity: list(values) for entity, values in ids.items()},
            conditions=records,
            run_ai=self.run_ai,
            should_stop=self.stop_requested,
            report=self.progress,
            sleep=self.sleep,
            credits_left=self.credits_left,
            chosen=self.state().get("chosen", {}).get(str(index)),
            trigger_ids=engine.initial_ids(self.task.context),
            choose=lambda chosen: self.keep(chosen={**self.state().get("chosen", {}), str(index): chosen}),
        )
        started = time.perf_counter()
        unrecorded = self.unrecorded_runs(index)
        left: list[AIRun] = []
        try:
            left = self.settle_left_runs()
            result = action.run(step)
        except LockLost:
            raise
        except Exception as error:
            log.exception("Action %s of execution %s failed", spec["type"], self.task.pk)
            result = ActionResult(status=FAILED, error=error_text(error))
        # Runs of an attempt that died before recording the action (closed since, by it, the AI
        # sweep or settle_left_runs): their credits are the execution's already, so on the result too.
        closed = [run.task_id for run in left]
        earlier = [run for run in self.ended_runs(unrecorded) if run.task_id not in closed]
        fold_runs(result, [run for run in [*earlier, *left] if run.task_id not in result.runs])
        result.message = result.message or f"{int((time.perf_counter() - started) * 1000)} ms"
        return result

    # -- hooks the actions call ------------------------------------------------------------------
    def run_ai(self, function_name: str, payload: dict, *, span: tuple[float, float] = (0.0, 1.0)):
        start, share = span

        def poll(run) -> bool:
            self.progress(start + share * run.percentage / 100, run.message)
            return self.stop_requested()

        def started(run) -> None:
            # Read again now that the new run holds the records: an earlier run of ours that was
            # still running at the first read may have ended since (and let go of them). Its items
            # are done; the new run (rolled back with its holds and reservation) must not resend them.
            if set(run.payload.get("ids") or []) & set(self.ended_items(function_name)):
                raise _Overtaken
            self.note_run(run)

        while True:
            ended = self.ended_items(function_name)
            todo = [pk for pk in payload.get("ids") or [] if pk not in ended]
            if payload.get("ids") and not todo:
                run = ended[payload["ids"][-1]]  # the batch's run ended while this execution was away
                break
            try:
                run = runner.run_function(
                    account=self.task.account,
                    site=self.task.site,
                    function_name=function_name,
                    payload={**payload, "ids": todo} if "ids" in payload else payload,
                    poll=poll,
                    own_runs=self.own_runs(),
                    started=started,
                )
            except _Overtaken:
                continue  # read once more: those items are left out, the rest go in a new run
            break
        self.recount_credits()
        self.progress(start + share, run.message, force=True)
        return run

    def unrecorded_runs(self, index: int) -> list[str]:
        """The runs earlier attempts started for this action that its recorded result (a pause's)
        does not list: their attempt died before recording it."""
        recorded = {
            run for entry in self.results() if entry.get("index") == index for run in entry.get("runs", [])
        }
        return [run for run in self.state().get("action_runs", {}).get(str(index), []) if run not in recorded]

    @staticmethod
    def ended_runs(task_ids: list[str]) -> list[AIRun]:
        runs = {run.task_id: run for run in AIRun.objects.filter(task_id__in=task_ids, status__in=TERMINAL)}
        return [runs[task_id] for task_id in task_ids if task_id in runs]

    def settle_left_runs(self) -> list[AIRun]:
        """Runs an earlier attempt of this execution started and left open with every item
        recorded (its worker died after saving the last item, before closing the run). The action
        will not pick those records again, so the run is closed here (taken over when nobody beats
        it: the engine skips its recorded items, settles its credits and lets go of its records)
        and its outcome is folded into the action's result. A run with items still to do is left
        to the action, which continues it (runner._start)."""
        left = []
        for run in (
            AIRun.objects.filter(task_id__in=self.own_runs())
            .exclude(status__in=TERMINAL)
            .select_related("account", "site")
        ):
            if run.total and run.items_succeeded + run.items_failed >= run.total:
                left.append(runner.finish(run, lambda seen: self.stop_requested()))
        if left:
            self.recount_credits()
        return left

    def recount_credits(self) -> None:
        """The execution's credits are the sum over its own runs: a run adopted or closed by a later
        attempt is counted once, whoever ended it."""
        self.credits_used = sum(
            AIRun.objects.filter(task_id__in=self.own_runs()).values_list("credits_used", flat=True)
        )
        ScheduledTask.objects.filter(pk=self.task.pk).update(credits_used=self.credits_used)

    def state(self) -> dict:
        return dict(ScheduledTask.objects.values_list("state", flat=True).get(pk=self.task.pk) or {})

    def keep(self, **values) -> None:
        """Adds to the execution's state at once (not at the action's end): what an attempt chose
        and started must be known to the next attempt if this one dies."""
        with transaction.atomic():
            row = ScheduledTask.objects.select_for_update().only("state").get(pk=self.task.pk)
            ScheduledTask.objects.filter(pk=self.task.pk).update(state={**(row.state or {}), **values})

    def own_runs(self) -> list[str]:
        return list(self.state().get("runs", []))

    def ended_items(self, function_name: str) -> dict[int, AIRun]:
        """Records an earlier attempt's runs saved or failed, by their run, once that run has ended.
        The worker running this execution died; the AI sweep handed its run to another worker,
        which finished it before this attempt began. Those records are done (a failed one may have
        reached the provider): sending them in a new run would call the provider twice."""
        rows = AIRunItem.objects.filter(
            run__task_id__in=self.own_runs(),
            run__function_name=canonical_name(function_name),
            run__status__in=[RunStatus.SUCCESS, RunStatus.FAILED],
            status__in=[ItemStatus.SUCCESS, ItemStatus.FAILED],
            key__startswith="pk:",
        ).select_related("run")
        return {int(row.key[3:]): row.run for row in rows}

    def note_run(self, run) -> None:
        """Kept on the execution before the run works: a re-queued attempt continues this run
        rather than starting another on the same records."""
        state = self.state()
        runs = list(state.get("runs", []))
        if run.task_id not in runs:
            by_action = state.get("action_runs", {})
            mine = [*by_action.get(str(self.index), []), run.task_id]
            self.keep(runs=[*runs, run.task_id], action_runs={**by_action, str(self.index): mine})

    def credits_left(self) -> int | None:
        cap = self.task.rule.max_credits_per_run
        return None if cap is None else max(0, cap - self.credits_used)

    def stop_requested(self) -> bool:
        control = ScheduledTask.objects.filter(pk=self.task.pk).values_list("control", flat=True).first()
        return bool(control)

    def sleep(self, seconds: float) -> bool:
        deadline = time.monotonic() + max(0.0, seconds)
        while time.monotonic() < deadline:
            if self.stop_requested():
                return False
            self.progress(None, "Waiting before the next item...", force=True)
            time.sleep(min(1.0, max(0.0, deadline - time.monotonic())))
        return True

    def progress(self, fraction: float | None, detail: str, *, force: bool = False) -> None:
        now_mono = time.perf_counter()
        if not force and now_mono - self.last_write < PROGRESS_EVERY:
            return
        self.last_write = now_mono
        now = timezone.now()
        fields = {"heartbeat_at": now}
        if fraction is not None:
            message = f"Executing action {self.index + 1}/{self.total}: {self.label}"
            done = engine.percentage(index=self.index, total=self.total, fraction=fraction)
            fields.update(
                # A resumed action starts its fraction again: the bar never moves backwards.
                percentage=Greatest(F("percentage"), Value(done)),
                current_index=self.index + 1,
                current_action=self.task.rule.actions[self.index]["type"],
                message=(f"{message} - {detail}" if detail else message)[:500],
            )
        ScheduledTask.objects.filter(pk=self.task.pk).update(**fields)
        if not locks.heartbeat(task_id=self.task.pk, now=now):
            raise LockLost()

    # -- bookkeeping -----------------------------------------------------------------------------
    def results(self) -> list[dict]:
        return list(ScheduledTask.objects.values_list("results", flat=True).get(pk=self.task.pk))

    def record(self, index: int, spec: dict, result: ActionResult, state: dict) -> None:
        state = {**self.state(), **state}  # the runs and choices kept while the action ran stay
        earlier = [entry for entry in self.results() if entry.get("index") == index]
        entries = [entry for entry in self.results() if entry.get("index") != index]
        entry = {"index": index, "type": spec["type"], **result.as_dict()}
        entries.append(engine.merge_result(earlier[0], entry) if earlier else entry)
        ScheduledTask.objects.filter(pk=self.task.pk).update(
            results=entries, state=state, credits_used=self.credits_used, heartbeat_at=timezone.now()
        )

    def stop(self) -> str:
        control = ScheduledTask.objects.values_list("control", flat=True).get(pk=self.task.pk)
        if control == Control.PAUSE:
            ScheduledTask.objects.filter(pk=self.task.pk).update(
                status=TaskStatus.PAUSED, control="", message="Paused.", heartbeat_at=timezone.now()
            )
            return TaskStatus.PAUSED
        return self.finish(TaskStatus.CANCELLED, message="Cancelled.")

    def finish(self, status: str, *, error: str = "", message: str = "") -> str:
        now = timezone.now()
        text = message or {
            TaskStatus.COMPLETED: "Completed.",
            TaskStatus.PARTIALLY_COMPLETED: "Partially completed: see the actions' errors.",
            TaskStatus.FAILED: f"Failed: {error}",
            TaskStatus.CANCELLED: "Cancelled.",
        }.get(status, status)
        ScheduledTask.objects.filter(pk=self.task.pk).update(
            status=status,
            control="",
            error_message=error,
            message=text[:500],
            percentage=100
            if status in (TaskStatus.COMPLETED, TaskStatus.PARTIALLY_COMPLETED)
            else F("percentage"),
            finished_at=now,
            heartbeat_at=now,
            credits_used=self.credits_used,
        )
        type(self.task.rule).objects.filter(pk=self.task.rule_id).update(
            last_executed_at=now, execution_count=F("execution_count") + 1
        )
        return status
