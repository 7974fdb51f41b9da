"""Rate limits on the doors a stranger can knock on: signing in (API token and web login) and
signing up. DRF's throttles (cache-backed, per client address) serve the web views too."""

from __future__ import annotations

import math

from django.http import HttpRequest
from rest_framework.throttling import AnonRateThrottle


class SignInThrottle(AnonRateThrottle):
    scope = "signin"
    rate = "20/min"


class SignUpThrottle(AnonRateThrottle):
    scope = "signup"
    rate = "10/hour"


def retry_after(*, throttle_class: type[AnonRateThrottle], request: HttpRequest) -> int | None:
    """None when the request may go on; else the seconds to wait (the request is counted)."""
    throttle = throttle_class()
    if throttle.allow_request(request, None):
        return None
    return max(1, math.ceil(throttle.wait() or 1))
