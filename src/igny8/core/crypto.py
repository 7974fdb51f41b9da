"""Secrets at rest: MultiFernet so keys rotate without touching SECRET_KEY.

Keys come from IGNY8_ENCRYPTION_KEYS (newest first); the embedded default generates one key file
under var/ on first use. Losing that file makes stored API keys unreadable, so it is never rotated
automatically."""

import functools
import os

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class SecretUnreadable(Exception):
    """A stored secret was encrypted with a key that is no longer configured."""


@functools.cache
def _cipher() -> MultiFernet:
    keys = list(settings.ENCRYPTION_KEYS)
    if not keys:
        key_file = settings.ENCRYPTION_KEY_FILE
        if not key_file.exists():
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(Fernet.generate_key())
        keys = [key_file.read_text().strip()]
    return MultiFernet([Fernet(key.encode() if isinstance(key, str) else key) for key in keys])


def encrypt(plaintext: str) -> str:
    return _cipher().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _cipher().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise SecretUnreadable("stored secret cannot be decrypted with the configured keys") from error


def mask(secret: str) -> str:
    """A hint that identifies a secret without revealing it: 'sk-...1234'."""
    if not secret:
        return ""
    if len(secret) <= 8:
        return "..." + secret[-2:]
    prefix = secret[:3] if secret[:3].endswith("-") else secret[:2]
    return f"{prefix}...{secret[-4:]}"
