"""The site's existing pages from its sitemap (issue 13, point 6): an address (a sitemap index
followed to its sitemaps, by a worker) or an uploaded file, through the outbound policy, offered as
link targets."""

import gzip
from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from igny8.publishing import linker, sitemap_jobs
from igny8.publishing.models import SitemapImport, SitemapPage
from tests.publishing.conftest import make_article

NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def urlset(*urls: tuple[str, str]) -> str:
    rows = "".join(
        f"<url><loc>{loc}</loc>{f'<lastmod>{mod}</lastmod>' if mod else ''}</url>" for loc, mod in urls
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset {NS}>{rows}</urlset>'


def index(*locs: str) -> str:
    rows = "".join(f"<sitemap><loc>{loc}</loc></sitemap>" for loc in locs)
    return f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex {NS}>{rows}</sitemapindex>'


def site_url(alice, path: str) -> str:
    return f"/api/v1/publishing/sites/{alice.site.pk}/{path}"


def worker(response) -> dict:
    """Runs the import a 202 queued, as the worker would; returns its status afterwards."""
    assert response.status_code == 202, response.json()
    assert sitemap_jobs.import_run(import_id=response.json()["data"]["id"]) in ("done", "failed")
    return sitemap_jobs.import_view(job=SitemapImport.objects.get(pk=response.json()["data"]["id"]))


def test_an_index_is_followed_to_its_two_sitemaps_and_the_pages_are_stored(alice, api, server):
    base = server.url
    server.add(
        "/sitemap_index.xml",
        index(f"{base}/post-sitemap.xml", f"{base}/page-sitemap.xml.gz", "https://elsewhere.example/s.xml"),
    )
    server.add(
        "/post-sitemap.xml",
        urlset((f"{base}/guides/milk-frothing/", "2026-10-01T08:30:00+00:00"), (f"{base}/grind-size", "")),
    )
    server.add(
        "/page-sitemap.xml.gz",
        gzip.compress(urlset((f"{base}/about-us.html", "2026-09-15"), ("ftp://x.example/file", "")).encode()),
        headers={"Content-Type": "application/gzip"},
    )

    response = api.post(site_url(alice, "sitemap/"), {"url": f"{base}/sitemap_index.xml"}, format="json")

    assert server.hits == []  # the request only queued the import
    status = worker(response)
    assert (status["status"], status["result"]) == (
        "done",
        {"pages": 3, "sitemaps": 3, "skipped": 2, "truncated": False},
    )
    assert status["message"] == (
        "Imported 3 page(s) from 3 sitemap(s). 2 address(es) skipped (another host, or not http/https)."
    )
    # The other host's sitemap is never fetched.
    assert server.hits == ["/sitemap_index.xml", "/post-sitemap.xml", "/page-sitemap.xml.gz"]
    rows = list(SitemapPage.objects.filter(site=alice.site).values_list("url", "title", "slug", "lastmod"))
    assert rows == [
        (f"{base}/about-us.html", "About us", "about-us", datetime(2026, 9, 15, tzinfo=UTC)),
        (f"{base}/grind-size", "Grind size", "grind-size", None),
        (
            f"{base}/guides/milk-frothing/",
            "Milk frothing",
            "milk-frothing",
            datetime(2026, 10, 1, 8, 30, tzinfo=UTC),
        ),
    ]
    listed = api.get(site_url(alice, "sitemap/")).json()["data"]
    assert [p["title"] for p in listed] == ["About us", "Grind size", "Milk frothing"]


def test_an_uploaded_file_replaces_the_list(alice, api):
    SitemapPage.objects.create(
        account=alice.account, site=alice.site, url="https://example.com/old/", title="Old"
    )
    upload = urlset(("https://example.com/espresso-basics/", "2026-01-02"))
    response = api.post(
        site_url(alice, "sitemap/"),
        {"file": SimpleUploadedFile("sitemap.xml", upload.encode(), content_type="text/xml")},
        format="multipart",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["message"] == "Imported 1 page(s) from 1 sitemap(s)."
    assert list(SitemapPage.objects.filter(site=alice.site).values_list("url", "title")) == [
        ("https://example.com/espresso-basics/", "Espresso basics")
    ]


def test_a_private_address_is_refused_before_any_connection(alice, api, settings):
    settings.OUTBOUND_ALLOW = []
    response = api.post(site_url(alice, "sitemap/"), {"url": "http://10.1.2.3/sitemap.xml"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["url"] == [
        "10.1.2.3 is a private, loopback or reserved address; the server does not connect there. "
        "An operator can allow it with IGNY8_OUTBOUND_ALLOW."
    ]
    assert not SitemapPage.objects.exists()


def test_an_index_naming_a_loopback_sitemap_is_refused_without_the_allowance(alice, api, settings):
    settings.OUTBOUND_ALLOW = []
    upload = SimpleUploadedFile("index.xml", index("http://127.0.0.1:9/child.xml").encode(), "text/xml")
    status = worker(api.post(site_url(alice, "sitemap/"), {"file": upload}, format="multipart"))
    assert (status["status"], status["error_field"]) == ("failed", "file")
    assert status["error"] == (
        "127.0.0.1 is a private, loopback or reserved address; the server does not connect there. "
        "An operator can allow it with IGNY8_OUTBOUND_ALLOW."
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("<urlset><url><loc>https://example.com/a</loc></url>", "The file is not well-formed XML"),
        ("<rss><channel/></rss>", "The file is XML but not a sitemap: it starts with <rss>"),
        (
            '<?xml version="1.0"?><!DOCTYPE u [<!ENTITY a "aaaa">]><urlset>&a;</urlset>',
            "The file uses XML features a sitemap never needs (a DTD or entities); it was not read.",
        ),
    ],
)
def test_malformed_xml_is_a_clear_400_naming_the_file(alice, api, body, message):
    response = api.post(
        site_url(alice, "sitemap/"),
        {"file": SimpleUploadedFile("sitemap.xml", body.encode(), content_type="text/xml")},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["file"][0].startswith(message)


def test_url_and_file_together_or_neither_is_a_400(alice, api):
    response = api.post(site_url(alice, "sitemap/"), {}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["url"] == [
        "Send the sitemap's address (url) or upload the file (file), one of the two."
    ]


def test_an_http_error_and_a_viewer_are_refused(alice, bob, api, server):
    server.add("/gone.xml", "gone", status=410)
    response = api.post(site_url(alice, "sitemap/"), {"url": f"{server.url}/gone.xml"}, format="json")
    status = worker(response)
    assert (status["status"], status["error_field"], status["error"]) == (
        "failed",
        "url",
        f"{server.url}/gone.xml answered HTTP 410; no sitemap there.",
    )
    viewer = bob.client().post(site_url(alice, "sitemap/"), {"url": f"{server.url}/gone.xml"}, format="json")
    assert viewer.status_code == 403


def test_the_linker_offers_sitemap_pages_after_the_articles(alice, site, cluster):
    SitemapPage.objects.create(
        account=alice.account,
        site=alice.site,
        url="https://example.com/milk-frothing/",
        title="Milk frothing",
    )
    SitemapPage.objects.create(
        account=alice.account, site=alice.site, url="https://example.com/grind-size/", title="Grind size"
    )
    target = make_article(alice, title="Tamping", html="<p>x</p>", cluster=cluster, primary="tamping")
    source = make_article(
        alice,
        title="Espresso",
        html="<p>Tamping, grind size and milk frothing decide the cup.</p>",
        cluster=cluster,
    )
    found = linker.links_suggest(content=source, max_links=3)
    assert [(s.kind, s.target_id, s.url, s.anchor, s.published) for s in found] == [
        ("article", target.pk, f"/__igny8/content/{target.pk}/", "Tamping", False),
        (
            "page",
            SitemapPage.objects.get(title="Grind size").pk,
            "https://example.com/grind-size/",
            "grind size",
            True,
        ),
        (
            "page",
            SitemapPage.objects.get(title="Milk frothing").pk,
            "https://example.com/milk-frothing/",
            "milk frothing",
            True,
        ),
    ]
    html, _ = linker.links_plan(content=source, max_links=3)
    assert html == (
        f'<p><a href="/__igny8/content/{target.pk}/">Tamping</a>, '
        '<a href="https://example.com/grind-size/">grind size</a> and '
        '<a href="https://example.com/milk-frothing/">milk frothing</a> decide the cup.</p>'
    )
