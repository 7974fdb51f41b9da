"""API tokens: random keys shown once, stored as SHA-256."""

import hashlib
import secrets

from django.utils import timezone

from igny8.accounts.models import ApiToken, User

TOKEN_PREFIX = "igny8_"


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_create(*, user: User, name: str = "cli") -> str:
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, key_hash=_digest(key), prefix=key[:12])
    return key


def token_user(*, key: str) -> User | None:
    token = ApiToken.objects.select_related("user").filter(key_hash=_digest(key)).first()
    if token is None or not token.user.is_active:
        return None
    # Keep the write cheap and rare: record use at most once a minute.
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
