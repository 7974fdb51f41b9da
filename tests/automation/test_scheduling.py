"""Cron in the rule's time zone across DST (Europe/Berlin: 2025-03-30 02:00 -> 03:00, 2025-10-26
03:00 -> 02:00) and across a worker outage, with explicit `now=`."""

from datetime import UTC, datetime

import pytest

from igny8.automation import scheduling


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_daily_at_nine_berlin_keeps_local_time_across_both_changes():
    spring = scheduling.next_runs("0 9 * * *", "Europe/Berlin", after=utc(2025, 3, 28, 12), count=3)
    assert spring == [utc(2025, 3, 29, 8), utc(2025, 3, 30, 7), utc(2025, 3, 31, 7)]
    autumn = scheduling.next_runs("0 9 * * *", "Europe/Berlin", after=utc(2025, 10, 25, 12), count=2)
    assert autumn == [utc(2025, 10, 26, 8), utc(2025, 10, 27, 8)]


def test_a_time_skipped_by_spring_forward_runs_once_and_a_repeated_one_once():
    spring = scheduling.next_runs("30 2 * * *", "Europe/Berlin", after=utc(2025, 3, 29, 12), count=2)
    assert spring == [utc(2025, 3, 30, 1), utc(2025, 3, 31, 0, 30)]  # 03:00 CEST on the day, then 02:30
    autumn = scheduling.next_runs("30 2 * * *", "Europe/Berlin", after=utc(2025, 10, 25, 12), count=2)
    assert autumn == [utc(2025, 10, 26, 0, 30), utc(2025, 10, 27, 1, 30)]  # once, not twice


def test_hourly_through_fall_back_never_repeats_or_goes_back():
    runs = scheduling.next_runs("0 * * * *", "Europe/Berlin", after=utc(2025, 10, 25, 22, 30), count=6)
    assert runs == sorted(set(runs))
    assert runs[0] == utc(2025, 10, 25, 23)
    assert len(runs) == 6


def test_due_after_an_outage_runs_once_and_skips_to_the_next_future_slot():
    # Every 15 minutes; the last planned slot was 10:00 UTC and nothing ran until 11:07.
    due = scheduling.due("*/15 * * * *", "UTC", next_run_at=utc(2025, 5, 1, 10), now=utc(2025, 5, 1, 11, 7))
    assert (due.run, due.slot, due.missed, due.next_run_at) == (
        True,
        utc(2025, 5, 1, 10),
        5,
        utc(2025, 5, 1, 11, 15),
    )
    early = scheduling.due(
        "*/15 * * * *", "UTC", next_run_at=utc(2025, 5, 1, 11, 15), now=utc(2025, 5, 1, 11, 7)
    )
    assert (early.run, early.missed, early.next_run_at) == (False, 0, utc(2025, 5, 1, 11, 15))


def test_next_run_is_strictly_after_now():
    assert scheduling.next_runs("*/30 * * * *", "UTC", after=utc(2025, 1, 1, 12, 30)) == [utc(2025, 1, 1, 13)]


@pytest.mark.parametrize(
    ("expression", "zone", "message"),
    [
        ("61 * * * *", "UTC", "'61 * * * *' is not a valid cron expression"),
        ("* * *", "UTC", "'* * *' is not a 5-field cron expression"),
        ("0 9 * * *", "Mars/Olympus", "Unknown time zone 'Mars/Olympus'"),
    ],
)
def test_bad_schedules(expression, zone, message):
    with pytest.raises(scheduling.ScheduleError, match=f"^{message}".replace("*", r"\*")):
        scheduling.validate(expression, zone)


def test_description_is_human_readable():
    assert scheduling.describe("30 2 * * 1-5") == "At 02:30, Monday through Friday"
