"""The one outbound-address policy (core/outbound.py): every address form it refuses, the operator's
allow-list, and the proof at connection level with loopback listeners: a refused address receives
nothing, a redirect is judged again, and the name is resolved once (the address judged is the one
connected to)."""

import ipaddress
import socket

import httpx
import pytest

from igny8.core import outbound
from igny8.writer import image_files
from igny8.writer.image_files import ImageFileError
from tests.loopback import Listener

REFUSED = [
    "127.0.0.1",
    "127.8.9.10",
    "10.0.0.5",
    "172.16.3.4",
    "192.168.1.4",
    "169.254.169.254",  # link-local: the usual cloud metadata address
    "100.64.0.1",  # CGNAT (RFC 6598)
    "100.100.100.200",  # a cloud metadata address inside CGNAT
    "0.0.0.0",
    "0.1.2.3",
    "255.255.255.255",
    "224.0.0.1",
    "240.0.0.1",
    "198.18.0.1",  # benchmarking
    "192.0.2.1",  # documentation
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "fd12:3456::1",
    "fec0::1",  # deprecated site-local
    "ff02::1",
    "::ffff:127.0.0.1",  # IPv4-mapped
    "::ffff:169.254.169.254",
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
    "2002:c0a8:104::",  # 6to4 of 192.168.1.4
    "2001:0:4136:e378:8000:63bf:80ff:fffe",  # Teredo, client 127.0.0.1
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
    "64:ff9b:1::a00:5",  # local-use NAT64
    "2001:db8::1",  # documentation
]
PUBLIC = ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "2002:5db8:d822::1", "64:ff9b::808:808"]


@pytest.mark.parametrize("address", REFUSED)
def test_every_internal_form_is_refused(address, settings):
    settings.OUTBOUND_ALLOW = []
    assert outbound.is_public(ipaddress.ip_address(address)) is False
    with pytest.raises(outbound.OutboundRefused):
        outbound.permitted_addresses(address, 80, resolve=lambda host, port: pytest.fail("resolved"))


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_pass(address, settings):
    settings.OUTBOUND_ALLOW = []
    assert outbound.permitted_addresses(address, 443) == [address]


def test_a_name_is_judged_by_every_address_it_resolves_to(settings):
    settings.OUTBOUND_ALLOW = []
    both = lambda host, port: ["10.0.0.5", "93.184.216.34"]  # noqa: E731
    assert outbound.permitted_addresses("mixed.example", 443, resolve=both) == ["93.184.216.34"]
    with pytest.raises(outbound.OutboundRefused) as caught:
        outbound.permitted_addresses("db.example", 443, resolve=lambda host, port: ["10.0.0.5"])
    # The internal address behind the name is not told.
    assert str(caught.value) == (
        "db.example points to a private, loopback or reserved address; the server does not connect "
        "there. An operator can allow it with IGNY8_OUTBOUND_ALLOW."
    )


def test_the_operators_allow_list_and_base_urls(settings):
    settings.OUTBOUND_ALLOW = ["10.0.5.0/24", "wp.lan", "::1"]
    settings.OPENAI_BASE_URL = "http://models.lan:11434/v1"
    assert outbound.permitted_addresses("10.0.5.9", 80) == ["10.0.5.9"]
    assert outbound.permitted_addresses("::1", 80) == ["::1"]
    assert outbound.permitted_addresses("wp.lan", 80, resolve=lambda h, p: ["192.168.1.4"]) == ["192.168.1.4"]
    assert outbound.permitted_addresses("models.lan", 80, resolve=lambda h, p: ["10.9.9.9"]) == ["10.9.9.9"]
    with pytest.raises(outbound.OutboundRefused):
        outbound.permitted_addresses("10.0.6.1", 80)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("gopher://example.org/", "The URL must start with http:// or https://."),
        ("file:///etc/passwd", "The URL must start with http:// or https://."),
        ("http:///nohost", "The URL has no host name."),
        ("https://me:secret@example.org/", "The URL must not contain a user name or password."),
        ("http://example.org:99999/", "The URL has an invalid port."),
    ],
)
def test_url_forms(url, message):
    with pytest.raises(outbound.OutboundRefused) as caught:
        outbound.check_url(url)
    assert str(caught.value) == message


def test_a_refused_address_receives_nothing(settings):
    settings.OUTBOUND_ALLOW = []
    with Listener() as listener, outbound.httpx_client(timeout=5) as client:
        with pytest.raises(httpx.ConnectError) as caught:
            client.get(f"{listener.url}/latest/meta-data/")
        assert listener.received == []
    assert str(outbound.refusal_in(caught.value)) == (
        "127.0.0.1 is a private, loopback or reserved address; the server does not connect there. "
        "An operator can allow it with IGNY8_OUTBOUND_ALLOW."
    )


def test_an_allow_listed_address_is_reached(settings):
    settings.OUTBOUND_ALLOW = ["127.0.0.1"]
    with Listener(answer={"ok": True}) as listener, outbound.httpx_client(timeout=5) as client:
        assert client.get(f"{listener.url}/x").json() == {"ok": True}
    assert [r["path"] for r in listener.received] == ["/x"]


def test_the_name_is_resolved_once_and_that_address_is_connected(settings, monkeypatch):
    """No rebinding window: the resolver answers once, the address it gave is judged and connected
    to; the system resolver is never asked for the name (it does not know it)."""
    settings.OUTBOUND_ALLOW = ["127.0.0.1"]
    asked = []
    monkeypatch.setattr(outbound, "_resolve", lambda host, port: asked.append(host) or ["127.0.0.1"])
    real_getaddrinfo = socket.getaddrinfo
    system_asked = []

    def getaddrinfo(host, *args, **kwargs):
        system_asked.append(host)
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    with Listener() as listener, outbound.httpx_client(timeout=5) as client:
        port = listener.server.server_address[1]
        client.get(f"http://pinned.example:{port}/")
    assert asked == ["pinned.example"]
    assert "pinned.example" not in system_asked
    assert listener.received[0]["headers"]["host"] == f"pinned.example:{port}"


def test_a_rebinding_answer_is_refused(settings, monkeypatch):
    settings.OUTBOUND_ALLOW = []
    monkeypatch.setattr(outbound, "_resolve", lambda host, port: ["127.0.0.1"])
    with Listener() as listener, outbound.httpx_client(timeout=5) as client:
        port = listener.server.server_address[1]
        with pytest.raises(httpx.ConnectError):
            client.get(f"http://rebind.example:{port}/")
        assert listener.received == []


def test_a_redirect_to_a_refused_address_is_judged_again(settings, monkeypatch):
    """An image download follows redirects, and each hop is judged: 127.0.0.1 is allowed here (a
    stand-in for the provider's host), the 127.0.0.2 it redirects to is not, and receives nothing."""
    settings.OUTBOUND_ALLOW = ["127.0.0.1/32"]
    monkeypatch.setattr(image_files, "http_client", lambda: outbound.httpx_client(follow_redirects=True))
    with Listener(host="127.0.0.2") as inside:
        with Listener(redirect_to=f"{inside.url}/secret") as provider:
            with pytest.raises(ImageFileError) as caught:
                image_files.download(f"{provider.url}/image.png")
            assert [r["path"] for r in provider.received] == ["/image.png"]
        assert inside.received == []
    assert str(caught.value) == (
        "Could not download the generated image: 127.0.0.2 is a private, loopback or reserved address; "
        "the server does not connect there. An operator can allow it with IGNY8_OUTBOUND_ALLOW."
    )


def test_closed_and_silent_ports_answer_alike(settings):
    """On an allowed address a closed port says only that it could not connect, no OS detail."""
    settings.OUTBOUND_ALLOW = ["127.0.0.1"]
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    with outbound.httpx_client(timeout=5) as client, pytest.raises(httpx.ConnectError) as caught:
        client.get(f"http://127.0.0.1:{port}/")
    assert str(caught.value) == f"Could not connect to 127.0.0.1:{port}."


def test_environment_proxies_are_not_used(settings, monkeypatch):
    """An HTTP(S)_PROXY would carry requests past the check: the policy's clients ignore it."""
    settings.OUTBOUND_ALLOW = ["127.0.0.1"]
    with Listener() as proxy, Listener(answer={"direct": True}) as target:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        with outbound.httpx_client(timeout=5) as client:
            assert client.get(f"{target.url}/").json() == {"direct": True}
        assert proxy.received == []


def test_the_early_check_judges_an_ip_and_never_resolves_a_name(monkeypatch, settings):
    """For a request that hands the fetch to a worker: no DNS while it waits."""
    settings.OUTBOUND_ALLOW = []

    def no_dns(*args, **kwargs):
        raise AssertionError("resolved a name inside the request")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    assert (
        outbound.check_address_early("https://example.com/sitemap.xml") == "https://example.com/sitemap.xml"
    )
    assert outbound.check_address_early(" https://[2606:4700::1]/s.xml ") == "https://[2606:4700::1]/s.xml"
    with pytest.raises(outbound.OutboundRefused, match=r"^169\.254\.169\.254 is a private, loopback"):
        outbound.check_address_early("http://169.254.169.254/latest/")
    with pytest.raises(outbound.OutboundRefused, match=r"^The sitemap address must start with http"):
        outbound.check_address_early("file:///etc/passwd", what="sitemap address")
