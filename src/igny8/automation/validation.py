"""A rule is checked when it is saved, so a bad rule is refused with a 400 naming the field and
the condition, never discovered when it runs."""

from __future__ import annotations

from igny8.automation import conditions, scheduling
from igny8.automation.actions import validate_actions
from igny8.automation.models import Trigger
from igny8.core.errors import Invalid


def rule_check(*, data: dict) -> dict:
    """`data` is the rule's fields after the change; returns the cleaned conditions and actions."""
    errors: dict[str, list[str]] = {}
    cleaned_conditions = conditions.normalise(data.get("conditions") or [])
    try:
        conditions.validate(cleaned_conditions)
    except conditions.ConditionError as error:
        errors["conditions"] = [str(error)]
    cleaned_actions = data.get("actions")
    try:
        cleaned_actions = validate_actions(data.get("actions"))
    except ValueError as error:
        errors["actions"] = [str(error)]
    trigger = data.get("trigger") or Trigger.MANUAL
    schedule = (data.get("schedule") or "").strip()
    if trigger == Trigger.SCHEDULE and not schedule:
        errors["schedule"] = ["A scheduled rule needs a cron expression, e.g. '0 9 * * 1-5'."]
    if schedule:
        try:
            scheduling.validate(schedule, data.get("timezone") or "UTC")
        except scheduling.ScheduleError as error:
            key = "timezone" if "time zone" in str(error) else "schedule"
            errors[key] = [str(error)]
    if trigger == Trigger.EVENT and not data.get("event_type"):
        errors["event_type"] = ["An event rule needs an event_type."]
    if errors:
        raise Invalid(errors=errors)
    return {"actions": cleaned_actions, "schedule": schedule, "conditions": cleaned_conditions}
