"""Cron schedules, pure: validation, human description, next run times and what is due.

Cron is evaluated in the rule's time zone with cronsim, which is DST-correct: a time skipped by
spring-forward runs once at the first valid moment after it, a time repeated by fall-back runs
once. All datetimes in and out are aware; results are in UTC."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from cron_descriptor import Options, get_description
from cronsim import CronSim, CronSimError

MAX_MISSED_COUNTED = 10_000  # counting missed slots stops here (a every-minute rule off for a week)


class ScheduleError(ValueError):
    pass


def zone(name: str) -> ZoneInfo:
    try:
        if name not in available_timezones():
            raise ZoneInfoNotFoundError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ScheduleError(f"Unknown time zone {name!r}; use an IANA name like Europe/Berlin.") from error


def validate(expression: str, timezone_name: str) -> None:
    tz = zone(timezone_name)
    if len(expression.split()) != 5:
        raise ScheduleError(
            f"{expression!r} is not a 5-field cron expression (minute hour day month weekday)."
        )
    try:
        CronSim(expression, datetime(2025, 1, 1, tzinfo=tz))
    except CronSimError as error:
        raise ScheduleError(f"{expression!r} is not a valid cron expression: {error}.") from error


def describe(expression: str) -> str:
    try:
        options = Options()
        options.use_24hour_time_format = True
        return get_description(expression, options)
    except Exception:  # cron-descriptor raises several types; a description is best effort
        return expression


def next_runs(expression: str, timezone_name: str, *, after: datetime, count: int = 1) -> list[datetime]:
    """The next `count` run times strictly after `after`, in UTC."""
    tz = zone(timezone_name)
    iterator = CronSim(expression, after.astimezone(tz))
    runs: list[datetime] = []
    for moment in iterator:
        if moment.astimezone(UTC) > after:
            runs.append(moment.astimezone(UTC))
        if len(runs) == count:
            break
    return runs


@dataclass(frozen=True)
class Due:
    run: bool  # start one execution now
    slot: datetime | None  # the slot it stands for (the earliest missed one)
    missed: int  # how many slots were due (1 = on time; more = a worker outage)
    next_run_at: datetime  # the first slot after now


def due(expression: str, timezone_name: str, *, next_run_at: datetime | None, now: datetime) -> Due:
    """Whether a rule whose next run was `next_run_at` should start now. However many slots passed
    while nothing ran (no beat, no worker), it runs once; the next run is the first slot after now."""
    upcoming = next_runs(expression, timezone_name, after=now, count=1)[0]
    if next_run_at is None or next_run_at > now:
        return Due(run=False, slot=None, missed=0, next_run_at=next_run_at or upcoming)
    missed = 1
    for moment in CronSim(expression, next_run_at.astimezone(zone(timezone_name))):
        if moment.astimezone(UTC) > now or missed >= MAX_MISSED_COUNTED:
            break
        if moment.astimezone(UTC) > next_run_at:
            missed += 1
    return Due(run=True, slot=next_run_at, missed=missed, next_run_at=upcoming)
