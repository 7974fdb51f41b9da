"""The beat's start of scheduled rules, with frozen time: DST in Europe/Berlin and a worker outage."""

from datetime import UTC, datetime

import time_machine
from django.db import IntegrityError
from django.utils import timezone

from igny8.automation import services
from igny8.automation.models import AutomationRule, ScheduledTask
from tests.automation.conftest import CHAIN


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def schedule_rule(tenant, schedule: str, zone: str = "UTC", site=True) -> AutomationRule:
    return services.rule_create(
        account=tenant.account,
        site=tenant.site if site else None,
        name="Scheduled",
        trigger="schedule",
        schedule=schedule,
        timezone=zone,
        actions=CHAIN,
    )


def test_daily_berlin_rule_runs_at_local_time_through_spring_and_autumn(alice, sent):
    with time_machine.travel(utc(2025, 3, 29, 12), tick=False):
        rule = schedule_rule(alice, "30 2 * * *", "Europe/Berlin")
    assert rule.next_run_at == utc(2025, 3, 30, 1)  # 02:30 does not exist that night: 03:00 CEST
    slots = []
    for now in (utc(2025, 3, 30, 1, 0, 20), utc(2025, 3, 31, 0, 30, 5)):
        assert services.rules_start_due(now=now) == {"started": 1, "skipped": 0}
        slots.append(ScheduledTask.objects.latest("scheduled_at").scheduled_at)
    assert slots == [utc(2025, 3, 30, 1), utc(2025, 3, 31, 0, 30)]
    AutomationRule.objects.filter(pk=rule.pk).update(next_run_at=utc(2025, 10, 26, 0, 30))
    assert services.rules_start_due(now=utc(2025, 10, 26, 0, 30, 10)) == {"started": 1, "skipped": 0}
    # 02:30 happens twice that night (CEST, then CET): the second one does not run again.
    assert services.rules_start_due(now=utc(2025, 10, 26, 1, 30, 10)) == {"started": 0, "skipped": 0}
    assert AutomationRule.objects.get(pk=rule.pk).next_run_at == utc(2025, 10, 27, 1, 30)
    assert ScheduledTask.objects.count() == 3


def test_slots_missed_during_an_outage_run_once(alice, sent):
    with time_machine.travel(utc(2025, 5, 1, 9, 58), tick=False):
        rule = schedule_rule(alice, "*/5 * * * *")
    assert rule.next_run_at == utc(2025, 5, 1, 10)
    # No beat and no worker from 10:00 to 11:02: twelve slots passed.
    assert services.rules_start_due(now=utc(2025, 5, 1, 11, 2)) == {"started": 1, "skipped": 0}
    task = ScheduledTask.objects.get()
    assert (task.scheduled_at, task.context, task.source) == (
        utc(2025, 5, 1, 10),
        {"missed_slots": 13},
        "schedule",
    )
    assert AutomationRule.objects.get(pk=rule.pk).next_run_at == utc(2025, 5, 1, 11, 5)
    assert services.rules_start_due(now=utc(2025, 5, 1, 11, 3)) == {"started": 0, "skipped": 0}
    assert sent == [task.pk]


def test_two_beats_seeing_the_same_slot_start_it_once(alice, sent):
    with time_machine.travel(utc(2025, 5, 1, 9, 58), tick=False):
        rule = schedule_rule(alice, "0 10 * * *")
    services.rules_start_due(now=utc(2025, 5, 1, 10, 0, 30))
    AutomationRule.objects.filter(pk=rule.pk).update(next_run_at=utc(2025, 5, 1, 10))  # a stale second beat
    try:
        started = services.rules_start_due(now=utc(2025, 5, 1, 10, 0, 40))
    except IntegrityError:  # pragma: no cover - the slot guard must absorb it
        raise
    assert started == {"started": 0, "skipped": 1}
    assert ScheduledTask.objects.count() == 1


def test_a_rule_bound_to_no_site_runs_for_each_site_of_its_account(alice, sent):
    from igny8.accounts import services as accounts

    accounts.site_create(account=alice.account, name="Second", url="https://second.example")
    with time_machine.travel(utc(2025, 5, 1, 9, 58), tick=False):
        schedule_rule(alice, "0 10 * * *", site=False)
    assert services.rules_start_due(now=utc(2025, 5, 1, 10, 1)) == {"started": 2, "skipped": 0}
    assert ScheduledTask.objects.values("site").distinct().count() == 2


def test_paused_rules_do_not_start(alice, sent):
    with time_machine.travel(utc(2025, 5, 1, 9, 58), tick=False):
        rule = schedule_rule(alice, "0 10 * * *")
    AutomationRule.objects.filter(pk=rule.pk).update(status="paused")
    assert services.rules_start_due(now=utc(2025, 5, 1, 10, 1)) == {"started": 0, "skipped": 0}
    assert timezone.is_aware(AutomationRule.objects.get(pk=rule.pk).next_run_at)
