"""Runs one AI run: INIT, PREP, then per item AI_CALL -> PARSE -> SAVE, then DONE.

Provider, function and persistence stay apart: the function says what to ask and how to save it,
the provider (chosen by ai.selectors, built by providers.factory) does the call, and the Recorder
writes progress to the run row. A failing item is recorded and the rest continue; whatever happens,
the run ends in a terminal status with its credits settled, never left spinning."""

from __future__ import annotations

import logging
import time
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from igny8.ai import calling, holds, inflight, pacing, prompts, rates, run_items, selectors
from igny8.ai.base import AIFunction, RunContext
from igny8.ai.items import Call, Flight, Outcome, item_usage
from igny8.ai.models import AIRun, Phase, RunStatus
from igny8.ai.parsing import ParseError
from igny8.ai.progress import PHASE_START, Recorder, RunLost, error_text, item_percentage
from igny8.ai.providers import factory
from igny8.ai.providers.base import CompletionResult, ImageResult, Provider
from igny8.ai.registry import get_function
from igny8.billing import services as billing

log = logging.getLogger(__name__)


class RunError(Exception):
    """The run cannot go on; the message is shown to the person who started it."""


def _ms(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)


class Engine:
    def __init__(self, run: AIRun):
        self.run = run
        self.function: AIFunction = get_function(run.function_name)()
        self.ctx = RunContext(account=run.account, payload=run.payload, site=run.site, run_id=run.task_id)
        self.rec = Recorder(run, run.function_name)
        self.offline = False
        self.offset = 0  # items an earlier attempt of the run recorded (ai.run_items)

    # -- the run ---------------------------------------------------------------------------------
    def execute(self) -> AIRun:
        try:
            self._run()
        except RunLost:  # the attempt that claimed it after us finishes it; nothing more from here
            log.warning("AI run %s was claimed by another worker; this one stops", self.run.task_id)
        except Exception as error:  # any failure ends the run as failed, with the reason on the row
            if not isinstance(error, RunError | ParseError):
                log.exception("AI run %s failed", self.run.task_id)
            self._finish(RunStatus.FAILED, error=error_text(error))
        return self.run

    def _run(self) -> None:
        fn, run, rec = self.function, self.run, self.rec
        t = time.perf_counter()
        fn.validate(self.ctx)
        rec.step("request", "INIT", "success", "Input is valid.", duration_ms=_ms(t))
        rec.progress(phase=Phase.INIT, percentage=PHASE_START["PREP"], message=fn.message("INIT"), steps=True)

        t = time.perf_counter()
        config = selectors.provider_config(
            account=run.account, kind=fn.kind, forced=run.payload.get("provider")
        )
        provider = factory.build_provider(config)
        self.ctx.provider, self.ctx.model = config.provider, config.model
        if fn.kind == "image":
            self.ctx.image_settings = selectors.image_settings(account=run.account)
        template = prompts.template_for(
            account=run.account, prompt_type=fn.prompt_type, override=run.payload.get("prompt_override")
        )
        # prepare() may take long (thousands of rows, embeddings): the modal says what it reads.
        rec.progress(phase=Phase.PREP, message=fn.prep_message(self.ctx))
        items = fn.prepare(self.ctx)
        known = run_items.items_of(run=run)
        if not items and not known:
            reason = fn.nothing_produced(self.ctx)
            if reason is None:
                raise RunError("Nothing to do: none of the selected records can be processed.")
            rec.step("request", "PREP", "success", reason, duration_ms=_ms(t))
            run.total = 0  # no item: the reservation is refunded whole
            rec.save("total")
            self._finish(RunStatus.SUCCESS, message=reason)
            return
        # A re-run (re-delivery, the sweep's re-queue) never sends an item an earlier attempt sent.
        todo = [item for item in items if run_items.item_key(item) not in known]
        self._fail_orphans(items, known)
        done, total = len(known), len(todo) + len(known)
        run.total, run.provider, run.model = total, config.provider, config.model
        skipped = f" ({done} done by an earlier attempt)" if done else ""
        rec.step(
            "request",
            "PREP",
            "success",
            f"{total} item(s){skipped}; {config.describe()}.",
            duration_ms=_ms(t),
        )
        rec.progress(
            phase=Phase.PREP,
            percentage=PHASE_START["AI_CALL"],
            message=fn.message("PREP", total=total),
            steps=True,
            extra=("total", "provider", "model", *self._meta(current=done, total=total)),
        )

        cancelled = self._items(provider, config, template, todo, done=done) if todo else False
        status = (
            RunStatus.CANCELLED
            if cancelled
            else (RunStatus.SUCCESS if run.items_succeeded else RunStatus.FAILED)
        )
        self._finish(status)

    def _fail_orphans(self, items: list[Any], known: dict) -> None:
        """Items a dead attempt left with the provider fail now (the function hears of it too)."""
        orphans = [row for row in known.values() if row.status == run_items.ItemStatus.CALLING]
        failed = set(run_items.fail_orphans(run=self.run, rows=orphans))
        for item in items:
            if run_items.item_key(item) in failed:
                self.rec.step("request", "AI_CALL", "error", "Item failed.", error=run_items.WORKER_DIED)
                try:
                    self.function.item_failed(self.ctx, item, run_items.WORKER_DIED)
                except Exception:  # the failure is already recorded on the run
                    log.exception("AI run %s: item_failed hook failed", self.run.task_id)

    # -- the items: as many calls in flight as the provider allows ------------------------------
    def _items(self, provider: Provider, config, template: str, items: list[Any], *, done: int) -> bool:
        """Runs every item; returns True when a cancellation stopped the run early.

        Only the provider call (and the function's after_call) leaves the run's thread: each runs
        on a pool thread, as many at once as the provider's Pace allows (ai.pacing: found at run
        time, shared by every run on the same key). Everything that writes to the database
        (progress, steps, parse repair, save_output, usage and credits) stays on this thread and
        lands in item order, so results, steps and the ledger read the same as a sequential run.
        While calls are in flight this thread keeps the heartbeat fresh and watches for a cancel
        (ai.inflight.Flights): a cancel aborts the calls in flight, lands those that had already
        answered and ends the run; the items not done are refunded."""
        fn, count = self.function, len(items)
        total, self.offset = count + done, done
        cap = max(1, min(fn.concurrency(self.ctx), count)) if fn.per_item else 1
        pace = pacing.pace_for(
            provider=config.provider, api_key=config.api_key, base_url=config.base_url, cap=cap
        )
        guard = inflight.Guard(provider)
        return inflight.Flights(
            total=count,
            pace=pace,
            guard=guard,
            recorder=self.rec,
            launch=lambda index: self._launch(index, items[index], total, template),
            fly=lambda flight: self._fly(provider, config, flight, guard),
            land=lambda flight: self._land(provider, config, flight, total),
            stopped=lambda flight: self._cancelled(flight),
        ).run()

    def _cancelled(self, flight: Flight) -> None:
        if isinstance(flight.error, run_items.ItemTaken):
            return
        message = inflight.Cancelled.message
        self.rec.step("request", "AI_CALL", "error", f"Item {flight.label} cancelled.", error=message)
        try:
            self.function.item_failed(self.ctx, flight.item, message)
        except Exception:  # the cancel is already recorded on the run
            log.exception("AI run %s: item_failed hook for %s failed", self.run.task_id, flight.label)
        outcome = Outcome(ok=False, summary={"item": flight.label, "status": "cancelled"}, cancelled=True)
        try:
            self._account_for(outcome, flight.key)
        except run_items.ItemTaken:
            return

    # -- one item: launch (run's thread), fly (pool), land (run's thread) -------------------------
    def _launch(self, index: int, item: Any, total: int, template: str) -> Flight:
        fn, rec = self.function, self.rec
        flight = Flight(index=index, item=item, label=fn.item_label(item), key=run_items.item_key(item))
        index += self.offset  # its place among all the run's items, earlier attempts' included
        current = index + 1
        try:
            if flight.key is not None:  # committed before the call: no other attempt sends it again
                run_items.mark_calling(run=self.run, key=flight.key, label=flight.label)
            fn.item_started(self.ctx, item)
            extra = self._meta(current=current, total=total)
            rec.progress(
                phase=Phase.AI_CALL,
                percentage=item_percentage("AI_CALL", index, total),
                current=current,
                message=fn.message("AI_CALL", current=current, total=total),
                extra=extra,
            )
            flight.spec = fn.build_prompt(self.ctx, item, template)
        except Exception as error:  # recorded when the item lands, like any other failure
            flight.error = error
        return flight

    def _fly(self, provider: Provider, config, flight: Flight, guard: inflight.Guard) -> Flight:
        """The provider call, on a pool thread: it must not touch the database."""
        if flight.error is not None:
            return flight
        started = time.perf_counter()
        try:
            guard.flying(flight.slot.launched_at if flight.slot else 0.0)
            flight.raw = calling.call(self.function, provider, config, flight.spec)
            flight.result = self.function.after_call(self.ctx, flight.item, flight.raw)
        except Exception as error:
            flight.error = error
        flight.duration_ms = _ms(started)
        return flight

    def _land(self, provider: Provider, config, flight: Flight, total: int) -> None:
        fn, rec = self.function, self.rec
        if isinstance(flight.error, run_items.ItemTaken):  # never sent: another attempt holds it
            rec.step("request", "AI_CALL", "warning", f"Item {flight.label}: another attempt holds it.")
            return
        index, item, label, spec = flight.index + self.offset, flight.item, flight.label, flight.spec
        current = index + 1
        calls: list[Call] = []
        if flight.raw is not None:  # the provider was paid even if after_call failed
            calls.append(self._usage(config, spec, flight.raw))
        stage = "AI_CALL"
        try:
            if flight.error is not None:
                raise flight.error
            rec.step(
                "request",
                "AI_CALL",
                "success",
                f"Item {label}: {self._describe(calls[-1])}",
                duration_ms=flight.duration_ms,
            )

            stage, t = "PARSE", time.perf_counter()
            rec.progress(
                phase=Phase.PARSE,
                percentage=item_percentage("PARSE", index, total),
                steps=True,
                message=fn.message("PARSE", current=current, total=total),
            )
            output = calling.parse_with_repair(
                function=fn,
                ctx=self.ctx,
                provider=provider,
                config=config,
                spec=spec,
                item=item,
                result=flight.result,
                # One repair: the validation error goes back to the model, which usually fixes it.
                rejected=lambda error: rec.step(
                    "response",
                    "PARSE",
                    "error",
                    "Answer rejected; asking the model to repair it.",
                    error=error,
                ),
                repaired_call=lambda repair, answer: calls.append(self._usage(config, repair, answer)),
            )
            rec.step(
                "response",
                "PARSE",
                "success",
                f"Item {label}: answer matches the schema.",
                duration_ms=_ms(t),
            )

            stage, t = "SAVE", time.perf_counter()
            rec.progress(
                phase=Phase.SAVE,
                percentage=item_percentage("SAVE", index, total),
                steps=True,
                message=fn.message("SAVE", current=current, total=total),
            )
            self.ctx.item_usage = item_usage(calls)
            with transaction.atomic():  # the item's output, its row, usage and credits: all or nothing
                summary = fn.save_output(self.ctx, item, output) or {}
                outcome = Outcome(
                    ok=True, summary={"item": label, "status": "success", **summary}, calls=calls
                )
                run_items.record(run=self.run, operation=self._operation, key=flight.key, outcome=outcome)
            rec.step("response", "SAVE", "success", f"Item {label}: saved.", duration_ms=_ms(t))
            self._progressed()
        except run_items.ItemTaken:  # closed by another attempt: its save was rolled back here
            rec.step("response", stage, "warning", f"Item {label}: another attempt closed it.")
        except Exception as error:  # a failing item is recorded; the others continue
            if not isinstance(error, ParseError) and not hasattr(error, "retryable"):
                log.exception("AI run %s item %s failed in %s", self.run.task_id, label, stage)
            message = error_text(error)
            side = "request" if stage == "AI_CALL" else "response"
            rec.step(side, stage, "error", f"Item {label} failed.", error=message)
            try:
                fn.item_failed(self.ctx, item, message)
            except Exception:  # the failure is already recorded on the run
                log.exception("AI run %s: item_failed hook for %s failed", self.run.task_id, label)
            outcome = Outcome(
                ok=False, summary={"item": label, "status": "error", "error": message}, calls=calls
            )
            try:
                self._account_for(outcome, flight.key)
            except run_items.ItemTaken:
                return

    def _meta(self, *, current: int, total: int) -> tuple[str, ...]:
        """Puts the function's extra progress fields on the run; returns the fields to save."""
        run = self.run
        meta = self.function.progress_meta(
            self.ctx, results=list((run.result or {}).get("items", [])), current=current, total=total
        )
        if not meta:
            return ()
        run.result = {**(run.result or {"items": []}), "meta": meta}
        return ("result",)

    # -- usage, credits, finish ------------------------------------------------------------------
    def _usage(self, config, spec, result: CompletionResult | ImageResult) -> Call:
        self.offline = self.offline or result.offline
        price = rates.call_cost(config=config, result=result)
        if price.warning:  # an unknown price is said on the run, never recorded as a silent $0
            self.rec.step("request", "AI_CALL", "warning", price.warning)
        if isinstance(result, ImageResult):
            return Call(model=config.model, provider=config.provider, cost_usd=price.usd)
        return Call(
            model=config.model,
            provider=config.provider,
            tokens_in=result.tokens_in,
            tokens_out=result.tokens_out,
            cost_usd=price.usd,
        )

    @staticmethod
    def _describe(call: Call) -> str:
        return f"{call.provider} {call.model}, {call.tokens_in} tokens in, {call.tokens_out} out, " + (
            f"${call.cost_usd}" if call.cost_usd is not None else "cost unknown"
        )

    @property
    def _operation(self) -> str:
        return self.function.operation or self.run.function_name

    def _account_for(self, outcome: Outcome, key: str | None) -> None:
        run_items.record(run=self.run, operation=self._operation, key=key, outcome=outcome)
        self._progressed()

    def _progressed(self) -> None:
        """The bar and the function's meta after an item's outcome was recorded."""
        run = self.run
        index = run.items_succeeded + run.items_failed
        self._meta(current=run.current, total=run.total)
        self.rec.progress(
            percentage=item_percentage("NEXT", index - 1, run.total),
            steps=True,
            extra=(*run_items.RUN_FIELDS, "result"),
        )

    def _finish(self, status: str, *, error: str = "", message: str = "") -> None:
        run, fn = self.run, self.function
        now = timezone.now()
        run.status, run.phase, run.finished_at = status, Phase.DONE, now
        run.percentage = 100 if status == RunStatus.SUCCESS else run.percentage
        if run.started_at:
            run.duration_ms = int((now - run.started_at).total_seconds() * 1000)
        first_error = next(
            (i["error"] for i in (run.result or {}).get("items", []) if i.get("status") == "error"), ""
        )
        if status == RunStatus.FAILED:
            run.error = error or first_error or "Every item failed."
            run.message = f"Failed: {run.error}"[:500]
            self.rec.step("response", "DONE", "error", "Run failed.", error=run.error)
        elif status == RunStatus.CANCELLED:
            run.message = f"Cancelled after {run.items_succeeded + run.items_failed} of {run.total} item(s)."
            self.rec.step("response", "DONE", "success", run.message)
        else:
            run.message = fn.message(
                "DONE", succeeded=run.items_succeeded, failed=run.items_failed, total=run.total
            )
            if self.offline:
                run.message = ("Offline draft (no AI provider configured): " + run.message)[:500]
            run.message = message[:500] or run.message
            if run.unpriced_calls:
                run.message = (
                    f"{run.message} Cost unknown for {run.unpriced_calls} call(s): no price is set for "
                    f"{run.model or 'the model'} (Admin > Model catalogue)."
                )[:500]
            self.rec.step("response", "DONE", "success", run.message)
        if run.total:
            self._meta(current=run.current, total=run.total)
        run.result = {
            **(run.result or {"items": []}),
            "succeeded": run.items_succeeded,
            "failed": run.items_failed,
            "offline": self.offline,
            "credits_used": run.credits_used,
            "cost_usd": str(run.cost_usd),
            "unpriced_calls": run.unpriced_calls,
        }
        with transaction.atomic():
            refunded = billing.run_settle(
                account_id=run.account_id, reserved=run.credits_reserved, run_id=run.task_id
            )
            run.result["credits_refunded"] = refunded
            holds.release(run=run)  # its records are free for the next run, e.g. after_run's
            self.rec.progress(
                steps=True,
                extra=(
                    "status",
                    "phase",
                    "percentage",
                    "finished_at",
                    "duration_ms",
                    "error",
                    "message",
                    "result",
                ),
            )
            # Reservation closed: a later sweep or re-delivery must not refund it a second time.
            AIRun.objects.filter(pk=run.pk).update(credits_reserved=F("credits_used"))
        run.credits_reserved = run.credits_used
        if run.items_succeeded and status != RunStatus.FAILED:
            self._after_run()

    def _after_run(self) -> None:
        """The function's follow-on work (e.g. starting the next run), after credits are settled."""
        run = self.run
        try:
            extra = self.function.after_run(self.ctx, results=list(run.result.get("items", [])))
        except Exception as error:  # the run itself succeeded; say what did not follow
            log.exception("AI run %s: after_run failed", run.task_id)
            extra = {"after_run_error": error_text(error)}
        if extra:
            run.result = {**run.result, **extra}
            self.rec.save("result")


def execute(run: AIRun) -> AIRun:
    try:
        engine = Engine(run)
    except Exception as error:  # an unknown function still ends the run, with its credits back
        from igny8.ai import services

        return services.run_abort(run=run, error=error_text(error))
    return engine.execute()


def claim_and_execute(run: AIRun) -> AIRun | None:
    """What a worker does with a queued run row: claim it (exactly one taker wins) and execute it.
    None when the run is no longer pending (taken by another worker, cancelled, finished)."""
    from igny8.ai import services

    claimed = services.run_claim(
        task_id=run.task_id, function_name=run.function_name, payload=run.payload, account_id=run.account_id
    )
    return execute(claimed) if claimed is not None else None
