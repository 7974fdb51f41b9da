"""Runs one AI run: INIT, PREP, then per item AI_CALL -> PARSE -> SAVE, then DONE.

Provider, function and persistence stay apart: the function says what to ask and how to save it,
the provider (chosen by ai.selectors, built by providers.factory) does the call, and the Recorder
writes progress to the run row. A failing item is recorded and the rest continue; whatever happens,
the run ends in a terminal status with its credits settled, never left spinning."""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from igny8.ai import prompts, rates, selectors
from igny8.ai.base import AIFunction, ImagePrompt, RunContext, TextPrompt
from igny8.ai.models import AIRun, Phase, RunStatus
from igny8.ai.parsing import ParseError
from igny8.ai.progress import PHASE_START, Recorder, error_text, item_percentage
from igny8.ai.providers import factory
from igny8.ai.providers.base import CompletionRequest, CompletionResult, ImageRequest, ImageResult, Provider
from igny8.ai.registry import get_function
from igny8.billing import services as billing

log = logging.getLogger(__name__)
REPAIR_INSTRUCTIONS = (
    "\n\nYour previous answer was:\n{answer}\n\nIt was rejected: {error}\n"
    "Answer again with only JSON that matches the required shape."
)
JSON_INSTRUCTIONS = "\n\nRespond with only a JSON value matching this JSON schema:\n{schema}"


class RunError(Exception):
    """The run cannot go on; the message is shown to the person who started it."""


@dataclass
class Call:
    model: str
    provider: str
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: Decimal = Decimal("0")


@dataclass
class Outcome:
    ok: bool
    summary: dict[str, Any]
    calls: list[Call] = field(default_factory=list)


def _ms(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)


class Engine:
    def __init__(self, run: AIRun):
        self.run = run
        self.function: AIFunction = get_function(run.function_name)()
        self.ctx = RunContext(account=run.account, payload=run.payload, site=run.site, run_id=run.task_id)
        self.rec = Recorder(run, run.function_name)
        self.offline = False

    # -- the run ---------------------------------------------------------------------------------
    def execute(self) -> AIRun:
        try:
            self._run()
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
        config = selectors.provider_config(account=run.account, kind=fn.kind)
        provider = factory.build_provider(config)
        if fn.kind == "image":
            self.ctx.image_settings = selectors.image_settings(account=run.account)
        template = prompts.template_for(
            account=run.account, prompt_type=fn.prompt_type, override=run.payload.get("prompt_override")
        )
        items = fn.prepare(self.ctx)
        if not items:
            raise RunError("Nothing to do: none of the selected records can be processed.")
        run.total, run.provider, run.model = len(items), config.provider, config.model
        rec.step(
            "request", "PREP", "success", f"{len(items)} item(s); {config.describe()}.", duration_ms=_ms(t)
        )
        rec.progress(
            phase=Phase.PREP,
            percentage=PHASE_START["AI_CALL"],
            message=fn.message("PREP", total=len(items)),
            steps=True,
            extra=("total", "provider", "model"),
        )

        cancelled = False
        for index, item in enumerate(items):
            if rec.cancel_requested():
                cancelled = True
                break
            outcome = self._item(provider, config, template, item, index, len(items))
            self._account_for(outcome)
        status = (
            RunStatus.CANCELLED
            if cancelled
            else (RunStatus.SUCCESS if run.items_succeeded else RunStatus.FAILED)
        )
        self._finish(status)

    # -- one item --------------------------------------------------------------------------------
    def _item(self, provider: Provider, config, template: str, item: Any, index: int, total: int) -> Outcome:
        fn, rec = self.function, self.rec
        current = index + 1
        label = fn.item_label(item)
        calls: list[Call] = []
        stage = "AI_CALL"
        try:
            t = time.perf_counter()
            rec.progress(
                phase=Phase.AI_CALL,
                percentage=item_percentage("AI_CALL", index, total),
                current=current,
                message=fn.message("AI_CALL", current=current, total=total),
            )
            spec = fn.build_prompt(self.ctx, item, template)
            result = self._call(provider, config, spec)
            calls.append(self._usage(config, spec, result))
            rec.step(
                "request",
                "AI_CALL",
                "success",
                f"Item {label}: {self._describe(calls[-1])}",
                duration_ms=_ms(t),
            )

            stage, t = "PARSE", time.perf_counter()
            rec.progress(
                phase=Phase.PARSE,
                percentage=item_percentage("PARSE", index, total),
                steps=True,
                message=fn.message("PARSE", current=current, total=total),
            )
            output = self._parse(provider, config, spec, item, result, calls)
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
            with transaction.atomic():
                summary = fn.save_output(self.ctx, item, output) or {}
            rec.step("response", "SAVE", "success", f"Item {label}: saved.", duration_ms=_ms(t))
            return Outcome(ok=True, summary={"item": label, "status": "success", **summary}, calls=calls)
        except Exception as error:  # a failing item is recorded; the others continue
            if not isinstance(error, ParseError) and not hasattr(error, "retryable"):
                log.exception("AI run %s item %s failed in %s", self.run.task_id, label, stage)
            message = error_text(error)
            side = "request" if stage == "AI_CALL" else "response"
            rec.step(side, stage, "error", f"Item {label} failed.", error=message)
            return Outcome(
                ok=False, summary={"item": label, "status": "error", "error": message}, calls=calls
            )

    def _call(
        self, provider: Provider, config, spec: TextPrompt | ImagePrompt
    ) -> CompletionResult | ImageResult:
        if isinstance(spec, ImagePrompt):
            return provider.generate_image(
                ImageRequest(
                    prompt=spec.prompt,
                    model=config.model,
                    negative_prompt=spec.negative_prompt,
                    size=spec.size,
                    n=spec.n,
                    output_format=spec.output_format,
                )
            )
        schema = self.function.output_schema.model_json_schema()
        mode = rates.json_mode(config.model) if config.provider == "openai" else "schema"
        text = (
            spec.prompt
            if mode == "schema"
            else spec.prompt + JSON_INSTRUCTIONS.format(schema=json.dumps(schema))
        )
        return provider.complete(
            CompletionRequest(
                prompt=text,
                model=config.model,
                system=spec.system,
                json_schema=schema,
                schema_name=self.function.name or "output",
                json_mode=mode,
                temperature=spec.temperature,
                max_tokens=spec.max_tokens,
                offline_draft=spec.offline_draft,
            )
        )

    def _parse(self, provider, config, spec, item, result, calls: list[Call]):
        try:
            return self.function.parse_response(self.ctx, item, result)
        except ParseError as first:
            if not isinstance(spec, TextPrompt):
                raise
            # One repair: the validation error goes back to the model, which usually fixes it.
            self.rec.step(
                "response",
                "PARSE",
                "error",
                "Answer rejected; asking the model to repair it.",
                error=str(first),
            )
            repair = TextPrompt(
                prompt=spec.prompt + REPAIR_INSTRUCTIONS.format(answer=result.text[:6000], error=first),
                system=spec.system,
                temperature=spec.temperature,
                max_tokens=spec.max_tokens,
                offline_draft=spec.offline_draft,
            )
            repaired = self._call(provider, config, repair)
            calls.append(self._usage(config, repair, repaired))
            try:
                return self.function.parse_response(self.ctx, item, repaired)
            except ParseError as second:
                raise ParseError(
                    f"The AI answer did not have the expected shape, even after one repair attempt: {second}"
                ) from second

    # -- usage, credits, finish ------------------------------------------------------------------
    def _usage(self, config, spec, result: CompletionResult | ImageResult) -> Call:
        self.offline = self.offline or result.offline
        if isinstance(result, ImageResult):
            cost = result.cost_usd
            if cost is None:
                cost = rates.image_cost(model=config.model, images=len(result.images))
            return Call(model=config.model, provider=config.provider, cost_usd=cost or Decimal("0"))
        cost = rates.text_cost(model=config.model, tokens_in=result.tokens_in, tokens_out=result.tokens_out)
        return Call(
            model=config.model,
            provider=config.provider,
            tokens_in=result.tokens_in,
            tokens_out=result.tokens_out,
            cost_usd=cost or Decimal("0"),
        )

    @staticmethod
    def _describe(call: Call) -> str:
        return (
            f"{call.provider} {call.model}, {call.tokens_in} tokens in, {call.tokens_out} out, "
            f"${call.cost_usd}"
        )

    def _account_for(self, outcome: Outcome) -> None:
        run = self.run
        credits = run.credits_per_item if outcome.ok else 0
        for number, call in enumerate(outcome.calls):
            billing.usage_record(
                account_id=run.account_id,
                run_id=run.task_id,
                operation=self.function.operation or run.function_name,
                provider=call.provider,
                model=call.model,
                credits=credits if number == 0 else 0,
                cost_usd=call.cost_usd,
                tokens_in=call.tokens_in,
                tokens_out=call.tokens_out,
            )
            run.tokens_in += call.tokens_in
            run.tokens_out += call.tokens_out
            run.cost_usd += call.cost_usd
        run.credits_used += credits
        run.items_succeeded += int(outcome.ok)
        run.items_failed += int(not outcome.ok)
        results = list((run.result or {}).get("items", []))
        results.append(outcome.summary)
        run.result = {"items": results}
        index = run.items_succeeded + run.items_failed
        self.rec.progress(
            percentage=item_percentage("NEXT", index - 1, run.total),
            steps=True,
            extra=(
                "tokens_in",
                "tokens_out",
                "cost_usd",
                "credits_used",
                "items_succeeded",
                "items_failed",
                "result",
            ),
        )

    def _finish(self, status: str, *, error: str = "") -> None:
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
            self.rec.step("response", "DONE", "success", run.message)
        run.result = {
            **(run.result or {"items": []}),
            "succeeded": run.items_succeeded,
            "failed": run.items_failed,
            "offline": self.offline,
            "credits_used": run.credits_used,
            "cost_usd": str(run.cost_usd),
        }
        with transaction.atomic():
            refunded = billing.credits_settle(
                account_id=run.account_id,
                reserved=run.credits_reserved,
                used=run.credits_used,
                run_id=run.task_id,
            )
            run.result["credits_refunded"] = refunded
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


def execute(run: AIRun) -> AIRun:
    try:
        engine = Engine(run)
    except Exception as error:  # an unknown function still ends the run, with its credits back
        from igny8.ai import services

        return services.run_abort(run=run, error=error_text(error))
    return engine.execute()
