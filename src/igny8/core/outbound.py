"""The one outbound-address policy: every request the server makes on a tenant's behalf (AI provider
base URLs, Runware, image downloads, WordPress) goes through a client built here.

Why at connect time: a URL check before the request is not enough. DNS can answer differently a
moment later (rebinding), a redirect can point anywhere, and the HTTP client would resolve the name
again. So the check runs inside the HTTP client's network backend: the name is resolved once, every
address is judged, and the socket is opened to a judged address (the TLS handshake still names the
host, so certificates are verified as usual). Redirects open new connections and are judged the same.

Refused: anything but http/https; loopback, private, link-local, CGNAT (100.64.0.0/10), reserved,
multicast and unspecified addresses, and the IPv6 forms that carry an IPv4 address (IPv4-mapped,
6to4, Teredo, NAT64) when the address they carry is refused. Exceptions are the operator's:
IGNY8_OUTBOUND_ALLOW lists addresses, networks or host names, and the hosts of the operator's own
OPENAI_BASE_URL / RUNWARE_BASE_URL are trusted. No tenant setting can widen it."""

from __future__ import annotations

import ipaddress
import socket
from functools import lru_cache
from urllib.parse import urlsplit

import httpcore
import httpcore2
import httpx
import httpx2
from django.conf import settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
NAT64 = ipaddress.ip_network("64:ff9b::/96")
ALLOWED_SCHEMES = frozenset({"http", "https"})


class OutboundRefused(Exception):
    """A request the policy does not allow; the message is for people and names no internal detail."""


# -- judging addresses ----------------------------------------------------------------------------
def _carried_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 transition form carries (mapped, 6to4, Teredo client, NAT64)."""
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip.teredo:
        return ip.teredo[1]
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_public(ip: Address) -> bool:
    """True when the address is on the public internet and may be fetched without an exception."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.scope_id:
            return False
        carried = _carried_ipv4(ip)
        if carried is not None:
            return is_public(carried)
        if ip.is_site_local:
            return False
    # is_global is False for private, loopback, link-local, CGNAT, documentation and reserved
    # ranges (IANA special-purpose registries); multicast can be "global" but is never a server.
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


@lru_cache(maxsize=8)
def _allow_list(entries: tuple[str, ...]) -> tuple[tuple, frozenset[str]]:
    networks, hosts = [], set()
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
        except ValueError:
            hosts.add(entry.lower().rstrip("."))
    return tuple(networks), frozenset(hosts)


def _operator_hosts() -> frozenset[str]:
    urls = (settings.OPENAI_BASE_URL, settings.RUNWARE_BASE_URL)
    return frozenset((urlsplit(url).hostname or "").lower() for url in urls if url)


def host_allowed(host: str) -> bool:
    """The operator named this host (allow-list or their own provider base URL)."""
    host = host.lower().rstrip(".")
    _networks, hosts = _allow_list(tuple(settings.OUTBOUND_ALLOW))
    return host in hosts or host in _operator_hosts()


def address_allowed(ip: Address) -> bool:
    networks, _hosts = _allow_list(tuple(settings.OUTBOUND_ALLOW))
    return is_public(ip) or any(ip.version == net.version and ip in net for net in networks)


def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise OutboundRefused(f"{host} could not be resolved.") from error
    return list(dict.fromkeys(info[4][0] for info in infos))


def permitted_addresses(host: str, port: int, *, resolve=None) -> list[str]:
    """The addresses a connection to host:port may use, resolved once; OutboundRefused if none."""
    host = host.strip("[]")
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        if address_allowed(literal) or host_allowed(host):
            return [host]
        raise OutboundRefused(
            f"{host} is a private, loopback or reserved address; the server does not connect there. "
            "An operator can allow it with IGNY8_OUTBOUND_ALLOW."
        )
    addresses = (resolve or _resolve)(host, port)
    if host_allowed(host):
        return addresses
    allowed = [a for a in addresses if address_allowed(ipaddress.ip_address(a.split("%")[0]))]
    if not allowed:
        # The addresses themselves are not named: the host's internal DNS answers stay private.
        raise OutboundRefused(
            f"{host} points to a private, loopback or reserved address; the server does not connect "
            "there. An operator can allow it with IGNY8_OUTBOUND_ALLOW."
        )
    return allowed


def check_url(url: str, *, what: str = "URL") -> str:
    """Form checks done before any connection: http(s), a host, no credentials inside the URL.
    Returns the URL stripped. The address itself is judged when connecting."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise OutboundRefused(f"The {what} must start with http:// or https://.")
    if not parts.hostname:
        raise OutboundRefused(f"The {what} has no host name.")
    if parts.username or parts.password:
        raise OutboundRefused(f"The {what} must not contain a user name or password.")
    try:
        parts.port  # noqa: B018 - raises ValueError on a port out of range
    except ValueError as error:
        raise OutboundRefused(f"The {what} has an invalid port.") from error
    return url


def check_address_now(url: str, *, what: str = "URL") -> str:
    """check_url plus a resolution now, for a clear answer when a person saves or tests an address.
    Not the enforcement (that is the connection), just the early word."""
    url = check_url(url, what=what)
    parts = urlsplit(url)
    permitted_addresses(parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80))
    return url


def check_address_early(url: str, *, what: str = "URL") -> str:
    """check_url plus the judgement of an address written as an IP, without resolving anything: for
    a web request that hands the fetch to a worker and must not wait on a resolver. A host name is
    judged when the worker connects."""
    url = check_url(url, what=what)
    host = (urlsplit(url).hostname or "").strip("[]")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return url
    permitted_addresses(host, 0)  # a literal: judged as it is, no DNS, the port plays no part
    return url


def refusal_in(error: BaseException | None) -> OutboundRefused | None:
    """The policy refusal behind an HTTP library's connection error, if that is what it was."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, OutboundRefused):
            return error
        error = error.__cause__ or error.__context__
        seen += 1
    return None


# -- the clients --------------------------------------------------------------------------------
def _guarded_backend(core):
    """A network backend of `core` (httpcore or httpcore2, the same API) that connects only to
    addresses the policy permits, trying each permitted address in turn."""

    class GuardedBackend(core.SyncBackend):
        def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
            try:
                addresses = permitted_addresses(host, port)
            except OutboundRefused as error:
                raise core.ConnectError(str(error)) from error
            failure: Exception | None = None
            for address in addresses:
                try:
                    return super().connect_tcp(address, port, timeout, local_address, socket_options)
                except (core.ConnectError, core.ConnectTimeout) as error:
                    failure = error
            # One message for refused, unreachable and silent ports alike: not a port scanner.
            raise core.ConnectError(f"Could not connect to {host}:{port}.") from failure

        def connect_unix_socket(self, *args, **kwargs):
            raise core.ConnectError("Unix sockets are not an outbound address.")

    return GuardedBackend()


def httpx_transport(**kwargs) -> httpx.HTTPTransport:
    transport = httpx.HTTPTransport(**kwargs)
    transport._pool._network_backend = _guarded_backend(httpcore)
    return transport


def httpx_client(**kwargs) -> httpx.Client:
    """An httpx client bound by the policy. trust_env is off: an HTTP(S)_PROXY from the
    environment would carry requests past the check."""
    return httpx.Client(transport=httpx_transport(), trust_env=False, **kwargs)


def httpx2_client(**kwargs) -> httpx2.Client:
    """The same for the openai SDK, which is built on httpx2."""
    transport = httpx2.HTTPTransport()
    transport._pool._network_backend = _guarded_backend(httpcore2)
    return httpx2.Client(transport=transport, trust_env=False, **kwargs)
