"""Sitemaps read by a worker (publishing/sitemap_jobs.py): the request answers 202 with a status
address and fetches nothing; the worker reports "n of N sitemaps read" and ends with the synchronous
report; a worker that loses its job writes nothing; the sweep re-queues, fails or re-sends."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from igny8.core.models import JobStatus
from igny8.publishing import sitemap, sitemap_jobs
from igny8.publishing.models import SitemapImport, SitemapPage
from tests.publishing.test_sitemap import index, urlset


def url(alice, path: str = "") -> str:
    return f"/api/v1/publishing/sites/{alice.site.pk}/sitemap/{path}"


def three_sitemaps(server) -> str:
    """An index naming two sitemaps of its host (three pages in all) and one of another host."""
    base = server.url
    server.add("/index.xml", index(f"{base}/a.xml", f"{base}/b.xml", "https://elsewhere.example/c.xml"))
    server.add("/a.xml", urlset((f"{base}/one/", "2026-01-02"), (f"{base}/two/", "")))
    server.add("/b.xml", urlset((f"{base}/three/", ""), (f"{base}/one/", "")))
    return f"{base}/index.xml"


def pages(site) -> list[str]:
    return list(SitemapPage.objects.filter(site=site).values_list("url", flat=True))


def test_an_address_is_queued_and_the_worker_reads_it_with_progress(
    alice, api, server, broker, django_capture_on_commit_callbacks
):
    address = three_sitemaps(server)
    SitemapPage.objects.create(
        account=alice.account, site=alice.site, url="https://x.example/old/", title="Old"
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(url(alice), {"url": address}, format="json")

    assert response.status_code == 202, response.json()
    job = SitemapImport.objects.get()
    body = response.json()
    assert body["data"]["status_url"] == f"/api/v1/publishing/sites/{alice.site.pk}/sitemap/imports/{job.pk}/"
    assert (body["data"]["status"], body["data"]["url"], body["data"]["percentage"]) == ("queued", address, 0)
    assert body["message"] == (
        "The sitemap is being read in the background; poll status_url for progress and the report."
    )
    assert broker == [(sitemap_jobs.TASK, [job.pk])]
    assert (server.hits, pages(alice.site)) == ([], ["https://x.example/old/"])  # nothing fetched yet

    assert sitemap_jobs.import_run(import_id=job.pk) == JobStatus.DONE
    assert sitemap_jobs.import_run(import_id=job.pk) is None  # a second message finds it finished

    status = api.get(body["data"]["status_url"]).json()["data"]
    assert {
        k: status[k] for k in ("status", "sitemaps_read", "sitemaps_total", "percentage", "attempts")
    } == {
        "status": "done",
        "sitemaps_read": 3,
        "sitemaps_total": 3,
        "percentage": 100,
        "attempts": 1,
    }
    assert status["result"] == {"pages": 3, "sitemaps": 3, "skipped": 1, "truncated": False}
    assert status["message"] == (
        "Imported 3 page(s) from 3 sitemap(s). 1 address(es) skipped (another host, or not http/https)."
    )
    base = server.url
    assert pages(alice.site) == [f"{base}/one/", f"{base}/three/", f"{base}/two/"]
    assert server.hits == ["/index.xml", "/a.xml", "/b.xml"]


def test_progress_counts_the_sitemaps_read_of_those_known(server, settings):
    address = three_sitemaps(server)
    heard: list[tuple[int, int]] = []
    collected = sitemap.collect(url=address, progress=lambda read, known: heard.append((read, known)))
    # After the index: 1 read, 3 known (itself and its two sitemaps on the host); then one by one.
    assert heard == [(1, 3), (2, 3), (3, 3)]
    assert (collected.sitemaps, collected.skipped, len(collected.pages)) == (3, 1, 3)


def test_the_workers_report_is_the_synchronous_report(alice, server, broker):
    """The job ends with what the synchronous pieces (collect, then pages_store) report for the
    same sitemap, field for field."""
    address = three_sitemaps(server)
    job = sitemap_jobs.sitemap_start(site=alice.site, url=address)
    sitemap_jobs.import_run(import_id=job.pk)
    job.refresh_from_db()
    direct = sitemap.pages_store(site=alice.site, collected=sitemap.collect(url=address))
    assert job.result == direct.as_dict() == {"pages": 3, "sitemaps": 3, "skipped": 1, "truncated": False}


def test_an_uploaded_index_is_read_by_the_worker_and_its_copy_dropped(alice, api, server, broker):
    base = server.url
    server.add("/a.xml", urlset((f"{base}/one/", "")))
    upload = SimpleUploadedFile("sitemap_index.xml", index(f"{base}/a.xml").encode(), "text/xml")

    response = api.post(url(alice), {"file": upload}, format="multipart")

    assert response.status_code == 202, response.json()
    job = SitemapImport.objects.get()
    assert (job.file_name, bytes(job.upload)) == ("sitemap_index.xml", index(f"{base}/a.xml").encode())
    assert server.hits == []
    assert sitemap_jobs.import_run(import_id=job.pk) == JobStatus.DONE
    job.refresh_from_db()
    assert (job.upload, job.result) == (None, {"pages": 1, "sitemaps": 2, "skipped": 0, "truncated": False})
    assert pages(alice.site) == [f"{base}/one/"]


def test_an_upload_above_the_sync_size_goes_to_the_worker(alice, api, broker, settings):
    settings.SITEMAP_SYNC_MAX_BYTES = 100
    document = urlset(("https://example.com/espresso-basics/", "2026-01-02")).encode()
    assert len(document) > 100
    small = api.post(
        url(alice), {"file": SimpleUploadedFile("s.xml", document, "text/xml")}, format="multipart"
    )
    assert small.status_code == 202
    assert sitemap_jobs.import_run(import_id=small.json()["data"]["id"]) == JobStatus.DONE
    assert pages(alice.site) == ["https://example.com/espresso-basics/"]

    settings.SITEMAP_SYNC_MAX_BYTES = 1024 * 1024  # the default: read in the request, 200 with the report
    now = api.post(
        url(alice), {"file": SimpleUploadedFile("s.xml", document, "text/xml")}, format="multipart"
    )
    assert (now.status_code, now.json()["data"]) == (
        200,
        {"pages": 1, "sitemaps": 1, "skipped": 0, "truncated": False},
    )
    assert SitemapImport.objects.count() == 1


def test_a_worker_that_lost_its_job_writes_nothing(alice, server, broker, monkeypatch):
    address = three_sitemaps(server)
    SitemapPage.objects.create(
        account=alice.account, site=alice.site, url="https://x.example/old/", title="Old"
    )
    job = sitemap_jobs.sitemap_start(site=alice.site, url=address)
    real_fetch = sitemap.fetch

    def fetch_then_lose(child, **kwargs):
        if child.endswith("/b.xml"):  # meanwhile the sweep re-queued it and another worker claimed it
            SitemapImport.objects.filter(pk=job.pk).update(attempts=2)
        return real_fetch(child, **kwargs)

    monkeypatch.setattr(sitemap, "fetch", fetch_then_lose)
    assert sitemap_jobs.import_run(import_id=job.pk) is None
    job.refresh_from_db()
    assert (job.status, job.attempts, job.sitemaps_read, job.result) == ("running", 2, 2, None)
    assert pages(alice.site) == ["https://x.example/old/"]  # the list is the new holder's to replace


def test_the_sweep_requeues_fails_and_resends(alice, broker):
    old = timezone.now() - timedelta(hours=1)
    common = {"account": alice.account, "site": alice.site, "url": "https://example.com/sitemap.xml"}
    stopped = SitemapImport.objects.create(status="running", attempts=1, heartbeat_at=old, **common)
    spent = SitemapImport.objects.create(
        status="running", attempts=3, heartbeat_at=old, upload=b"x", **common
    )
    lost = SitemapImport.objects.create(heartbeat_at=old, **common)
    fresh = SitemapImport.objects.create(status="running", attempts=1, heartbeat_at=timezone.now(), **common)

    assert sitemap_jobs.imports_sweep() == {"requeued": 1, "failed": 1, "resent": 1}

    assert sorted(broker) == sorted([(sitemap_jobs.TASK, [stopped.pk]), (sitemap_jobs.TASK, [lost.pk])])
    states = {j.pk: (j.status, j.attempts) for j in SitemapImport.objects.all()}
    assert states == {
        stopped.pk: ("queued", 1),
        spent.pk: ("failed", 3),
        lost.pk: ("queued", 0),
        fresh.pk: ("running", 1),
    }
    spent.refresh_from_db()
    assert (spent.error, spent.upload) == (
        "Reading the sitemap stopped 3 times without finishing (a worker died); the pages were left "
        "as they were. Try again or ask the operator.",
        None,
    )


def test_an_import_is_read_by_its_own_account_only(alice, charlie, api, broker):
    job = sitemap_jobs.sitemap_start(site=alice.site, url="https://example.com/sitemap.xml")
    theirs = charlie.client().get(f"/api/v1/publishing/sites/{charlie.site.pk}/sitemap/imports/{job.pk}/")
    assert theirs.status_code == 404
    mine_via_their_site = charlie.client().get(url(alice, f"imports/{job.pk}/"))
    assert mine_via_their_site.status_code == 404
    assert api.get(url(alice, f"imports/{job.pk}/")).json()["data"]["status"] == "queued"


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("ftp://example.com/sitemap.xml", "The sitemap address must start with http:// or https://."),
        (
            "http://10.1.2.3/sitemap.xml",
            "10.1.2.3 is a private, loopback or reserved address; the server does not connect there. "
            "An operator can allow it with IGNY8_OUTBOUND_ALLOW.",
        ),
    ],
)
def test_a_bad_address_is_refused_in_the_request_and_queues_nothing(
    alice, api, broker, settings, address, message
):
    settings.OUTBOUND_ALLOW = []
    response = api.post(url(alice), {"url": address}, format="json")
    assert (response.status_code, response.json()["errors"]["url"]) == (400, [message])
    assert (SitemapImport.objects.count(), broker) == (0, [])


def test_the_admin_shows_an_import_and_changes_nothing(alice, broker):
    from django.test import Client

    from igny8.accounts.models import User

    job = sitemap_jobs.sitemap_start(site=alice.site, url="https://example.com/sitemap.xml")
    staff = User.objects.create_superuser(email="root@example.com", password="correct-horse-battery")
    client = Client()
    client.force_login(staff)
    page = client.get(f"/admin/publishing/sitemapimport/{job.pk}/change/")
    assert page.status_code == 200
    assert "https://example.com/sitemap.xml" in page.content.decode()
    assert 'name="url"' not in page.content.decode()  # shown, not a form field
    assert client.get("/admin/publishing/sitemapimport/add/").status_code == 403
    posted = client.post(
        f"/admin/publishing/sitemapimport/{job.pk}/change/", {"url": "https://evil.example/"}
    )
    assert posted.status_code == 403
    job.refresh_from_db()
    assert job.url == "https://example.com/sitemap.xml"
