"""Writes a run's progress, steps and usage onto its row. Each update is one UPDATE of the fields
that changed plus heartbeat_at, which is how the sweep tells a live run from an orphaned one; while
calls are in flight and nothing else is written, beat() keeps heartbeat_at fresh."""

from __future__ import annotations

import time
from typing import Any

from django.utils import timezone

from igny8.ai.models import AIRun
from igny8.core import jobs
from igny8.core.errors import DomainError

PHASE_START = {"INIT": 0, "PREP": 10, "AI_CALL": 25, "PARSE": 70, "SAVE": 85, "DONE": 100}
ITEMS_FROM, ITEMS_SPAN = 25, 73  # items share 25..98; DONE is 100
ITEM_OFFSET = {"AI_CALL": 0, "PARSE": 45, "SAVE": 60, "NEXT": 73}


def item_percentage(phase: str, index: int, total: int) -> int:
    """Where item `index` of `total` is in `phase`. With one item this is exactly the phase table
    (25, 70, 85, then 98); with N items each item gets 1/N of the 25..98 span."""
    return ITEMS_FROM + (ITEMS_SPAN * index + ITEM_OFFSET[phase]) // max(total, 1)


def error_text(error: BaseException) -> str:
    """What a failed run says: a refusal's fields and messages ("field: message; other: message"),
    else the error's own message."""
    if isinstance(error, DomainError) and error.errors:
        return "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.errors.items())
    return getattr(error, "message", None) or str(error) or type(error).__name__


class RunLost(Exception):
    """Another worker claimed the run (a re-queue after this worker went quiet): stop, write nothing."""


class Recorder:
    def __init__(self, run: AIRun, function_name: str):
        self.run = run
        self.function_name = function_name
        self.step_number = len(run.request_steps) + len(run.response_steps)
        self.saved_at = time.monotonic()

    def step(
        self, side: str, name: str, status: str, message: str, *, error: str = "", duration_ms: int = 0
    ) -> dict[str, Any]:
        self.step_number += 1
        entry = {
            "stepNumber": self.step_number,
            "stepName": name,
            "functionName": self.function_name,
            "status": status,
            "message": message[:1000],
            "error": error[:2000],
            "duration": duration_ms,
        }
        (self.run.request_steps if side == "request" else self.run.response_steps).append(entry)
        return entry

    def save(self, *fields: str) -> None:
        """Writes the fields while the run is still this attempt's (core.jobs' guarded write): a
        worker whose run was re-queued and claimed by another stops here (RunLost)."""
        now = timezone.now()
        self.run.heartbeat_at = now
        values = {name: getattr(self.run, name) for name in dict.fromkeys(fields)}
        if not AIRun.objects.filter(pk=self.run.pk, attempts=self.run.attempts).update(
            **values, heartbeat_at=now, updated_at=now
        ):
            raise RunLost(self.run.task_id)
        self.saved_at = time.monotonic()

    def beat(self, *, every: float) -> bool:
        """Touches heartbeat_at when nothing was written for `every` seconds; True when it did."""
        if time.monotonic() - self.saved_at < every:
            return False
        self.run.heartbeat_at = timezone.now()
        if not jobs.beat(AIRun, pk=self.run.pk, seen={"attempts": self.run.attempts}):
            raise RunLost(self.run.task_id)
        self.saved_at = time.monotonic()
        return True

    def progress(
        self,
        *,
        phase: str | None = None,
        percentage: int | None = None,
        message: str | None = None,
        current: int | None = None,
        steps: bool = False,
        extra: tuple[str, ...] = (),
    ) -> None:
        fields = list(extra)
        if percentage is not None:
            # With items in flight together, a later item's launch can precede an earlier one's
            # save; the bar never moves backwards.
            percentage = max(percentage, self.run.percentage or 0)
        for name, value in (("phase", phase), ("percentage", percentage), ("current", current)):
            if value is not None:
                setattr(self.run, name, value)
                fields.append(name)
        if message is not None:
            self.run.message = message[:500]
            fields.append("message")
        if steps:
            fields += ["request_steps", "response_steps"]
        self.save(*fields)

    def cancel_requested(self) -> bool:
        return AIRun.objects.filter(pk=self.run.pk, cancel_requested=True).exists()
