"""A run's provider calls in flight: launched as the pace allows, each on a pool thread, landed in
order; the run's thread can stop them now and hears about the 429s they meet between attempts.

A cancelled run must not wait for a call that hangs (up to the timeout, per attempt). Closing an
HTTP client does not wake a thread blocked reading its socket; shutting the socket down does. So
`abort()` shuts down every open connection of the provider's HTTP clients (the call fails at
once), and the retry loop's sleep becomes a wait on the cancel event that raises Cancelled, so no
further attempt starts. A provider whose clients cannot be found still ends its run on time: the
engine stops waiting for it and the pool thread ends with its call."""

from __future__ import annotations

import dataclasses
import logging
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

import httpx
import httpx2
import openai
from django.conf import settings

from igny8.ai.items import Flight
from igny8.ai.pacing import Pace, heartbeat_seconds
from igny8.ai.providers.base import ProviderError, RetryPolicy

log = logging.getLogger(__name__)
_flight = threading.local()  # the launch time of the call this pool thread is making


class Cancelled(Exception):
    """The run was cancelled while this call was in flight."""

    message = "Cancelled before this item finished."

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class _PacedPolicy(RetryPolicy):
    """The provider's own retry policy (attempts, waits) that also tells the run about each wait."""

    report: object = None

    def wait_for(self, attempt: int, error: BaseException | None) -> float:
        wait = super().wait_for(attempt, error)
        if self.report is not None:
            self.report(error, wait)
        return wait


@dataclass(frozen=True)
class Limited:
    launched_at: float
    wait: float
    hinted: bool = False  # the server said how long to wait


class Guard:
    """One per run: the cancel event, the 429s heard on pool threads, and the provider's sockets."""

    def __init__(self, provider: object):
        self.provider = provider
        self.cancelled = threading.Event()
        self.limited: deque[Limited] = deque()  # appended on pool threads, drained on the run's
        policy = getattr(provider, "retry", None)
        if isinstance(policy, RetryPolicy):
            provider.retry = self._paced(policy)

    def _paced(self, policy: RetryPolicy) -> RetryPolicy:
        inner = policy.sleep

        def sleep(seconds: float) -> None:
            if inner is time.sleep:
                self.cancelled.wait(seconds)  # a cancel ends the wait at once
            else:
                self.check()
                inner(seconds)  # a test's own sleep
            self.check()

        fields = {f.name: getattr(policy, f.name) for f in dataclasses.fields(RetryPolicy)}
        return _PacedPolicy(**{**fields, "sleep": sleep, "report": self._report})

    def _report(self, error: BaseException | None, wait: float) -> None:
        if getattr(error, "status", None) == 429:
            hinted = getattr(error, "retry_after", None) is not None
            launched_at = getattr(_flight, "launched_at", 0.0)
            self.limited.append(Limited(launched_at=launched_at, wait=wait, hinted=hinted))

    def drain(self) -> list[Limited]:
        heard = []
        while self.limited:
            heard.append(self.limited.popleft())
        return heard

    # -- on the pool thread ---------------------------------------------------------------------
    def flying(self, launched_at: float) -> None:
        _flight.launched_at = launched_at
        self.check()

    def check(self) -> None:
        if self.cancelled.is_set():
            raise Cancelled()

    # -- on the run's thread --------------------------------------------------------------------
    def cancel(self) -> None:
        self.cancelled.set()
        closed = sum(_shut_down(client) for client in _http_clients(self.provider))
        log.info("Cancelled: %d provider connection(s) shut down", closed)


def _http_clients(provider: object) -> list[httpx.Client | httpx2.Client]:
    """The HTTP clients a provider holds as attributes (openai.OpenAI keeps its own inside)."""
    found = []
    for value in vars(provider).values() if hasattr(provider, "__dict__") else ():
        if isinstance(value, openai.OpenAI):
            value = value._client
        if isinstance(value, httpx.Client | httpx2.Client):
            found.append(value)
    return found


def _shut_down(client: httpx.Client | httpx2.Client) -> int:
    """Shuts down the sockets of the client's open connections: a thread blocked reading one gets
    an error now. Reaches into httpcore's pool, so any surprise there is logged, never raised."""
    closed = 0
    try:
        transports = [client._transport, *client._mounts.values()]
        for transport in transports:
            pool = getattr(transport, "_pool", None)
            for connection in list(getattr(pool, "connections", [])):
                stream = getattr(getattr(connection, "_connection", None), "_network_stream", None)
                sock = stream.get_extra_info("socket") if stream is not None else None
                if sock is not None:
                    try:
                        sock.shutdown(socket.SHUT_RDWR)
                        closed += 1
                    except OSError:
                        pass  # already closed
    except Exception:  # best effort: the run ends on time regardless
        log.exception("Could not shut down a provider connection")
    return closed


# -- the run's items in flight ------------------------------------------------------------------
TICK_SECONDS = 0.5  # the longest the run's thread waits between looks at its calls
POLL_SECONDS = 0.25  # with items waiting for a slot: how often the shared pace is read again
CANCEL_POLL_SECONDS = 1.0  # how often a run with nothing to launch reads its cancel flag
CANCEL_GRACE_SECONDS = 2.0  # after a cancel, how long aborted calls get to return
RATE_LIMIT_REQUEUES = 3  # an item whose call ran out of attempts on 429s goes back to the queue


def _rate_limited(error: BaseException | None) -> bool:
    return isinstance(error, ProviderError) and error.retryable and error.status == 429


class Flights:
    """Launches a run's items as the Pace allows, flies each on a pool thread, and lands them in
    item order on the run's thread; in between it hears 429s, beats and watches for a cancel.
    `launch`, `land` and `stopped` run on the run's thread (they write the database); `fly` on a
    pool thread (it must not)."""

    def __init__(
        self,
        *,
        total: int,
        pace: Pace,
        guard: Guard,
        recorder,
        launch: Callable[[int], Flight],
        fly: Callable[[Flight], Flight],
        land: Callable[[Flight], None],
        stopped: Callable[[Flight], None],
    ):
        self.total, self.pace, self.guard, self.rec = total, pace, guard, recorder
        self.launch, self.fly, self.land, self.stopped = launch, fly, land, stopped
        self.queue: deque[int] = deque(range(total))
        self.launched: dict[int, Flight] = {}  # progress written and prompt built, once per item
        self.flying: dict[Future, Flight] = {}
        self.answered: dict[int, Flight] = {}  # back from the provider, waiting to land in order
        self.landed = 0
        self.checked = time.monotonic()  # the last read of the cancel flag
        self.beat = heartbeat_seconds()
        self.waited: set[float] = set()  # launch times of calls that waited between attempts

    def run(self) -> bool:
        """Returns True when a cancel stopped the run."""
        pool = ThreadPoolExecutor(max_workers=self.pace.cap, thread_name_prefix="ai-item")
        try:
            while self.landed < self.total:
                for heard in self.guard.drain():
                    self.pace.limited(launched_at=heard.launched_at, wait=heard.wait, hinted=heard.hinted)
                    self.waited.add(heard.launched_at)
                self._collect()
                while self.landed in self.answered:  # before launching: a sequential run reads as before
                    self.land(self.answered.pop(self.landed))
                    self.landed += 1
                if self.landed >= self.total:
                    break
                if self._launch_more(pool) or self._cancel_seen():
                    self._stop()
                    return True
                self.rec.beat(every=self.beat)
                self.pace.keep()
                tick = min(TICK_SECONDS, self.beat)
                if self.queue and len(self.pace.held) < self.pace.cap:
                    # Waiting for the pace, whose next launch may come from another run's answer.
                    paused = self.pace.paused_for()
                    tick = max(0.001, min(tick, paused)) if paused else min(tick, POLL_SECONDS)
                if self.flying:
                    wait(list(self.flying), timeout=tick, return_when=FIRST_COMPLETED)
                else:  # paused by a 429, or the key's slots are taken by other runs
                    time.sleep(min(tick, max(self.pace.paused_for(), 0.05)))
            return False
        finally:
            if self.flying:  # a failure: no call of this run may go on in the background
                self.guard.cancel()
            pool.shutdown(wait=False, cancel_futures=True)
            self.pace.release_all()

    def _launch_more(self, pool: ThreadPoolExecutor) -> bool:
        """Starts calls while the pace allows; True when the cancel flag was found set."""
        while self.queue and len(self.pace.held) < self.pace.cap:
            slot = self.pace.try_acquire()
            if slot is None:
                break  # _cancel_seen reads the flag while nothing can launch
            self.checked = time.monotonic()
            if self.rec.cancel_requested():
                self.pace.release(slot)
                return True
            index = self.queue.popleft()
            if self.queue and len(self.pace.held) < self.pace.cap:
                # More items wait for the pace: the level (not the run's own cap) holds the run back.
                slot = dataclasses.replace(slot, full=True)
            flight = self.launched.get(index) or self.launch(index)
            self.launched[index], flight.slot = flight, slot
            self.flying[pool.submit(self.fly, flight)] = flight
        return False

    def _cancel_seen(self) -> bool:
        if time.monotonic() - self.checked < CANCEL_POLL_SECONDS:
            return False
        self.checked = time.monotonic()
        return self.rec.cancel_requested()

    def _collect(self) -> None:
        """Frees the slots of the calls that came back and tells the pace how they went."""
        for future in [future for future in self.flying if future.done()]:
            flight = self.flying.pop(future)
            self.pace.release(flight.slot)
            if flight.error is None:
                waited = flight.slot.launched_at in self.waited  # a retry's wait is not latency
                self.pace.succeeded(flight.slot, seconds=None if waited else flight.duration_ms / 1000)
                self.waited.discard(flight.slot.launched_at)
            elif _rate_limited(flight.error) and flight.requeues < RATE_LIMIT_REQUEUES:
                wait_for = flight.error.retry_after or settings.AI_RETRY_BASE_SECONDS
                hinted = flight.error.retry_after is not None
                self.pace.limited(launched_at=flight.slot.launched_at, wait=wait_for, hinted=hinted)
                flight.requeues, flight.error, flight.raw = flight.requeues + 1, None, None
                self.queue.appendleft(flight.index)  # not lost: it waits for the pace, then goes again
                continue
            self.answered[flight.index] = flight

    def _stop(self) -> None:
        """After a cancel: abort the calls in flight, give them a moment to return, land what had
        answered (the provider was paid) and mark the rest cancelled."""
        self.guard.cancel()
        if self.flying:
            wait(list(self.flying), timeout=CANCEL_GRACE_SECONDS)
        stopped = []
        for future, flight in self.flying.items():
            self.pace.release(flight.slot)
            if future.done() and flight.raw is not None:
                self.answered[flight.index] = flight
            else:
                stopped.append(flight)
        self.flying.clear()
        for index in sorted(self.answered):
            self.land(self.answered.pop(index))
        for flight in sorted(stopped, key=lambda flight: flight.index):
            self.stopped(flight)
