"""Which WordPress addresses we may call: the one outbound policy (core/outbound.py). The early
check here gives a person a clear answer when the site is saved or tested; the enforcement is the
client's connection, which judges the address it actually connects to."""

from __future__ import annotations

from urllib.parse import urlsplit

from igny8.core.outbound import OutboundRefused, check_address_now


class UnsafeURL(ValueError):
    pass


def check_url(url: str) -> str:
    """The base URL without a trailing slash, or UnsafeURL saying what is wrong."""
    url = (url or "").strip()
    if not url:
        raise UnsafeURL("The site has no WordPress URL; set wp_url (or url) on the site.")
    try:
        check_address_now(url, what="WordPress URL")
    except OutboundRefused as error:
        raise UnsafeURL(str(error)) from error
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}".rstrip("/")
