"""Which WordPress addresses we may call: http(s) only, and no private, loopback, link-local or
reserved address unless the site is marked as a local/development site. The check runs on every
client creation (not only when the URL is saved) because DNS answers change."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit


class UnsafeURL(ValueError):
    pass


def _resolve(host: str) -> list[str]:
    try:
        return sorted({info[4][0] for info in socket.getaddrinfo(host, None)})
    except OSError:
        # Unresolvable now: the request itself will fail with a connection error that says so.
        return []


def _is_internal(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
    )


def check_url(url: str, *, allow_private: bool, resolve=_resolve) -> str:
    """The base URL without a trailing slash, or UnsafeURL saying what is wrong."""
    url = (url or "").strip()
    if not url:
        raise UnsafeURL("The site has no WordPress URL; set wp_url (or url) on the site.")
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        raise UnsafeURL(f"Only http and https WordPress URLs are allowed; got {parts.scheme or 'none'!r}.")
    if not parts.hostname:
        raise UnsafeURL(f"{url!r} has no host name.")
    if parts.username or parts.password:
        raise UnsafeURL(
            "Put the WordPress credentials in the username/application password fields, not the URL."
        )
    if not allow_private:
        host = parts.hostname
        try:
            addresses = [str(ipaddress.ip_address(host))]
        except ValueError:
            if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
                addresses = ["127.0.0.1"]
            else:
                addresses = resolve(host)
        internal = [a for a in addresses if _is_internal(a)]
        if internal:
            raise UnsafeURL(
                f"{host} points to a private or loopback address ({internal[0]}). Publishing to internal "
                "addresses is refused; mark the site as a local/development site (is_local_dev) if this "
                "is your own test WordPress."
            )
    return f"{parts.scheme}://{parts.netloc}{parts.path}".rstrip("/")
