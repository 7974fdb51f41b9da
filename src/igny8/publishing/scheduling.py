"""Our own publishing schedule: contents get times from the site's slots (or spread over a daily
window) with a daily cap, and the beat task publishes them when due, so a site whose WP-Cron
never fires still publishes on time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from igny8.accounts.models import Site
from igny8.core import jobs
from igny8.publishing import schedule_rules, selectors
from igny8.publishing.models import PublishRecord, PublishSchedule, PublishStatus, ScheduleMode, WPStatus
from igny8.publishing.services import STALE_CLAIM, record_get
from igny8.writer.models import Content

HORIZON_DAYS = 366


def day_times(schedule: PublishSchedule) -> list[time]:
    """The local times one day offers, at most daily_cap of them."""
    if schedule.mode == ScheduleMode.STAGGER:
        start = schedule.window_start or time(9, 0)
        end = schedule.window_end or time(17, 0)
        span = (datetime.combine(date.min, end) - datetime.combine(date.min, start)).total_seconds()
        step = max(span, 0) / schedule.daily_cap
        return [
            (datetime.combine(date.min, start) + timedelta(seconds=round(step * i))).time()
            for i in range(schedule.daily_cap)
        ]
    slots = sorted({time.fromisoformat(s) for s in schedule.slots}) or [time(9, 0)]
    return slots[: schedule.daily_cap]


def slots_compute(
    *, schedule: PublishSchedule, start: datetime, count: int, taken: list[datetime]
) -> list[datetime]:
    """The next `count` free times after `start` (UTC datetimes), at most daily_cap a local day
    counting what is already taken, and never a taken time twice."""
    zone = ZoneInfo(schedule.timezone or "UTC")
    taken_set = {t.astimezone(UTC) for t in taken}
    per_day: dict[date, int] = {}
    for moment in taken_set:
        day = moment.astimezone(zone).date()
        per_day[day] = per_day.get(day, 0) + 1
    found: list[datetime] = []
    day = start.astimezone(zone).date()
    for _ in range(HORIZON_DAYS):
        for local in day_times(schedule):
            if len(found) == count:
                return found
            moment = datetime.combine(day, local, tzinfo=zone).astimezone(UTC)
            if moment <= start or moment in taken_set or per_day.get(day, 0) >= schedule.daily_cap:
                continue
            found.append(moment)
            per_day[day] = per_day.get(day, 0) + 1
        day += timedelta(days=1)
    return found


@transaction.atomic
def schedule_save(*, site: Site, **fields) -> PublishSchedule:
    schedule_rules.schedule_check(
        timezone=fields.get("timezone"),
        window_start=fields.get("window_start"),
        window_end=fields.get("window_end"),
    )
    schedule, _ = PublishSchedule.objects.update_or_create(
        site=site, defaults={"account_id": site.account_id, **fields}
    )
    return schedule


@transaction.atomic
def contents_schedule(
    *, site: Site, contents: list[Content], start: datetime | None = None
) -> list[PublishRecord]:
    """Gives each content the next free time of the site's schedule (in the order given); the
    worker publishes it then. Already-scheduled contents are moved to a new time."""
    schedule = selectors.schedule_for(site=site)
    ids = [c.pk for c in contents]
    taken = list(
        PublishRecord.objects.filter(site=site, status=PublishStatus.SCHEDULED)
        .exclude(content_id__in=ids)
        .values_list("scheduled_for", flat=True)
    )
    times = slots_compute(schedule=schedule, start=start or timezone.now(), count=len(contents), taken=taken)
    records = []
    for content, moment in zip(contents, times, strict=False):
        record = record_get(content=content)
        PublishRecord.objects.filter(pk=record.pk).exclude(status=PublishStatus.PUBLISHING).update(
            status=PublishStatus.SCHEDULED,
            scheduled_for=moment,
            wp_status=WPStatus.PUBLISH,
            wp_date=None,
            error="",
        )
        Content.objects.filter(pk=content.pk).update(scheduled_at=moment)
        record.refresh_from_db()
        records.append(record)
    return records


# A failed publication is tried again (1, 2, 4 ... minutes after its last try) until it has been
# tried this many times; then it stays failed with its reason.
PUBLISH_MAX_ATTEMPTS = 3
RETRY_BASE = timedelta(minutes=1)
# A queued record whose broker message was lost; a publication whose worker died mid-send.
LOST_AFTER = timedelta(minutes=2)
STALE_PUBLISHING = STALE_CLAIM  # the claim takes such a record over then


def due_records(*, now: datetime | None = None) -> list[int]:
    """What beat's publish_due sends (issue 12, point 5): scheduled records whose time has come,
    queued ones a lost broker message left behind, publications a dead worker left, and failed
    ones due for another try (bounded backoff, at most PUBLISH_MAX_ATTEMPTS tries in all)."""
    now = now or timezone.now()
    due = list(
        PublishRecord.objects.filter(status=PublishStatus.SCHEDULED, scheduled_for__lte=now)
        .order_by("scheduled_for", "id")
        .values_list("pk", flat=True)[:100]
    )
    lost = jobs.stale_q(
        status=PublishStatus.QUEUED, seconds=LOST_AFTER.total_seconds(), now=now, field="updated_at"
    )
    dead = jobs.stale_q(
        status=PublishStatus.PUBLISHING, seconds=STALE_PUBLISHING.total_seconds(), now=now, field="updated_at"
    )
    due += (
        PublishRecord.objects.filter(lost | dead)
        .order_by("updated_at", "id")
        .values_list("pk", flat=True)[:100]
    )
    failed = PublishRecord.objects.filter(
        status=PublishStatus.FAILED, attempts__gte=1, attempts__lt=PUBLISH_MAX_ATTEMPTS
    ).order_by("updated_at", "id")[:500]
    due += [r.pk for r in failed if r.updated_at <= now - RETRY_BASE * 2 ** (r.attempts - 1)][:100]
    return due
