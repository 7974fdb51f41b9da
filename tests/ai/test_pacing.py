"""The adaptive limit on calls in flight (ai.pacing): AIMD, Retry-After, and one shared state per
provider key. Two Pace objects on one cache stand for two runs (or two worker processes)."""

import json
import time

import httpx2
import pytest
from django.core.cache import cache as default_cache
from django.core.cache.backends.locmem import LocMemCache

from igny8.ai import inflight, pacing
from igny8.ai.providers import factory
from igny8.ai.providers.base import ProviderError, RetryPolicy
from igny8.ai.providers.openai import OpenAIProvider
from tests.ai.helpers import start, work
from tests.openai_fakes import chat_response


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def shared():
    """A cache standing in for the shared one, cleared per test."""
    store = LocMemCache("pace-test", {"OPTIONS": {"MAX_ENTRIES": 1000}})
    store.clear()
    return store


def make(shared, clock, *, start=4, maximum=32, cap=None, key="k") -> pacing.Pace:
    return pacing.Pace(key=key, start=start, maximum=maximum, cap=cap, cache=shared, clock=clock)


def fill(pace: pacing.Pace) -> list[pacing.Slot]:
    slots = []
    while (slot := pace.try_acquire()) is not None:
        slots.append(slot)
    return slots


def test_starts_at_the_configured_level_and_a_release_frees_a_slot(shared):
    clock = Clock()
    pace = make(shared, clock)
    slots = fill(pace)
    assert [(s.index, s.full) for s in slots] == [(0, False), (1, False), (2, False), (3, True)]
    pace.release(slots[1])
    assert pace.try_acquire().index == 1


def test_until_the_first_429_it_grows_by_one_per_success_and_never_past_the_max(shared):
    clock = Clock()
    pace = make(shared, clock, maximum=10)
    full = pacing.Slot(index=0, launched_at=clock.now, full=True)
    for _ in range(4):  # a window of successes, each while all slots were taken: slow start doubles
        pace.succeeded(full)
    assert pace.level().limit == 8.0
    for _ in range(5):
        pace.succeeded(full)
    assert pace.level().limit == 10.0


def test_after_a_429_it_grows_by_one_per_window_of_successes(shared):
    clock = Clock()
    pace = make(shared, clock, start=4)
    pace.limited(launched_at=clock.now, wait=0)  # 4 -> 2, the last 429 at 4
    clock.now += 1
    full = pacing.Slot(index=0, launched_at=clock.now, full=True)
    for _ in range(2):  # 2 + 1 + 1: at 4, past 90% of 4, growth slows to one per window
        pace.succeeded(full)
    assert pace.level().limit == 4.0
    for _ in range(4):
        pace.succeeded(full)
    assert pace.level().limit == 5.0


def test_a_success_while_slots_were_free_does_not_grow_the_level(shared):
    clock = Clock()
    pace = make(shared, clock)
    pace.succeeded(pacing.Slot(index=0, launched_at=clock.now, full=False))
    assert pace.level().limit == 4.0


def test_a_429_halves_once_per_event_and_pauses_new_calls_for_retry_after(shared):
    clock = Clock()
    pace = make(shared, clock, start=8)
    launched = clock.now
    clock.now += 1
    for _ in range(5):  # five calls of the same burst answered 429
        pace.limited(launched_at=launched, wait=2.5)
    level = pace.level()
    assert (level.limit, level.ceiling, level.paused_until) == (4.0, 8.0, 1003.5)
    assert pace.try_acquire() is None and pace.paused_for() == 2.5
    clock.now = 1003.5
    assert len(fill(pace)) == 4
    # A call launched after the decrease that is refused again halves again.
    pace.limited(launched_at=clock.now, wait=1.0)
    assert pace.level().limit == 2.0


def test_below_the_last_429_level_it_grows_back_one_per_success(shared):
    clock = Clock()
    pace = make(shared, clock, start=16)
    pace.limited(launched_at=clock.now, wait=0)
    clock.now += 1
    full = pacing.Slot(index=0, launched_at=clock.now, full=True)
    for _ in range(6):
        pace.succeeded(full)
    assert pace.level().limit == 14.0  # 8 + 6: fast while below 90% of 16
    pace.succeeded(full)
    pace.succeeded(full)
    assert pace.level().limit == 15.0 + 1 / 15  # 14 + 1 = 15 >= 14.4: then one per window


def test_a_429_with_retry_after_steps_back_a_quarter_and_a_blind_one_halves(shared):
    clock = Clock()
    pace = make(shared, clock, start=12)
    pace.limited(launched_at=clock.now, wait=0.2, hinted=True)
    assert (pace.level().limit, pace.level().ceiling) == (9.0, 12.0)
    clock.now += 1
    pace.limited(launched_at=clock.now, wait=2.0)  # no Retry-After: the backoff wait, and a halving
    assert (pace.level().limit, pace.level().ceiling, pace.paused_for()) == (4.5, 9.0, 2.0)


def test_past_the_last_429s_level_growth_is_fast_again(shared):
    clock = Clock()
    pace = make(shared, clock, start=4)
    pace.limited(launched_at=clock.now, wait=0, hinted=True)  # 4 -> 3: the 429 of a burst
    clock.now += 1
    full = pacing.Slot(index=0, launched_at=clock.now, full=True)
    pace.succeeded(full)  # 3 -> 4: below 90% of 4, fast
    assert pace.level().limit == 4.0
    for _ in range(4):  # near the last 429's level: one per window of 4
        pace.succeeded(full)
    assert pace.level().limit == 5.0
    for _ in range(3):  # past it by one: probing again, one per success
        pace.succeeded(full)
    assert pace.level().limit == 8.0


def test_launches_are_spread_over_the_latency_for_every_run_of_the_key(shared):
    clock = Clock()
    first, second = make(shared, clock, start=4), make(shared, clock, start=4)
    assert len(fill(first)) == 4  # the latency is not known yet: no spreading
    first.release_all()
    first.succeeded(pacing.Slot(index=0, launched_at=clock.now, full=False), seconds=2.0)
    assert (first.level().latency, first.level().limit) == (2.0, 4.0)  # slots were free: no growth
    assert first.try_acquire() is not None
    # The next launch of the key, in any run, comes a latency / level later: 2 s / 4.
    assert (second.try_acquire(), second.paused_for()) == (None, 0.5)
    clock.now += 0.5
    assert second.try_acquire() is not None and first.try_acquire() is None
    # A call that waited between attempts (a 429's Retry-After) says nothing of the latency.
    first.succeeded(pacing.Slot(index=0, launched_at=clock.now, full=False), seconds=None)
    first.succeeded(pacing.Slot(index=0, launched_at=clock.now, full=False), seconds=4.0)
    assert first.level().latency == pytest.approx(2.4)  # a moving average: 0.8 * 2 + 0.2 * 4


def test_two_runs_on_one_key_share_the_level_and_the_slots(shared):
    clock = Clock()
    first, second = make(shared, clock), make(shared, clock)
    assert (len(fill(first)), len(fill(second))) == (4, 0)
    first.limited(launched_at=clock.now, wait=0)
    assert second.level().limit == 2.0
    other_key = make(shared, clock, key="other")
    assert len(fill(other_key)) == 4


def test_a_runs_own_cap_holds_under_a_higher_level(shared):
    clock = Clock()
    capped, free = make(shared, clock, cap=2), make(shared, clock)
    assert (len(fill(capped)), len(fill(free))) == (2, 2)


def test_slots_of_a_dead_worker_expire_with_their_lease(shared):
    clock = Clock()
    dead = pacing.Pace(key="k", start=1, maximum=4, cache=shared, clock=clock, lease_seconds=0.05)
    assert dead.try_acquire() is not None
    alive = make(shared, clock, start=1, maximum=4)
    assert alive.try_acquire() is None
    time.sleep(0.1)
    assert alive.try_acquire() is not None


def test_a_live_run_keeps_its_slot_on_its_own_timer_past_the_lease(shared):
    """Renewed every fifth of the lease by the run's loop (Pace.keep), not by the run's database
    heartbeat: a live slot outlives its lease, a dead worker's expires within it."""
    clock = Clock()
    live = pacing.Pace(key="k", start=1, maximum=1, cache=shared, clock=clock, lease_seconds=0.5)
    assert live.try_acquire() is not None
    other = make(shared, clock, start=1, maximum=1)
    for _ in range(10):  # 1 s: twice the lease
        time.sleep(0.1)
        live.keep()
        assert other.try_acquire() is None
    renewed = live.renewed
    live.keep()  # not due yet: no cache write
    assert live.renewed == renewed
    time.sleep(0.6)  # the run's loop stopped turning (its worker died): the slot expires
    assert other.try_acquire() is not None


def test_the_lease_is_the_setting_not_the_heartbeat(settings):
    settings.AI_PACE_LEASE_SECONDS, settings.AI_HEARTBEAT_SECONDS = 12.0, 30
    assert pacing.pace_for(provider="openai", api_key="k", base_url="", cap=None).lease == 12.0


def test_the_key_names_provider_key_and_address_without_the_key_itself():
    one = pacing.pace_key(provider="openai", api_key="sk-secret", base_url="")
    assert one.startswith("igny8:ai-pace:openai:") and "sk-secret" not in one
    assert one != pacing.pace_key(provider="openai", api_key="sk-other", base_url="")
    assert one != pacing.pace_key(provider="openai", api_key="sk-secret", base_url="http://127.0.0.1:8080/v1")


def test_offline_runs_start_at_the_max_in_process_memory(settings):
    settings.AI_CONCURRENCY_START, settings.AI_CONCURRENCY_MAX = 4, 8
    pace = pacing.pace_for(provider="offline", api_key="", base_url="", cap=None)
    assert pace.cache is pacing._LOCAL and pace.window() == 8
    assert pacing.pace_for(provider="openai", api_key="k", base_url="", cap=3).cache is default_cache


def test_the_database_cache_carries_the_shared_state(db, settings):
    settings.AI_CONCURRENCY_START, settings.AI_CONCURRENCY_MAX = 2, 8
    first = pacing.pace_for(provider="openai", api_key="k", base_url="", cap=None)
    second = pacing.pace_for(provider="openai", api_key="k", base_url="", cap=None)
    slots = fill(first)
    assert (len(slots), second.try_acquire()) == (2, None)
    first.renew()
    first.limited(launched_at=slots[0].launched_at, wait=0)
    assert second.level().limit == 1.0
    first.release_all()
    assert second.try_acquire() is not None


def test_the_heartbeat_is_at_most_a_quarter_of_the_stale_time(settings):
    settings.AI_HEARTBEAT_SECONDS, settings.AI_RUN_STALE_SECONDS = 30, 900
    assert pacing.heartbeat_seconds() == 30
    settings.AI_RUN_STALE_SECONDS = 2
    assert pacing.heartbeat_seconds() == 0.5


# -- through the engine, with the real SDK --------------------------------------------------------
def limited(retry_after: str) -> httpx2.Response:
    return httpx2.Response(
        429,
        headers={"retry-after": retry_after},
        json={"error": {"message": "Rate limit reached for requests", "type": "requests", "code": None}},
    )


def test_a_429_decreases_the_keys_shared_level_once_and_no_item_is_lost(
    alice, enqueued, monkeypatch, settings, django_capture_on_commit_callbacks
):
    settings.OPENAI_API_KEY = "sk-test"
    settings.AI_CONCURRENCY_START, settings.AI_CONCURRENCY_MAX = 4, 4
    ok = chat_response('{"title": "T", "tags": []}')
    # Item 1 is refused twice (both of its attempts), goes back to the queue, then is answered.
    script = {"Write item 1": [limited("0"), limited("0.5"), ok], "Write item 2": [ok]}
    sleeps: list[float] = []

    def handler(request):
        prompt = json.loads(request.content)["messages"][-1]["content"]
        return script[prompt].pop(0)

    def build(config):
        return OpenAIProvider(
            api_key=config.api_key,
            retry=RetryPolicy(attempts=2, sleep=sleeps.append),
            http_client=httpx2.Client(transport=httpx2.MockTransport(handler)),
        )

    monkeypatch.setattr(factory, "build_provider", build)
    run = work(start(alice, "test_per_item", {"ids": [1, 2]}, django_capture_on_commit_callbacks))
    assert (run.status, run.items_succeeded, run.items_failed) == ("success", 2, 0)
    assert script == {"Write item 1": [], "Write item 2": []}
    assert sleeps == [0.0]  # between item 1's two attempts: its Retry-After
    level = default_cache.get(pacing.pace_key(provider="openai", api_key="sk-test", base_url=""))
    # One burst of 429s, one decrease; they carried Retry-After, so a quarter rather than a half.
    assert (level["limit"], level["ceiling"]) == (3.0, 4.0)


def test_the_guard_keeps_the_providers_retry_policy_and_adds_its_hooks():
    policy = RetryPolicy(attempts=3, base_seconds=1.5, max_seconds=9.0)
    provider = OpenAIProvider(api_key="k", retry=policy)
    guard = inflight.Guard(provider)
    paced = provider.retry
    assert (paced.attempts, paced.base_seconds, paced.max_seconds) == (3, 1.5, 9.0)
    inflight._flight.launched_at = 5.0
    assert paced.wait_for(1, ProviderError("slow down", retryable=True, status=429, retry_after=7)) == 7
    assert paced.wait_for(2, ProviderError("oops", retryable=True, status=500)) == 3.0
    assert guard.drain() == [inflight.Limited(launched_at=5.0, wait=7, hinted=True)]
    guard.cancel()
    with pytest.raises(inflight.Cancelled):
        paced.sleep(30)  # a cancelled run's retry wait ends at once


# -- images: the account's setting is an optional cap, blank is adaptive --------------------------
def test_image_runs_are_paced_like_text_unless_the_account_caps_them(settings):
    from igny8.ai.base import RunContext
    from igny8.system.integrations import ImageGenerationSettings, defaults_for
    from igny8.writer.ai.generate_images import GenerateImagesFunction

    settings.AI_CONCURRENCY_MAX = 16
    assert defaults_for("image_generation")["concurrency"] is None
    function = GenerateImagesFunction()
    blank = RunContext(account=None, payload={}, image_settings={"concurrency": None})
    assert function.concurrency(blank) == 16
    assert function.concurrency(RunContext(account=None, payload={}, image_settings={"concurrency": 3})) == 3
    form = ImageGenerationSettings(data={"concurrency": ""}, partial=True)  # the form's cleared field
    assert form.is_valid() and form.validated_data == {"concurrency": None}
    too_many = ImageGenerationSettings(data={"concurrency": "9"}, partial=True)
    assert not too_many.is_valid()
    assert too_many.errors == {"concurrency": ["Ensure this value is less than or equal to 8."]}


def test_the_settings_form_shows_and_saves_a_blank_image_cap(alice):
    from django.test import Client

    from igny8.system.models import IntegrationSettings

    web = Client()
    web.force_login(alice.user)
    assert 'placeholder="adaptive" value=""' in web.get("/settings/").content.decode()
    assert web.post("/settings/integrations/image_generation/", {"concurrency": "3"}).status_code == 302
    row = IntegrationSettings.objects.get(account=alice.account, integration_type="image_generation")
    assert row.config["concurrency"] == 3
    assert 'placeholder="adaptive" value="3"' in web.get("/settings/").content.decode()
    assert web.post("/settings/integrations/image_generation/", {"concurrency": ""}).status_code == 302
    row.refresh_from_db()
    assert row.config["concurrency"] is None


def test_a_wall_clock_that_stands_still_delays_launches_by_the_gate_at_most(shared, monkeypatch):
    """A stalled or stepped-back wall clock (NTP, a frozen test clock) must not hold launches for
    ever: past a second of disagreement, this process's own counter decides."""
    clock = Clock()
    pace = make(shared, clock)
    pace._update(lambda level: pacing.Level(**{**vars(level), "paused_until": clock.now + 0.5}))
    counter = [100.0]
    monkeypatch.setattr(pacing.time, "perf_counter", lambda: counter[0])
    assert pace.paused_for() == 0.5
    counter[0] += 0.9  # within the slack: the (frozen) wall clock still answers exactly
    assert pace.paused_for() == 0.5
    counter[0] += 0.7  # 1.6 s waited while the wall clock stood still
    assert (pace.paused_for(), pace.try_acquire() is not None) == (0.0, True)


def test_a_gate_written_under_another_clock_is_void(shared, settings):
    """A pause further ahead than any we set (a capped retry wait, a call's timeout) was written by
    a clock that has since stepped back: it does not hold launches."""
    settings.AI_RETRY_MAX_SECONDS, settings.AI_TEXT_TIMEOUT_SECONDS, settings.AI_IMAGE_TIMEOUT_SECONDS = (
        60,
        120,
        180,
    )
    clock = Clock()
    pace = make(shared, clock)
    pace._update(lambda level: pacing.Level(**{**vars(level), "next_at": clock.now + 361}))
    assert (pace.paused_for(), pace.try_acquire() is not None) == (0.0, True)
    pace._update(lambda level: pacing.Level(**{**vars(level), "next_at": clock.now + 359}))
    assert pace.paused_for() == 359
