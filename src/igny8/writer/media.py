"""Members-only media: a stored file is served only to an active member of the account that owns it.

Who owns a file:
- a writer Image's file: the account of its database row (whatever its path says; rows saved through
  the FileField's upload_to live under `images/%Y/%m/`, where the second segment is a year, not an
  account, so for `images/` only the row counts);
- any other file: the account segment of its path, which must be the second of `ai-tests/<account>/…`
  (the provider test images) or `accounts/<account>/…` (the prefix for future per-account files).

Anonymous, another account, a missing file, `..`, an absolute path, a prefix nobody owns: the same 404,
so the answers reveal nothing about what exists. The web server must not serve MEDIA_ROOT itself.
"""

from __future__ import annotations

import mimetypes
import secrets

from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseNotFound
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from igny8.accounts.models import Membership, User
from igny8.accounts.tokens import token_user
from igny8.writer.models import Image

# Prefixes whose second segment is the owning account's id (see the module docstring).
ACCOUNT_PREFIXES = ("ai-tests", "accounts")
ROW_PREFIX = "images"
# Served inline; anything else goes out as a download so a stored file can never run as a page.
INLINE_TYPES = {"image/png", "image/jpeg", "image/webp", "image/gif", "image/avif"}
NOT_FOUND = "No such file."


# -- naming ----------------------------------------------------------------------------------------
def unguessable_name(*, stem: str, ext: str) -> str:
    """`stem-<20 random hex>.ext`: knowing the layout of the paths is not enough to find a file."""
    return f"{stem}-{secrets.token_hex(10)}.{ext}"


# -- selectors -----------------------------------------------------------------------------------
def clean_media_name(*, path: str) -> str | None:
    """The storage name for a URL path, or None when it could step outside MEDIA_ROOT."""
    if not path or path.startswith("/") or "\\" in path or "\x00" in path:
        return None
    parts = path.split("/")
    if any(part in ("", ".", "..") for part in parts) or ":" in parts[0]:
        return None
    return path


def _is_id(segment: str) -> bool:
    # Bounded so a 30-digit segment is "not an account" rather than an integer the database rejects.
    return segment.isascii() and segment.isdigit() and len(segment) <= 18


def _member_accounts(*, user: User) -> QuerySet:
    return Membership.objects.filter(user=user, account__is_active=True).values("account_id")


def media_name_for(*, user: User | None, path: str) -> str | None:
    """The storage name of the file at `path` when `user` may read it and it exists, else None."""
    name = clean_media_name(path=path)
    if name is None or user is None or not user.is_active:
        return None
    prefix, *rest = name.split("/")
    if prefix == ROW_PREFIX:
        allowed = Image.objects.filter(file=name, account_id__in=_member_accounts(user=user)).exists()
    elif prefix in ACCOUNT_PREFIXES and len(rest) >= 2 and _is_id(rest[0]):
        allowed = _member_accounts(user=user).filter(account_id=int(rest[0])).exists()
    else:
        allowed = False
    return name if allowed and default_storage.exists(name) else None


# -- view ----------------------------------------------------------------------------------------
def _requester(request: HttpRequest) -> User | None:
    """The API token's user when a Bearer header is sent (a bad one counts as nobody), else the session's."""
    words = request.headers.get("Authorization", "").split()
    if words and words[0].lower() == "bearer":
        return token_user(key=words[1]) if len(words) == 2 else None
    return request.user if request.user.is_authenticated else None


@require_safe
def media_file(request: HttpRequest, path: str) -> FileResponse | HttpResponse:
    # One plain answer for every refusal (not the styled 404 page, whose navigation differs for a
    # signed-in member): nobody learns whether a file exists from what a 404 looks like.
    name = media_name_for(user=_requester(request), path=path)
    if name is None:
        return HttpResponseNotFound(NOT_FOUND, content_type="text/plain; charset=utf-8")
    try:
        handle = default_storage.open(name, "rb")
    except OSError:  # a directory, or deleted since the check
        return HttpResponseNotFound(NOT_FOUND, content_type="text/plain; charset=utf-8")
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    inline = content_type in INLINE_TYPES
    response = FileResponse(
        handle,
        content_type=content_type if inline else "application/octet-stream",
        as_attachment=not inline,
        filename=name.rsplit("/", 1)[-1],
    )
    # Names change whenever a file is regenerated, so a private hour of caching is safe; never shared.
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    patch_vary_headers(response, ("Cookie", "Authorization"))
    return response
