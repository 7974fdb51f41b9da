"""What the workflow view and the execution monitor show, built from automation.selectors.progress /
task_progress (the JSON of GET /api/v1/automation/rules/{id}/progress/): one step per action of the
rule with its live status, from the execution's recorded results and its current action."""

from __future__ import annotations

from datetime import timedelta

from igny8.automation.models import FINISHED, ScheduledTask, TaskStatus

# An action's recorded result status -> what its card shows.
RESULT_STATES = {
    "success": "completed",
    "partial": "partial",
    "failed": "failed",
    "skipped": "skipped",
    "interrupted": "stopped",
}
STATE_LABELS = {
    "pending": "Pending",
    "running": "Running",
    "completed": "Completed",
    "partial": "Partly done",
    "failed": "Failed",
    "skipped": "Skipped",
    "stopped": "Stopped",
    "not_run": "Not run",
}
# Polling goes on while the execution can still change by itself.
LIVE = (TaskStatus.PENDING, TaskStatus.RUNNING)


def ended(status: str) -> bool:
    return status in FINISHED


def live(progress: dict) -> bool:
    return progress.get("status") in LIVE


def steps(*, actions: list[dict], progress: dict, titles: dict[str, str]) -> list[dict]:
    """One entry per action, in the rule's order: pending / running / completed / partial /
    failed / skipped / stopped, or not run when the execution ended before it."""
    status = progress.get("status", "idle")
    results = {entry.get("index"): entry for entry in progress.get("results") or []}
    running_index = (progress.get("current_index") or 0) - 1
    rows = []
    for index, spec in enumerate(actions):
        result = results.get(index)
        if result is not None:
            state = RESULT_STATES.get(result.get("status"), result.get("status", "pending"))
        elif status == TaskStatus.RUNNING and index == running_index:
            state = "running"
        elif ended(status):
            state = "not_run"
        else:
            state = "pending"
        rows.append(
            {
                "index": index,
                "number": index + 1,
                "type": spec.get("type", ""),
                "title": titles.get(spec.get("type", ""), spec.get("type", "")),
                "params": spec.get("params") or {},
                "state": state,
                "label": STATE_LABELS.get(state, state),
                "counts": [
                    (name.replace("_", " "), value)
                    for name, value in sorted((result or {}).get("counts", {}).items())
                ],
                "credits_used": (result or {}).get("credits_used", 0),
                "message": (result or {}).get("message", ""),
                "error": (result or {}).get("error", ""),
                "current": state == "running",
            }
        )
    return rows


def duration(task: ScheduledTask) -> timedelta | None:
    if task.executed_at and task.finished_at:
        return task.finished_at - task.executed_at
    return None


def duration_text(task: ScheduledTask) -> str:
    taken = duration(task)
    if taken is None:
        return ""
    seconds = int(taken.total_seconds())
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"


def controls(task: ScheduledTask) -> dict:
    """Which of the API's task actions can do something now (the service refuses the rest)."""
    return {
        "cancel": task.status not in FINISHED and task.control != "cancel",
        "pause": task.status in (TaskStatus.PENDING, TaskStatus.RUNNING) and not task.control,
        "resume": task.status == TaskStatus.PAUSED
        or (task.status == TaskStatus.RUNNING and task.control == "pause"),
        "rerun": task.status in FINISHED,
    }
