"""Sitemaps read by a worker (the job kernel), not inside the web request.

Why: reading an address means up to MAX_SITEMAPS fetches of up to 10 s each; inside the request
that held a web worker for minutes (issue 12 point 7). So an address, or an uploaded sitemap index
(its sitemaps are fetched too), or an upload bigger than SITEMAP_SYNC_MAX_BYTES, is recorded as a
SitemapImport and read by a worker, with progress in sitemaps; the request answers at once (API 202
with a status address, the web page polls). An uploaded urlset up to that size fetches nothing
and is still read in the request.

The report is the synchronous import's (sitemap.pages_store), field for field. The pages are
replaced and the row finished in one transaction, by the worker that still holds the job: one
that dies leaves the list as it was, and the sweep's re-run reads the sitemap again (a new import
replaces the list, so a re-run can neither duplicate nor lose a page)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from igny8.accounts.models import Site
from igny8.core import jobs, outbound
from igny8.core.errors import Invalid, NotFound
from igny8.core.models import JobStatus
from igny8.publishing import sitemap
from igny8.publishing.models import SitemapImport

log = logging.getLogger(__name__)

TASK = "igny8.publishing.tasks.run_sitemap_import"
MAX_ATTEMPTS = 3


def sitemap_start(
    *, site: Site, url: str | None = None, data: bytes | None = None, file_name: str = ""
) -> sitemap.ImportReport | SitemapImport:
    """The report of a small uploaded urlset read now, or the queued import of anything else."""
    if (url is None) == (data is None):
        raise Invalid("Upload a sitemap.xml file or give its address, one of the two.", field="url")
    if url is not None:
        try:  # the form now, and an IP address; a host name is judged when the worker connects
            outbound.check_address_early(url, what="sitemap address")
        except outbound.OutboundRefused as error:
            raise Invalid(str(error), field="url") from error
        return _queue(site=site, url=url)
    if not data.strip():
        raise Invalid("The uploaded file is empty.", field="file")
    document = sitemap.unpack(data, field="file")
    if len(document) > sitemap.MAX_BYTES:
        raise Invalid(f"The file is larger than {sitemap.MAX_BYTES // 1024 // 1024} MB.", field="file")
    if len(document) > settings.SITEMAP_SYNC_MAX_BYTES:
        return _queue(site=site, data=data, file_name=file_name)
    first = sitemap.parse(document, field="file")
    if first.sitemaps:  # an index: its sitemaps are fetched, by a worker
        return _queue(site=site, data=data, file_name=file_name)
    return sitemap.pages_store(site=site, collected=sitemap.follow(first))


def _queue(*, site: Site, url: str = "", data: bytes | None = None, file_name: str = "") -> SitemapImport:
    with transaction.atomic():
        job = SitemapImport.objects.create(
            account_id=site.account_id,
            site=site,
            url=url,
            upload=data,
            file_name=(file_name or ("sitemap.xml" if data is not None else ""))[:255],
            heartbeat_at=timezone.now(),
        )
        jobs.enqueue(task_name=TASK, args=[job.pk])
    return job


def import_get(*, site: Site, import_id: int | str) -> SitemapImport:
    """An import of this site; NotFound otherwise (another site's id reveals nothing)."""
    try:
        return SitemapImport.objects.get(pk=int(import_id), site=site)
    except (TypeError, ValueError, SitemapImport.DoesNotExist) as error:
        raise NotFound("No such sitemap import.") from error


def _finish_failed(*, job_id: int, seen: dict, error: str, field: str = "") -> bool:
    return jobs.claim(
        SitemapImport,
        pk=job_id,
        seen=seen,
        status=JobStatus.FAILED,
        error=error,
        error_field=field,
        upload=None,
        finished_at=timezone.now(),
    )


def import_run(*, import_id: int) -> str | None:
    """The worker's side: claims a queued import, reads the sitemaps with progress, replaces the
    pages and finishes the row in one transaction. None when someone else holds it or it is
    finished; else the final status."""
    job = SitemapImport.objects.select_related("site").filter(pk=import_id, status=JobStatus.QUEUED).first()
    if job is None:
        return None
    mine = jobs.take(SitemapImport, row=job, sitemaps_read=0, sitemaps_total=None)
    if mine is None:
        return None

    def progress(read: int, known: int) -> None:
        # Also the heartbeat: it comes after each sitemap (each at most DOCUMENT_SECONDS).
        jobs.still_mine(
            SitemapImport,
            pk=job.pk,
            mine=mine,
            sitemaps_read=read,
            sitemaps_total=known,
            heartbeat_at=timezone.now(),
        )

    try:
        data = bytes(job.upload) if job.upload is not None else None
        collected = sitemap.collect(url=None if data is not None else job.url, data=data, progress=progress)
        with transaction.atomic():
            report = sitemap.pages_store(site=job.site, collected=collected)
            # Lost when the sweep gave the job away meanwhile: the list is the new holder's to write.
            jobs.still_mine(
                SitemapImport,
                pk=job.pk,
                mine=mine,
                status=JobStatus.DONE,
                sitemaps_total=report.sitemaps,
                result=report.as_dict(),
                upload=None,
                heartbeat_at=timezone.now(),
                finished_at=timezone.now(),
            )
    except jobs.Lost:
        log.warning("Sitemap import %s was taken over by the sweep; this worker stops.", job.pk)
        return None
    except Invalid as error:  # the address, a fetch or a document: the person's input to fix
        _finish_failed(job_id=job.pk, seen=mine, error=error.message, field=error.field or "")
        return JobStatus.FAILED
    return JobStatus.DONE


def imports_sweep(*, now=None) -> dict:
    """Beat's side (core.jobs.sweep): a running import whose worker stopped beating is queued again
    or, after MAX_ATTEMPTS, failed with the reason; a queued import the broker lost is sent again."""

    def fail(job: SitemapImport, seen: dict) -> bool:
        return _finish_failed(
            job_id=job.pk,
            seen=seen,
            error=f"Reading the sitemap stopped {job.attempts} times without finishing (a worker "
            "died); the pages were left as they were. Try again or ask the operator.",
        )

    return jobs.sweep(
        SitemapImport,
        task_name=TASK,
        seconds=settings.SITEMAP_IMPORT_STALE_SECONDS,
        max_attempts=MAX_ATTEMPTS,
        fail=fail,
        now=now,
    )


def import_report(*, job: SitemapImport) -> sitemap.ImportReport | None:
    """The report of a finished import (None before)."""
    return sitemap.ImportReport(**job.result) if job.result else None


def import_view(*, job: SitemapImport) -> dict:
    """What the API's status endpoint answers."""
    report = import_report(job=job)
    return {
        "id": job.pk,
        "status": job.status,
        "status_label": job.get_status_display(),
        "url": job.url,
        "file_name": job.file_name,
        "sitemaps_read": job.sitemaps_read,
        "sitemaps_total": job.sitemaps_total,
        "percentage": job.percentage,
        "attempts": job.attempts,
        "result": job.result,
        "message": report.message if report else "",
        "error": job.error,
        "error_field": job.error_field,
        "created_at": job.created_at.isoformat(),
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }
