"""What to run, pure: the ids a trigger hands to the first step, batching, the overall percentage,
and the status an execution ends in. No database, no clock."""

from __future__ import annotations

from collections.abc import Iterable

from igny8.automation import conditions as cond

# Trigger context keys that name records, e.g. emit(context={"keyword_ids": [...]}).
ID_KEYS = {f"{entity}_ids": entity for entity in cond.RECORD_ENTITIES}
# What an execution ends as, from its actions' statuses.
COMPLETED, PARTIALLY_COMPLETED, FAILED = "completed", "partially_completed", "failed"


def initial_ids(context: dict) -> dict[str, list[int]]:
    """{"keyword": [1, 2]} from {"keyword_ids": [1, 2]}; anything else in the context is ignored."""
    ids: dict[str, list[int]] = {}
    for key, entity in ID_KEYS.items():
        value = context.get(key)
        if isinstance(value, list):
            ids[entity] = [item for item in value if isinstance(item, int) and not isinstance(item, bool)]
    return ids


def context_problems(context: object) -> str | None:
    if not isinstance(context, dict):
        return "context must be a JSON object."
    for key, entity in ID_KEYS.items():
        value = context.get(key)
        if value is not None and (
            not isinstance(value, list)
            or not all(isinstance(i, int) and not isinstance(i, bool) for i in value)
        ):
            return f"context.{key} must be a list of {entity} ids."
    return None


def trigger_values(*, source: str, context: dict, site_id: int, site_name: str) -> dict[str, dict]:
    """The values trigger.* and site.* conditions read."""
    named = sum(len(v) for k, v in context.items() if k in ID_KEYS and isinstance(v, list))
    count = context.get("count", named)
    return {
        "trigger": {"source": source, "event_type": context.get("event_type", ""), "count": count},
        "site": {"id": site_id, "name": site_name},
    }


def gate_passes(gate: list, values: dict[str, dict]) -> bool:
    return cond.evaluate(gate, values)


def batches(ids: list[int], size: int) -> list[list[int]]:
    size = max(1, size)
    return [ids[start : start + size] for start in range(0, len(ids), size)]


def percentage(*, index: int, total: int, fraction: float) -> int:
    """Overall progress with action `index` (0-based) of `total` `fraction` done."""
    if total <= 0:
        return 100
    fraction = min(max(fraction, 0.0), 1.0)
    return min(99, int((index + fraction) * 100 / total))


def final_status(statuses: Iterable[str]) -> str:
    """completed when every action succeeded or had nothing to do; failed when the first action
    that did anything failed and nothing before it was done; partially_completed otherwise."""
    statuses = list(statuses)
    done = [s for s in statuses if s in ("success", "partial")]
    if "failed" in statuses:
        return PARTIALLY_COMPLETED if done else FAILED
    if "partial" in statuses:
        return PARTIALLY_COMPLETED
    return COMPLETED


def merge_ids(ids: dict[str, list[int]], outputs: dict[str, list[int]]) -> dict[str, list[int]]:
    """What the next step sees: the previous step's outputs replace what came before per entity."""
    return {**ids, **{entity: list(values) for entity, values in outputs.items()}}


def merge_result(earlier: dict, later: dict) -> dict:
    """One action's result over several attempts (paused and resumed, re-queued): the runs, credits,
    counts and outputs of every attempt; the status, error and message of the last."""
    outputs = {k: list(v) for k, v in (earlier.get("outputs") or {}).items()}
    for entity, ids in (later.get("outputs") or {}).items():
        outputs[entity] = [*outputs.get(entity, []), *[pk for pk in ids if pk not in outputs.get(entity, [])]]
    counts = dict(earlier.get("counts") or {})
    for name, value in (later.get("counts") or {}).items():
        counts[name] = counts.get(name, 0) + value
    return {
        **later,
        "outputs": outputs,
        "counts": counts,
        "runs": [
            *earlier.get("runs", []),
            *[r for r in later.get("runs", []) if r not in earlier.get("runs", [])],
        ],
        "credits_used": int(earlier.get("credits_used") or 0) + int(later.get("credits_used") or 0),
    }
