"""The rules a publishing schedule must keep, whoever saves it (the API's ScheduleSerializer, the
publishing page's form, scheduling.schedule_save): a time zone that exists, a window that ends after
it starts. Refusals are core.errors.Invalid naming the field."""

from datetime import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from igny8.core.errors import Invalid


def timezone_check(value: str) -> None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise Invalid(f"Unknown time zone {value!r}; use e.g. Europe/Berlin.", field="timezone") from error


def window_check(*, window_start: time | None, window_end: time | None) -> None:
    if window_start and window_end and window_end <= window_start:
        raise Invalid("Must be after window_start.", field="window_end")


def schedule_check(*, timezone: str | None = None, window_start=None, window_end=None) -> None:
    """Every rule, for the fields given (a partial save checks what it changes)."""
    if timezone is not None:
        timezone_check(timezone)
    window_check(window_start=window_start, window_end=window_end)
