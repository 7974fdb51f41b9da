"""API tokens: random keys shown once, stored as SHA-256, listed and revoked by their owner.

A token stops working when it expires (IGNY8_TOKEN_TTL_DAYS after it was made; 0 = never), when
its owner revokes it, and when its user's password changes after it was made (wherever that
happens: the password page, the admin, `changepassword`; User.set_password records the time)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from igny8.accounts.models import ApiToken, User
from igny8.core.errors import NotFound

TOKEN_PREFIX = "igny8_"
NEW_TOKEN_HINT = "sign in again for a new one (POST /api/v1/auth/token/ or `igny8 token`)"


class TokenRefused(Exception):
    """The key names no live token; the message says why. The API's authentication class turns it
    into a 401 (DRF's AuthenticationFailed, which also sets the WWW-Authenticate header)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_expiry(*, now=None):
    days = settings.TOKEN_TTL_DAYS
    return (now or timezone.now()) + timedelta(days=days) if days > 0 else None


def token_create(*, user: User, name: str = "cli") -> str:
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user, name=name, key_hash=_digest(key), prefix=key[:12], expires_at=token_expiry()
    )
    return key


def _refusal(token: ApiToken | None, now) -> str | None:
    if token is None or not token.user.is_active:
        return "Invalid or revoked API token."
    if token.expires_at is not None and token.expires_at <= now:
        return f"This API token expired; {NEW_TOKEN_HINT}."
    changed = token.user.password_changed_at
    if changed is not None and token.created_at < changed:
        return f"This API token was revoked when the password changed; {NEW_TOKEN_HINT}."
    return None


def token_authenticate(*, key: str) -> ApiToken:
    """The live token for this key, its user attached; TokenRefused says why not."""
    token = ApiToken.objects.select_related("user").filter(key_hash=_digest(key)).first()
    now = timezone.now()
    refusal = _refusal(token, now)
    if refusal is not None:
        raise TokenRefused(refusal)
    # Keep the write cheap and rare: record use at most once a minute.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def token_user(*, key: str) -> User | None:
    try:
        return token_authenticate(key=key).user
    except TokenRefused:
        return None


def token_list(*, user: User) -> QuerySet[ApiToken]:
    """The user's tokens that still work, newest first."""
    live = Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
    if user.password_changed_at is not None:
        live &= Q(created_at__gte=user.password_changed_at)
    return ApiToken.objects.filter(live, user=user).order_by("-created_at", "-pk")


def token_revoke(*, user: User, token_id: int) -> None:
    """Another user's token and an unknown id look the same: 404."""
    # Ids past SQLite's 64-bit integers would raise OverflowError in the query, not find nothing.
    in_range = 0 < token_id < 2**63
    deleted = in_range and ApiToken.objects.filter(user=user, pk=token_id).delete()[0]
    if not deleted:
        raise NotFound("No such API token of yours.")
