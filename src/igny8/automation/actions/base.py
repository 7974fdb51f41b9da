"""What an action is. An action works on the records the previous step produced (`step.ids`), or
on what is left in the site when nothing came before, and hands its own output on by entity:

    class MyAction(Action):
        name = "optimize_content"; display_name = "Optimize content"; operation = "optimize_content"
        params = (Param("max_items", "int", 10, "At most this many articles per execution."),)
        def estimate(self, *, account, site, params, counts) -> Estimate: ...
        def run(self, step) -> ActionResult: ...

and is registered with `igny8.automation.actions.register(MyAction)` (an app does this in its
`automation_actions.py`, which the automation app imports at start-up)."""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from igny8.accounts.models import Account, Site

SUCCESS, PARTIAL, FAILED, SKIPPED, INTERRUPTED = "success", "partial", "failed", "skipped", "interrupted"
KINDS = {"int": int, "number": (int, float), "bool": bool, "str": str, "ids": list}


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # int | number | bool | str
    default: Any
    help: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple = ()  # for str params: the values allowed ("" included when it is)

    def problem(self, value: Any) -> str | None:
        expected = KINDS[self.kind]
        if (isinstance(value, bool) and self.kind != "bool") or not isinstance(value, expected):
            return f"{self.name} must be {self.kind}; got {value!r}."
        if self.kind == "ids" and not all(type(item) is int and item > 0 for item in value):
            return f"{self.name} must be a list of record ids; got {value!r}."
        if self.choices and value not in self.choices:
            shown = ", ".join(choice for choice in self.choices if choice)
            shown += ", or empty" if "" in self.choices else ""
            return f"{self.name} must be one of {shown}; got {value!r}."
        if self.minimum is not None and value < self.minimum:
            return f"{self.name} must be at least {self.minimum:g}; got {value!r}."
        if self.maximum is not None and value > self.maximum:
            return f"{self.name} must be at most {self.maximum:g}; got {value!r}."
        return None

    def describe(self) -> dict:
        return {
            "name": self.name,
            "type": self.kind,
            "default": self.default,
            "help": self.help,
            "minimum": self.minimum,
            "maximum": self.maximum,
            **({"choices": list(self.choices)} if self.choices else {}),
        }


BATCH_SIZE = Param("batch_size", "int", 0, "Records per AI run (0: the AI function's maximum).", 0, 10_000)
ITEM_DELAY = Param("item_delay_seconds", "number", 0, "Pause between two batches.", 0, 3600)


@dataclass(frozen=True)
class Estimate:
    credits: int
    produces: dict[str, int] = field(default_factory=dict)  # entity -> about how many records


@dataclass
class ActionResult:
    status: str
    outputs: dict[str, list[int]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    runs: list[str] = field(default_factory=list)  # AI run task ids
    credits_used: int = 0
    error: str = ""
    message: str = ""

    def as_dict(self) -> dict:
        return {
            "status": self.status,
            "outputs": self.outputs,
            "counts": self.counts,
            "runs": self.runs,
            "credits_used": self.credits_used,
            "error": self.error,
            "message": self.message,
        }


@dataclass
class Step:
    """One action of one execution: its inputs and the execution's services (hooks)."""

    account: Account
    site: Site
    params: dict[str, Any]
    ids: dict[str, list[int]]  # what the trigger and earlier steps handed on
    conditions: dict[str, list]  # entity -> conditions on that entity's records
    run_ai: Callable[..., Any]  # (function_name, payload, *, fraction_of) -> finished AIRun
    should_stop: Callable[[], bool]  # a pause or cancel was requested
    report: Callable[[float, str], None]  # (fraction of this action done, message)
    sleep: Callable[[float], bool]  # waits; False when a stop was requested meanwhile
    credits_left: Callable[[], int | None]  # under the rule's per-run cap; None = no cap
    # The records this action chose in an earlier attempt of the execution (None: not chosen yet),
    # and how a first choice is kept on the execution (common.capped calls both).
    chosen: list[int] | None = None
    # The records the trigger named (an event's keyword_ids): of those entities, only these.
    trigger_ids: dict[str, list[int]] = field(default_factory=dict)
    choose: Callable[[list[int]], None] = lambda ids: None


class Action(ABC):
    name: ClassVar[str] = ""
    display_name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    operation: ClassVar[str] = ""  # the credit price list's name (billing/costs.py)
    params: ClassVar[tuple[Param, ...]] = ()

    def defaults(self, given: dict | None) -> dict:
        return {param.name: (given or {}).get(param.name, param.default) for param in self.params}

    def estimate(self, *, account: Account, site: Site, params: dict, counts: dict[str, int]) -> Estimate:
        return Estimate(credits=0)

    @abstractmethod
    def run(self, step: Step) -> ActionResult:
        """Do the action's work on what the step selected; report progress through `step`."""


def ceil_div(count: int, size: int) -> int:
    return math.ceil(count / size) if count and size else 0
