"""The schedule's rules are the service's: schedule_save refuses what the API and the page refuse."""

from datetime import time

import pytest

from igny8.core.errors import Invalid
from igny8.publishing import scheduling
from igny8.publishing.models import PublishSchedule


@pytest.mark.django_db
def test_schedule_save_refuses_an_unknown_time_zone_and_a_reversed_window(alice):
    with pytest.raises(Invalid) as unknown:
        scheduling.schedule_save(site=alice.site, mode="slots", slots=["09:00"], timezone="Mars/Base")
    assert unknown.value.errors == {"timezone": ["Unknown time zone 'Mars/Base'; use e.g. Europe/Berlin."]}
    with pytest.raises(Invalid) as reversed_window:
        scheduling.schedule_save(
            site=alice.site, mode="stagger", window_start=time(17), window_end=time(9), timezone="UTC"
        )
    assert reversed_window.value.errors == {"window_end": ["Must be after window_start."]}
    assert not PublishSchedule.objects.exists()
    saved = scheduling.schedule_save(
        site=alice.site, mode="stagger", window_start=time(9), window_end=time(17), timezone="Europe/Berlin"
    )
    assert (saved.window_start, saved.window_end, saved.timezone) == (time(9), time(17), "Europe/Berlin")
