"""How many provider calls may be in flight at once, found at run time and shared (docs/adr/0009).

A provider's rate limit belongs to the API key, not to one run: every run (in any worker process)
that calls the same provider with the same key and base URL shares one Pace. Its state lives in
the default cache (the database cache table by default, Redis when configured), never in process
memory:

- the level: how many calls may be in flight in total. It starts at AI_CONCURRENCY_START and is
  capped at AI_CONCURRENCY_MAX. Additive increase: one more after each window of successes (a
  window being `level` calls launched while the level held the run back) near the level where the
  last 429 struck; one per success (doubling per window) until the key's first 429 (slow start, as
  in TCP), below 90% of the last 429's level, and past it by one (that 429 was a burst: probe).
  Multiplicative decrease: a 429 steps it back by a quarter when it says how long to wait (the
  pause holds the excess back) and halves it when it does not, once per event (calls launched
  before the last decrease do not decrease it again).
- the pause: a 429's Retry-After (or the backoff wait) holds every new call of the key until then.
- the spacing: once a call has answered, the key's launches are spread over the latency (one per
  latency / level), through a next-launch time every run claims: per-second limits refuse bursts.
- the slots: one cache entry per call in flight, added atomically (cache.add) with a short lease
  (AI_PACE_LEASE_SECONDS) that the run's thread renews on its own timer while the call lasts, not
  with the run's database heartbeat: a worker that dies leaves slots that expire within the lease,
  so the key's other runs wait seconds after a crash, not minutes.

Concurrent updates of the level from two processes can lose one of them (the cache has no
compare-and-swap on every backend); a short lock makes that rare and AIMD corrects the rest."""

from __future__ import annotations

import hashlib
import math
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache as default_cache
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.locmem import LocMemCache

LEVEL_TTL = 3600  # an idle key forgets what it learned after an hour
LOCK_TTL = 2
RECOVERY = 0.9  # fast growth back to this share of the level the last 429 struck at
PROBE_MARGIN = 1.0  # past the last 429's level by this much, growth is fast again
BLIND_DECREASE = 0.5  # a 429 without Retry-After: halve, as AIMD does
HINTED_DECREASE = 0.75  # a 429 with Retry-After: the pause itself holds the excess back
_LOCAL = LocMemCache("igny8-pace", {"TIMEOUT": LEVEL_TTL, "OPTIONS": {"MAX_ENTRIES": 10_000}})


@dataclass(frozen=True)
class Slot:
    index: int
    launched_at: float  # wall clock: compared with decreases written by other processes
    full: bool  # every slot of the level was taken: a success here shows the level is in use


@dataclass
class Level:
    limit: float
    ceiling: float = 0.0  # the level at the last 429
    paused_until: float = 0.0
    decreased_at: float = 0.0
    latency: float = 0.0  # a moving average of an answered call's seconds, over all the key's runs
    next_at: float = 0.0  # no launch of the key before this: launches are spread over the latency


def pace_key(*, provider: str, api_key: str, base_url: str) -> str:
    """The rate limit's owner: one provider, key and address. The key itself is never stored."""
    digest = hashlib.sha256(f"{provider}\n{base_url}\n{api_key}".encode()).hexdigest()[:24]
    return f"igny8:ai-pace:{provider}:{digest}"


# How far the wall clock may fall behind this process's own count before the own count decides.
CLOCK_SLACK_SECONDS = 1.0


def stale_gate_seconds() -> float:
    """No pause we set lasts longer than a capped retry wait or one call's timeout; a gate further
    ahead was written under another clock (a stepped wall clock, a frozen test clock) and is void."""
    return 2 * max(
        settings.AI_RETRY_MAX_SECONDS, settings.AI_TEXT_TIMEOUT_SECONDS, settings.AI_IMAGE_TIMEOUT_SECONDS
    )


class Pace:
    def __init__(
        self,
        *,
        key: str,
        start: int,
        maximum: int,
        cap: int | None = None,
        lease_seconds: float = 120.0,
        cache: BaseCache | None = None,
        clock: Callable[[], float] = time.time,
    ):
        self.key, self.cache, self.clock = key, cache or default_cache, clock
        self.maximum = max(1, maximum)
        self.start = min(max(1, start), self.maximum)
        self.cap = min(max(1, cap or self.maximum), self.maximum)  # this run's own ceiling
        self.lease = lease_seconds
        self.token = uuid.uuid4().hex
        self.held: set[int] = set()
        self.renewed = time.monotonic()
        self._gate: tuple[float, float, float] = (0.0, 0.0, 0.0)  # (gate, monotonic seen, seconds left)

    # -- the shared level ---------------------------------------------------------------------
    def level(self) -> Level:
        stored = self.cache.get(self.key)
        return Level(**stored) if isinstance(stored, dict) else Level(limit=float(self.start))

    def _update(self, change: Callable[[Level], Level | None]) -> Level:
        lock = f"{self.key}:lock"
        locked = False
        for _ in range(10):  # about 50 ms at most; then write anyway (AIMD tolerates a lost update)
            locked = self.cache.add(lock, self.token, timeout=LOCK_TTL)
            if locked:
                break
            time.sleep(0.005)
        try:
            level = self.level()
            changed = change(level)
            if changed is not None:
                self.cache.set(self.key, vars(changed), timeout=LEVEL_TTL)
                level = changed
            return level
        finally:
            if locked:
                self.cache.delete(lock)

    def window(self, level: Level | None = None) -> int:
        """Calls the key may have in flight now, across all runs."""
        level = level or self.level()
        return max(1, min(math.floor(level.limit), self.maximum))

    def _left(self, gate: float, now: float) -> float:
        """Seconds until the shared wall-clock `gate`, also counted on this process's performance
        counter (monotonic, and not frozen by test clocks as time.monotonic is) from when the gate
        was first seen: a wall clock that stands still or steps back (NTP, a frozen test clock) can
        then delay launches by the gate's length at most, never forever."""
        left = gate - now
        if left <= 0 or left > stale_gate_seconds():
            return 0.0  # passed, or written under another clock (no pause of ours is that long)
        seen_gate, seen_at, seen_left = self._gate
        if seen_gate != gate:
            self._gate = (gate, time.perf_counter(), left)
            return left
        waited, approached = time.perf_counter() - seen_at, seen_left - left
        if waited <= approached + CLOCK_SLACK_SECONDS:
            return left  # the wall clock keeps time: its answer is exact
        return max(0.0, seen_left - waited)

    def paused_for(self) -> float:
        """Seconds until new calls may start (0 when they may start now): a 429's pause, or the
        spacing between launches."""
        level = self.level()
        return self._left(max(level.paused_until, level.next_at), self.clock())

    def _claim_launch(self, now: float) -> bool:
        """Takes the key's next launch time. Launches are spread over a call's latency (level calls
        per latency) rather than sent in bursts, by every run of the key together: a limit counted
        per second refuses bursts that the level itself would allow. Until a call has answered
        the latency is unknown and launches are not spread."""
        claimed = False

        def claim(level: Level) -> Level | None:
            nonlocal claimed
            if not level.latency:
                claimed = True
                return None
            if self._left(level.next_at, now) > 0:
                return None
            claimed = True
            level.next_at = max(now, level.next_at) + level.latency / self.window(level)
            return level

        self._update(claim)
        return claimed

    # -- slots ----------------------------------------------------------------------------------
    def _slot_key(self, index: int) -> str:
        return f"{self.key}:slot:{index}"

    def try_acquire(self) -> Slot | None:
        """A slot for one call, or None when the key is paused, full, or this run is at its cap."""
        if len(self.held) >= self.cap:
            return None
        now, level = self.clock(), self.level()
        if self._left(max(level.paused_until, level.next_at), now) > 0:
            return None
        window = self.window(level)
        keys = [self._slot_key(i) for i in range(self.maximum)]
        taken = self.cache.get_many(keys)
        if len(taken) >= window or not self._claim_launch(now):
            return None
        for index, key in enumerate(keys):
            if key not in taken and self.cache.add(key, self.token, timeout=self.lease):
                self.held.add(index)
                return Slot(index=index, launched_at=now, full=len(taken) + 1 >= window)
        return None

    def release(self, slot: Slot) -> None:
        if slot.index in self.held:
            self.held.discard(slot.index)
            key = self._slot_key(slot.index)
            if self.cache.get(key) == self.token:
                self.cache.delete(key)

    def release_all(self) -> None:
        for index in list(self.held):
            self.release(Slot(index=index, launched_at=0.0, full=False))

    def renew(self) -> None:
        """Extends the leases of this run's slots."""
        self.renewed = time.monotonic()
        for index in self.held:
            self.cache.touch(self._slot_key(index), self.lease)

    def keep(self) -> None:
        """Renews the slots when a fifth of the lease has passed: called on every turn of the run's
        loop (its own thread, as the cache's writes must be: pool threads could stall on SQLite's
        write lock), so a slot outlives a slow turn four times over before another run may take it."""
        if self.held and time.monotonic() - self.renewed >= self.lease / 5:
            self.renew()

    # -- what the calls tell ----------------------------------------------------------------------
    def succeeded(self, slot: Slot, *, seconds: float | None = None) -> None:
        """A call answered; `seconds` is how long it took (None when it waited between attempts,
        which says nothing of the latency)."""

        def grow(level: Level) -> Level | None:
            timed = seconds is not None
            if timed:
                level.latency = seconds if not level.latency else 0.8 * level.latency + 0.2 * seconds
            # A success while slots were free says nothing about a higher level.
            if not slot.full or slot.launched_at < level.decreased_at or level.limit >= self.maximum:
                return level if timed else None
            # One per success (doubling per window) until a first 429 (slow start), below 90% of
            # the last one's level (recovery) and once past it by one (that 429 was a burst, not
            # the limit: probe again); near the last 429's level, one per window.
            fast = (
                not level.ceiling
                or level.limit < RECOVERY * level.ceiling
                or level.limit >= level.ceiling + PROBE_MARGIN
            )
            step = 1.0 if fast else 1.0 / max(1.0, math.floor(level.limit))
            level.limit = min(float(self.maximum), level.limit + step)
            return level

        self._update(grow)

    def limited(self, *, launched_at: float, wait: float, hinted: bool = False) -> None:
        """A call launched at `launched_at` got a 429; nothing new starts for `wait` seconds.
        `hinted`: the server said how long to wait (Retry-After, retry-after-ms). The pause then
        drains the excess by itself, so the level only steps back by a quarter; a blind 429 halves it."""
        now = self.clock()

        def decrease(level: Level) -> Level:
            if launched_at >= level.decreased_at:
                level.ceiling = level.limit
                level.limit = max(1.0, level.limit * (HINTED_DECREASE if hinted else BLIND_DECREASE))
                level.decreased_at = now
            level.paused_until = max(level.paused_until, now + max(0.0, wait))
            return level

        self._update(decrease)


def pace_for(*, provider: str, api_key: str, base_url: str, cap: int | None) -> Pace:
    """The Pace of one provider configuration. The offline provider has no rate limit to find:
    its pace lives in process memory and starts at the maximum."""
    maximum = settings.AI_CONCURRENCY_MAX
    if provider == "offline":
        return Pace(key="offline", start=maximum, maximum=maximum, cap=cap, cache=_LOCAL)
    return Pace(
        key=pace_key(provider=provider, api_key=api_key, base_url=base_url),
        start=settings.AI_CONCURRENCY_START,
        maximum=maximum,
        cap=cap,
        lease_seconds=settings.AI_PACE_LEASE_SECONDS,
    )


def heartbeat_seconds() -> float:
    """How often a run proves it is alive while calls are in flight: AI_HEARTBEAT_SECONDS, and
    never less often than four times per AI_RUN_STALE_SECONDS."""
    return max(0.05, min(float(settings.AI_HEARTBEAT_SECONDS), settings.AI_RUN_STALE_SECONDS / 4))
