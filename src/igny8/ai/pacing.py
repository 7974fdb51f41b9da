"""How many provider calls may be in flight at once, found at run time and shared (docs/adr/0008).

A provider's rate limit belongs to the API key, not to one run: every run (in any worker process)
that calls the same provider with the same key and base URL shares one Pace. Its state lives in
the default cache (the database cache table by default, Redis when configured), never in process
memory:

- the level: how many calls may be in flight in total. It starts at AI_CONCURRENCY_START and is
  capped at AI_CONCURRENCY_MAX. Additive increase: one more after each window of successes (a
  window being `level` calls launched while all slots were taken). Multiplicative decrease: a 429
  halves it, once per event (calls launched before the last decrease do not halve it again).
  Until the key's first 429 (slow start, as in TCP) and below 90% of the level where the last 429
  struck, it grows one per success instead (doubling per window): a short run finds the limit in
  a few windows, and a halving costs about one window rather than many.
- the pause: a 429's Retry-After (or the backoff wait) holds every new call of the key until then.
- the slots: one cache entry per call in flight, added atomically (cache.add) with a lease that
  the run renews while the call lasts; a worker that dies leaves slots that expire on their own.

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


def pace_key(*, provider: str, api_key: str, base_url: str) -> str:
    """The rate limit's owner: one provider, key and address. The key itself is never stored."""
    digest = hashlib.sha256(f"{provider}\n{base_url}\n{api_key}".encode()).hexdigest()[:24]
    return f"igny8:ai-pace:{provider}:{digest}"


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

    def paused_for(self) -> float:
        """Seconds until new calls may start (0 when they may start now)."""
        return max(0.0, self.level().paused_until - self.clock())

    # -- slots ----------------------------------------------------------------------------------
    def _slot_key(self, index: int) -> str:
        return f"{self.key}:slot:{index}"

    def try_acquire(self) -> Slot | None:
        """A slot for one call, or None when the key is paused, full, or this run is at its cap."""
        if len(self.held) >= self.cap:
            return None
        now, level = self.clock(), self.level()
        if level.paused_until > now:
            return None
        window = self.window(level)
        keys = [self._slot_key(i) for i in range(self.maximum)]
        taken = self.cache.get_many(keys)
        if len(taken) >= window:
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
        """Extends the leases of this run's slots: called with the run's heartbeat."""
        for index in self.held:
            self.cache.touch(self._slot_key(index), self.lease)

    # -- what the calls tell ----------------------------------------------------------------------
    def succeeded(self, slot: Slot) -> None:
        if not slot.full:
            return  # the level was not in use: a success says nothing about a higher one

        def grow(level: Level) -> Level | None:
            if slot.launched_at < level.decreased_at or level.limit >= self.maximum:
                return None
            # Until a first 429 (slow start) and below 90% of the last one's level: one per success.
            recovering = not level.ceiling or level.limit < RECOVERY * level.ceiling
            step = 1.0 if recovering else 1.0 / max(1.0, math.floor(level.limit))
            level.limit = min(float(self.maximum), level.limit + step)
            return level

        self._update(grow)

    def limited(self, *, launched_at: float, wait: float) -> None:
        """A call launched at `launched_at` got a 429; nothing new starts for `wait` seconds."""
        now = self.clock()

        def halve(level: Level) -> Level:
            if launched_at >= level.decreased_at:
                level.ceiling = level.limit
                level.limit = max(1.0, level.limit / 2)
                level.decreased_at = now
            level.paused_until = max(level.paused_until, now + max(0.0, wait))
            return level

        self._update(halve)


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
        lease_seconds=max(60.0, 4 * heartbeat_seconds()),
    )


def heartbeat_seconds() -> float:
    """How often a run proves it is alive while calls are in flight: AI_HEARTBEAT_SECONDS, and
    never less often than four times per AI_RUN_STALE_SECONDS."""
    return max(0.05, min(float(settings.AI_HEARTBEAT_SECONDS), settings.AI_RUN_STALE_SECONDS / 4))
