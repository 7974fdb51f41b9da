"""Rate limits on the doors a stranger can knock on: signing in (API token and web login), signing
up, and an account adding members (each addition answers whether an email has a user).

The counters live in the default cache, which every web process shares: a database table by
default, Redis when IGNY8_CACHE_URL is set (settings.py). Each limit is a sliding window, like DRF's
throttles: the timestamps of the recent attempts, oldest dropped as they age out. An attempt over
the limit is refused and not recorded, so waiting out the window always works.

The client address is REMOTE_ADDR, or with IGNY8_TRUSTED_PROXIES=N the Nth address from the right of
X-Forwarded-For (each trusted proxy appends the address it saw); with no trusted proxy the header is
ignored, as anyone can write it. IPv6 clients are counted per /64, the block one host usually holds.

The read and the write of a counter are two cache calls, so a burst of simultaneous attempts can be
counted a few late; sequential guessing, the attack the limits exist for, is counted exactly."""

from __future__ import annotations

import hashlib
import ipaddress
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

from igny8.core.errors import RateLimited

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


def rate_parse(text: str) -> Rate:
    """`20/min`, `10/hour`, `5/s`, `100/day`: DRF's format (the unit's first letter counts)."""
    try:
        count, unit = text.strip().split("/")
        return Rate(count=int(count), seconds=UNITS[unit.strip()[0].lower()])
    except (ValueError, KeyError, IndexError):
        raise ImproperlyConfigured(f"{text!r} is not a rate like 20/min, 10/hour or 100/day.") from None


def client_address(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    trusted = settings.TRUSTED_PROXIES
    address = forwarded[-min(trusted, len(forwarded))] if trusted > 0 and forwarded else remote
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 4:
        return str(ip)
    if ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network(f"{ip}/64", strict=False))


def _key(scope: str, ident: str) -> str:
    # Hashed: an email or any header text becomes a short key every cache backend accepts.
    return f"igny8:limit:{scope}:{hashlib.sha256(ident.encode()).hexdigest()[:40]}"


def _recent(key: str, rate: Rate, now: float) -> list[float]:
    return [t for t in cache.get(key, []) if t > now - rate.seconds]


def _wait(history: list[float], rate: Rate, now: float) -> int | None:
    if len(history) < rate.count:
        return None
    # The oldest attempt that must age out before one more fits.
    return max(1, math.ceil(history[-rate.count] + rate.seconds - now))


def limit_wait(*, scope: str, ident: str, rate: str) -> int | None:
    """None when one more attempt fits; else the seconds to wait. Records nothing."""
    parsed, now = rate_parse(rate), time.time()
    return _wait(_recent(_key(scope, ident), parsed, now), parsed, now)


def limit_record(*, scope: str, ident: str, rate: str) -> None:
    parsed, now, key = rate_parse(rate), time.time(), _key(scope, ident)
    history = _recent(key, parsed, now)
    cache.set(key, [*history, now][-parsed.count :], parsed.seconds)


def limit_hit(*, scope: str, ident: str, rate: str, message: str) -> None:
    """Counts one attempt, or raises RateLimited (`message` gets `{wait}`) when over the limit.

    With the database cache the count is a row in the default database: call this outside any
    transaction a refusal rolls back, or the count goes with it."""
    wait = limit_wait(scope=scope, ident=ident, rate=rate)
    if wait is not None:
        raise RateLimited(message=message.format(wait=wait), wait=wait)
    limit_record(scope=scope, ident=ident, rate=rate)


# --- The doors --------------------------------------------------------------------------------


def signin_check(*, request: HttpRequest, email: str) -> None:
    """Before a password is looked at: refused while this email has too many recent failures
    (whatever the address), else the attempt counts against the client address."""
    wait = limit_wait(scope="signin-email", ident=email.strip().lower(), rate=settings.SIGNIN_EMAIL_RATE)
    if wait is not None:
        raise RateLimited(
            message=f"Too many failed sign-ins for this email; try again in {wait} s.", wait=wait
        )
    limit_hit(
        scope="signin",
        ident=client_address(request),
        rate=settings.SIGNIN_RATE,
        message="Too many sign-in attempts from this address; try again in {wait} s.",
    )


def signin_failed(*, email: str) -> None:
    """Only failures count per email, so scripts signing in often do not lock their user out."""
    limit_record(scope="signin-email", ident=email.strip().lower(), rate=settings.SIGNIN_EMAIL_RATE)


def signup_check(*, request: HttpRequest) -> None:
    limit_hit(
        scope="signup",
        ident=client_address(request),
        rate=settings.SIGNUP_RATE,
        message="Too many sign-ups from this address; try again in {wait} s.",
    )


def member_add_check(*, account_id: int) -> None:
    limit_hit(
        scope="member-add",
        ident=str(account_id),
        rate=settings.MEMBER_ADD_RATE,
        message="Too many member additions in this account; try again in {wait} s.",
    )
