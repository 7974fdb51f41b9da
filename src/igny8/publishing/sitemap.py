"""A site's existing pages, imported from its sitemap (a sitemap.xml upload or its address).

A sitemap index is followed to its sitemaps (same host only, as the protocol says), breadth first,
at most MAX_SITEMAPS documents and MAX_PAGES addresses. Every fetch goes through the outbound
policy (core/outbound.py: private and loopback addresses refused unless the operator allows them),
with a short timeout and a size cap; gzip is unpacked within the same cap. The XML is read by
defusedxml, which refuses entity expansion and external references. A new import replaces the
site's list.

Reading an address (or an uploaded index, whose sitemaps are fetched) can take up to MAX_SITEMAPS
fetches, so it runs on a worker (publishing/sitemap_jobs.py); `collect` reports its progress to
the job. An uploaded urlset fetches nothing and is read in the request."""

from __future__ import annotations

import gzip
import io
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import unquote, urlsplit

import httpx
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from igny8.accounts.models import Site
from igny8.core import outbound
from igny8.core.errors import Invalid
from igny8.publishing.models import SitemapPage

MAX_SITEMAPS = 50
MAX_PAGES = 5000
MAX_BYTES = 10 * 1024 * 1024  # the protocol's own limit for one (uncompressed) sitemap
TIMEOUT_SECONDS = 10.0  # to connect, and between two pieces of an answer
# A whole document, however slowly its server drips it: the job's heartbeat comes between two.
DOCUMENT_SECONDS = 60.0
MAX_REDIRECTS = 3
USER_AGENT = "IGNY8-sitemap/1.0"


@dataclass(frozen=True)
class Entry:
    url: str
    lastmod: datetime | None


@dataclass(frozen=True)
class Parsed:
    pages: list[Entry]
    sitemaps: list[str]


@dataclass(frozen=True)
class ImportReport:
    pages: int
    sitemaps: int
    skipped: int
    truncated: bool

    def as_dict(self) -> dict:
        return {
            "pages": self.pages,
            "sitemaps": self.sitemaps,
            "skipped": self.skipped,
            "truncated": self.truncated,
        }

    @property
    def message(self) -> str:
        text = f"Imported {self.pages:,} page(s) from {self.sitemaps:,} sitemap(s)."
        if self.skipped:
            text += f" {self.skipped:,} address(es) skipped (another host, or not http/https)."
        if self.truncated:
            text += f" Stopped at {MAX_PAGES:,} pages or {MAX_SITEMAPS:,} sitemaps."
        return text


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _lastmod(value: str | None) -> datetime | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        found = parse_datetime(value)
        if found is None:
            day = parse_date(value[:10])
            found = datetime(day.year, day.month, day.day) if day else None
    except ValueError:
        return None
    if found is not None and timezone.is_naive(found):
        found = timezone.make_aware(found, UTC)
    return found


def unpack(data: bytes, *, field: str = "file") -> bytes:
    """A gzip document unpacked (at most MAX_BYTES), any other returned as it is."""
    if data[:2] != b"\x1f\x8b":
        return data
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as packed:
            unpacked = packed.read(MAX_BYTES + 1)
    except (OSError, EOFError) as error:
        raise Invalid(f"The sitemap is a damaged gzip file: {error}.", field=field) from error
    if len(unpacked) > MAX_BYTES:
        raise Invalid(f"The sitemap is larger than {MAX_BYTES // 1024 // 1024} MB unpacked.", field=field)
    return unpacked


def parse(data: bytes, *, field: str = "file", where: str = "The file") -> Parsed:
    """The page addresses and child sitemaps of one sitemap document; Invalid naming the field."""
    data = unpack(data, field=field)
    if len(data) > MAX_BYTES:
        raise Invalid(f"{where} is larger than {MAX_BYTES // 1024 // 1024} MB.", field=field)
    try:
        root = SafeET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as error:
        raise Invalid(
            f"{where} uses XML features a sitemap never needs (a DTD or entities); it was not read.",
            field=field,
        ) from error
    except SafeET.ParseError as error:
        raise Invalid(f"{where} is not well-formed XML ({error}).", field=field) from error
    kind = _local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        raise Invalid(
            f"{where} is XML but not a sitemap: it starts with <{kind}>, not <urlset> or <sitemapindex>.",
            field=field,
        )
    pages, sitemaps = [], []
    for node in root:
        values = {_local(child.tag): (child.text or "").strip() for child in node}
        loc = values.get("loc", "")
        if not loc:
            continue
        if kind == "sitemapindex" and _local(node.tag) == "sitemap":
            sitemaps.append(loc)
        elif kind == "urlset" and _local(node.tag) == "url":
            pages.append(Entry(url=loc, lastmod=_lastmod(values.get("lastmod"))))
    return Parsed(pages=pages, sitemaps=sitemaps)


def fetch(url: str, *, client: httpx.Client, field: str = "url") -> bytes:
    """One sitemap document: the address checked now (a clear answer) and at connection (the
    enforcement, redirects included), at most MAX_BYTES read."""
    try:
        outbound.check_address_now(url, what="sitemap address")
    except outbound.OutboundRefused as error:
        raise Invalid(str(error), field=field) from error
    deadline = time.monotonic() + DOCUMENT_SECONDS
    try:
        with client.stream("GET", url) as response:
            if not response.is_success:
                raise Invalid(f"{url} answered HTTP {response.status_code}; no sitemap there.", field=field)
            body = bytearray()
            for chunk in response.iter_raw():
                body.extend(chunk)
                if len(body) > MAX_BYTES:
                    raise Invalid(f"{url} is larger than {MAX_BYTES // 1024 // 1024} MB.", field=field)
                if time.monotonic() > deadline:
                    raise Invalid(
                        f"{url} took longer than {DOCUMENT_SECONDS:g} seconds to send.", field=field
                    )
    except httpx.TimeoutException as error:
        raise Invalid(f"{url} did not answer within {TIMEOUT_SECONDS:g} seconds.", field=field) from error
    except httpx.TooManyRedirects as error:
        raise Invalid(f"{url} redirected more than {MAX_REDIRECTS} times.", field=field) from error
    except httpx.HTTPError as error:
        refused = outbound.refusal_in(error)
        raise Invalid(str(refused) if refused else f"Could not fetch {url}: {error}", field=field) from error
    return bytes(body)  # raw: a gzip body (encoded or a .xml.gz file) is unpacked by parse


def _client() -> httpx.Client:
    return outbound.httpx_client(
        timeout=TIMEOUT_SECONDS,
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        headers={
            "User-Agent": USER_AGENT,
            "Accept": "application/xml, text/xml, */*",
            "Accept-Encoding": "gzip",  # read raw and unpacked within the size cap
        },
    )


def _title(url: str) -> tuple[str, str]:
    """(title, slug) from the address's last part: /guides/milk-frothing/ -> "Milk frothing"."""
    path = unquote(urlsplit(url).path).rstrip("/")
    slug = path.rsplit("/", 1)[-1] if path else ""
    slug = re.sub(r"\.(html?|php|aspx?)$", "", slug, flags=re.IGNORECASE)
    words = re.sub(r"[-_]+", " ", slug).strip()
    title = words[:1].upper() + words[1:] if words else (urlsplit(url).hostname or url)
    return title[:255], slug[:255]


Progress = Callable[[int, int], None]  # (sitemaps read, sitemaps to read as far as known now)


@dataclass(frozen=True)
class Collected:
    pages: list[Entry]
    sitemaps: int  # documents read, the first included
    skipped: int
    truncated: bool


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def collect(
    *,
    url: str | None = None,
    data: bytes | None = None,
    client: httpx.Client | None = None,
    progress: Progress | None = None,
) -> Collected:
    """The pages of an address or an uploaded document, an index's sitemaps followed."""
    if data is not None:
        return follow(parse(data, field="file"), field="file", client=client, progress=progress)
    own = client is None
    client = client or _client()
    try:
        first = parse(fetch(url or "", client=client), field="url", where="The address's answer")
        return follow(first, host=_host(url or ""), field="url", client=client, progress=progress)
    finally:
        if own:
            client.close()


def follow(
    first: Parsed,
    *,
    host: str = "",
    field: str = "file",
    client: httpx.Client | None = None,
    progress: Progress | None = None,
) -> Collected:
    """The pages of a document read already and of the sitemaps it names, followed breadth first
    on `host` (an uploaded index: the host of its first sitemap). `progress` hears after each
    document; a client is made only when there is something to fetch."""
    if first.sitemaps and client is None:
        with _client() as own:
            return follow(first, host=host, field=field, client=own, progress=progress)
    queue, seen, read = list(first.sitemaps), set(), 1
    host = host or (_host(queue[0]) if queue else "")
    pages: dict[str, Entry] = {}
    skipped, truncated = 0, False

    def take(entries: list[Entry]) -> None:
        nonlocal skipped, truncated
        for entry in entries:
            parts = urlsplit(entry.url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                skipped += 1
                continue
            if len(pages) >= MAX_PAGES:
                truncated = True
                return
            pages.setdefault(entry.url, entry)

    def heard() -> None:
        if progress is not None:
            waiting = {c for c in queue if c not in seen and _host(c) == host}
            progress(read, min(MAX_SITEMAPS, read + len(waiting)))

    take(first.pages)
    heard()
    while queue:
        child = queue.pop(0)
        if child in seen:
            continue
        seen.add(child)
        if _host(child) != host:
            skipped += 1
            continue
        if read >= MAX_SITEMAPS or len(pages) >= MAX_PAGES:
            truncated = True
            break
        parsed = parse(fetch(child, client=client, field=field), field=field, where=f"The sitemap {child}")
        read += 1
        take(parsed.pages)
        queue.extend(parsed.sitemaps)
        heard()
    return Collected(pages=list(pages.values()), sitemaps=read, skipped=skipped, truncated=truncated)


@transaction.atomic
def pages_replace(*, site: Site, entries: list[Entry]) -> int:
    # The site locked: two imports finishing at once replace the list one after the other, never
    # interleaved (on PostgreSQL their deletes and inserts would otherwise collide on the unique url).
    Site.objects.select_for_update().filter(pk=site.pk).first()
    SitemapPage.objects.filter(site=site).delete()
    rows = []
    for entry in entries:
        title, slug = _title(entry.url)
        rows.append(
            SitemapPage(
                account_id=site.account_id,
                site=site,
                url=entry.url,
                title=title,
                slug=slug,
                lastmod=entry.lastmod,
            )
        )
    SitemapPage.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def pages_store(*, site: Site, collected: Collected) -> ImportReport:
    """Replaces the site's pages with those collected; the report says what was read."""
    stored = pages_replace(site=site, entries=collected.pages)
    return ImportReport(
        pages=stored, sitemaps=collected.sitemaps, skipped=collected.skipped, truncated=collected.truncated
    )
