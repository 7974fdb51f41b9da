"""The web side of the editor's desk (issue 13, points 6 and 7): the site's existing pages from its
sitemap on the Publishing page and in link suggestions, and the publish panel's category and author
pickers read from the fake WordPress."""

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile

from igny8.publishing import sitemap_jobs
from igny8.publishing.models import PublishRecord, SitemapImport, SitemapPage
from tests.publishing.sitemap_server import SitemapServer

HX = {"HTTP_HX_REQUEST": "true"}
SITEMAP = (
    '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    "<url><loc>https://example.com/burr-grinder/</loc><lastmod>2026-03-04</lastmod></url>"
    "<url><loc>https://example.com/about/</loc></url></urlset>"
)


@pytest.fixture(autouse=True)
def _fast_wordpress(settings):
    settings.WORDPRESS_RETRY_BASE_SECONDS = 0
    settings.WORDPRESS_RETRY_MAX_SECONDS = 0
    settings.WORDPRESS_TIMEOUT_SECONDS = 5


def test_an_uploaded_sitemap_lists_its_pages_and_the_linker_offers_them(web, data):
    response = web.post(
        "/publishing/sitemap/", {"file": SimpleUploadedFile("sitemap.xml", SITEMAP.encode(), "text/xml")}
    )
    assert response.status_code == 302
    assert response["Location"] == "/publishing/sitemap/?imported=2"
    page = BeautifulSoup(web.get(response["Location"]).content.decode(), "html.parser")
    assert page.select_one("[role=status]").get_text(strip=True) == "Imported 2 page(s)."
    rows = [
        [td.get_text(" ", strip=True) for td in tr.select("td")] for tr in page.select("[data-sitemap-page]")
    ]
    assert rows == [
        ["About", "https://example.com/about/ (opens in a new tab)", "not given"],
        ["Burr grinder", "https://example.com/burr-grinder/ (opens in a new tab)", "2026-03-04"],
    ]
    index = web.get("/publishing/").content.decode()
    assert "2 page(s) of Alice Site imported from its sitemap" in index

    # The article mentions "burr grinder": the suggestions (and the editor's panel) offer the page.
    content = data["content"]
    content.html = "<p>A burr grinder makes the difference.</p>"
    content.save()
    links = BeautifulSoup(web.get(f"/writer/content/{content.pk}/links/").content.decode(), "html.parser")
    [item] = links.select("[data-link-suggestions] li")
    assert item.get_text(" ", strip=True) == (
        '"burr grinder" links to Burr grinder (opens in a new tab) existing page, from the sitemap'
    )
    editor = BeautifulSoup(web.get(f"/writer/content/{content.pk}/edit/").content.decode(), "html.parser")
    [offered] = editor.select("[data-editor-links] li")
    assert offered["data-link-kind"] == "page"
    assert offered.get_text(" ", strip=True) == "“burr grinder” → Burr grinder existing page"
    score = web.post(f"/writer/content/{content.pk}/edit/score/", {"html": content.html}).json()
    assert [(link["kind"], link["anchor"]) for link in score["links"]] == [("page", "burr grinder")]


def test_a_malformed_sitemap_is_a_400_on_the_file_field_and_a_private_address_on_the_url(web, data, settings):
    bad = web.post(
        "/publishing/sitemap/", {"file": SimpleUploadedFile("s.xml", b"<urlset><url>", "text/xml")}
    )
    assert bad.status_code == 400
    page = BeautifulSoup(bad.content.decode(), "html.parser")
    assert (
        page.select_one("#sm-file-error").get_text(strip=True).startswith("The file is not well-formed XML (")
    )
    settings.OUTBOUND_ALLOW = []
    private = web.post("/publishing/sitemap/", {"url": "http://192.168.1.5/sitemap.xml"})
    assert private.status_code == 400
    page = BeautifulSoup(private.content.decode(), "html.parser")
    assert page.select_one("#sm-url-error").get_text(strip=True) == (
        "192.168.1.5 is a private, loopback or reserved address; the server does not connect there. "
        "An operator can allow it with IGNY8_OUTBOUND_ALLOW."
    )
    assert page.select_one("#sm-url")["value"] == "http://192.168.1.5/sitemap.xml"
    assert not SitemapPage.objects.exists()


def test_an_address_is_read_by_a_worker_while_the_page_shows_progress(web, data, settings, monkeypatch):
    monkeypatch.setattr("igny8.core.jobs.send", lambda *, task_name, args, task_id=None: True)
    settings.OUTBOUND_ALLOW = ["127.0.0.1"]
    server = SitemapServer().start()
    try:
        server.add("/sitemap.xml", SITEMAP)
        started = web.post("/publishing/sitemap/", {"url": f"{server.url}/sitemap.xml"})
        job = SitemapImport.objects.get()
        assert (started.status_code, started["Location"]) == (
            302,
            f"/publishing/sitemap/?import={job.pk}#import",
        )
        page = BeautifulSoup(web.get(started["Location"]).content.decode(), "html.parser")
        box = page.select_one("#sitemap-progress")
        assert (box["hx-get"], box["hx-trigger"]) == (f"/publishing/sitemap/imports/{job.pk}/", "every 1s")
        assert " ".join(box.select_one("[role=status]").get_text().split()) == "0% · Waiting for a worker…"
        assert server.hits == []  # the page answered without reading the sitemap

        assert sitemap_jobs.import_run(import_id=job.pk) == "done"
    finally:
        server.stop()
    polled = BeautifulSoup(web.get(box["hx-get"], **HX).content.decode(), "html.parser")
    done = polled.select_one("#sitemap-progress")
    assert done.has_attr("data-finished") and not done.has_attr("hx-get")  # the polling stops
    assert done.select_one("[role=status]").get_text(strip=True) == "Imported 2 page(s) from 1 sitemap(s)."
    swapped = polled.select_one("#sitemap-pages")
    assert swapped["hx-swap-oob"] == "true"  # the list below is replaced with the new pages
    assert [tr.td.get_text() for tr in swapped.select("[data-sitemap-page]")] == ["About", "Burr grinder"]


def test_a_failed_import_says_why_in_the_box(web, data, monkeypatch):
    monkeypatch.setattr("igny8.core.jobs.send", lambda *, task_name, args, task_id=None: True)
    job = SitemapImport.objects.create(
        account=data["content"].account,
        site=data["content"].site,
        url="https://example.com/sitemap.xml",
        status="failed",
        error="https://example.com/sitemap.xml answered HTTP 410; no sitemap there.",
    )
    box = BeautifulSoup(web.get(f"/publishing/sitemap/imports/{job.pk}/", **HX).content, "html.parser")
    assert box.select_one("[role=alert]").get_text(" ", strip=True) == (
        "Nothing was imported: https://example.com/sitemap.xml answered HTTP 410; no sitemap there."
    )
    assert web.get(f"/publishing/sitemap/imports/{job.pk + 1}/", **HX).status_code == 404


def test_a_viewer_sees_the_pages_but_cannot_import(viewer, data):
    page = viewer.get("/publishing/sitemap/").content.decode()
    assert "Import from the sitemap" not in page
    refused = viewer.post("/publishing/sitemap/", {"url": "https://example.com/sitemap.xml"})
    assert refused.status_code == 403


def test_the_publish_panel_offers_the_sites_categories_and_authors_and_sends_them(
    web, data, wp_site, wp, publish_worker
):
    gear = wp.add_term("categories", "Gear & Tools")
    wp.authors.append({"id": 7, "name": "Ana Writer", "slug": "ana"})
    content = data["content"]
    page = web.get(f"/writer/content/{content.pk}/").content.decode()
    assert (
        f'hx-get="/writer/content/{content.pk}/publish/choices/" hx-trigger="load" hx-target="this"' in page
    )

    pickers = BeautifulSoup(
        web.get(f"/writer/content/{content.pk}/publish/choices/", **HX).content, "html.parser"
    )
    assert [(o["value"], o.get_text()) for o in pickers.select("#pub-categories option")] == [
        (str(gear), "Gear & Tools")
    ]
    assert [(o["value"], o.get_text()) for o in pickers.select("#pub-author option")] == [
        ("", "The connection's user"),
        ("7", "Ana Writer"),
        ("1", "Ed"),
    ]

    with publish_worker():
        sent = web.post(
            f"/writer/content/{content.pk}/publish/",
            {"status": "draft", "categories": [str(gear)], "author": "7"},
            **HX,
        )
    assert sent.status_code == 200
    assert PublishRecord.objects.get(content=content).options == {
        "categories": [],
        "category_ids": [gear],
        "author": 7,
        "force": False,
    }
    [post] = wp.posts.values()
    assert (post["status"], post["categories"], post["author"]) == ("draft", [gear], 7)


def test_an_unknown_author_is_refused_on_the_panel_and_nothing_is_sent(web, data, wp_site, wp):
    content = data["content"]
    refused = web.post(f"/writer/content/{content.pk}/publish/", {"status": "draft", "author": "99"}, **HX)
    assert refused.status_code == 400
    errors = [
        p.get_text(strip=True)
        for p in BeautifulSoup(refused.content, "html.parser").select("[data-picker-error]")
    ]
    assert errors == ["Author: The site's WordPress has no author with id 99; pick one of its authors."]
    assert wp.posts == {}


def test_pickers_say_why_when_wordpress_cannot_be_read(web, data, wp_site, wp):
    wp.fail_next = [401] * 10
    content = data["content"]
    pickers = BeautifulSoup(
        web.get(f"/writer/content/{content.pk}/publish/choices/", **HX).content, "html.parser"
    )
    note = pickers.select_one("[data-pickers-error]").get_text(" ", strip=True)
    assert note.startswith("Could not read the site's categories and authors: ")
    assert note.endswith(
        "The article's cluster is used as its category and the connection's user as its author."
    )
    assert pickers.select("select") == []
    retry = pickers.select_one("[data-pickers-retry]")
    assert (retry.get_text(strip=True), retry["hx-get"], retry["hx-target"]) == (
        "Retry",
        f"/writer/content/{content.pk}/publish/choices/?refresh=1",
        "closest [data-pickers]",
    )
    assert wp.count("GET", "/wp-json/wp/v2/") == 1  # one try while the page waits

    wp.fail_next = []  # WordPress is back: Retry reads the lists afresh
    again = BeautifulSoup(web.get(retry["hx-get"], **HX).content, "html.parser")
    assert [o.get_text() for o in again.select("#pub-author option")] == ["The connection's user", "Ed"]
    assert again.select("[data-pickers-retry]") == []
