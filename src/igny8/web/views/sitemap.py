"""The site's existing pages (imported from its sitemap) on the Publishing page's "Existing pages"
page: the list as last imported and a form taking a sitemap.xml upload or its address, started by
publishing.sitemap_jobs.sitemap_start (the service the API calls). A small uploaded urlset is read
at once; an address (or an index to follow) is read by a worker while a progress box polls, and
the list below is replaced when it is done. The linker offers links to the pages."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from igny8.core.errors import DomainError, Invalid
from igny8.core.text import is_id
from igny8.publishing import selectors, sitemap, sitemap_jobs
from igny8.publishing.models import SitemapImport
from igny8.web.errors import form_errors
from igny8.web.render import page, partial
from igny8.web.workspace import member_view

PAGES_PER_PAGE = 100


def _pages(request) -> dict:
    site = request.workspace.site
    pages = selectors.sitemap_pages(site=site).only("pk", "url", "title", "lastmod")
    return {
        "site": site,
        "pages": Paginator(pages, PAGES_PER_PAGE).get_page(request.GET.get("page")),
        "query": request.GET,
    }


def _context(request, *, errors: dict | None = None, posted=None, message: str = "", job=None) -> dict:
    return {
        **_pages(request),
        "errors": errors or {},
        "posted": posted or {},
        "message": message,
        "import_job": job,
        "report": sitemap_jobs.import_report(job=job) if job else None,
        "max_pages": sitemap.MAX_PAGES,
        "max_sitemaps": sitemap.MAX_SITEMAPS,
    }


def _site_import(request, import_id) -> SitemapImport | None:
    site = request.workspace.site
    if site is None:
        return None
    try:
        return sitemap_jobs.import_get(site=site, import_id=import_id)
    except DomainError:
        return None


@member_view
def sitemap_pages(request):
    """GET: the pages (and the progress of ?import=). POST (editors): import them again from `url`
    or the uploaded `file`."""
    site = request.workspace.site
    if site is None:
        raise Http404("No site.")
    if request.method != "POST":
        imported = request.GET.get("imported", "")
        message = f"Imported {int(imported):,} page(s)." if is_id(imported) else ""
        job = _site_import(request, request.GET["import"]) if request.GET.get("import") else None
        return page(request, "web/publishing/sitemap.html", _context(request, message=message, job=job))
    upload = request.FILES.get("file")
    url = request.POST.get("url", "").strip()
    try:
        if upload is not None and url:
            raise Invalid("Upload the file or give the address, not both.", field="url")
        if upload is None and not url:
            raise Invalid("Upload a sitemap.xml file or give the sitemap's address.", field="url")
        outcome = sitemap_jobs.sitemap_start(
            site=site,
            url=url or None,
            data=upload.read(sitemap.MAX_BYTES + 1) if upload is not None else None,
            file_name=upload.name if upload is not None else "",
        )
    except Invalid as error:
        context = _context(request, errors=form_errors(error), posted=request.POST)
        return page(request, "web/publishing/sitemap.html", context, status=400)
    if isinstance(outcome, SitemapImport):  # a worker reads it; the page polls its progress
        return redirect(f"{reverse('web:publishing-sitemap')}?import={outcome.pk}#import")
    return redirect(reverse("web:publishing-sitemap") + f"?imported={outcome.pages}")


@member_view
def sitemap_import_progress(request, pk: int):
    """The progress box of a sitemap read by a worker (polled every second until it finishes; then
    the pages list is swapped in too)."""
    job = _site_import(request, pk)
    if job is None:
        raise Http404("No such sitemap import.")
    if not request.htmx:
        return redirect(f"{reverse('web:publishing-sitemap')}?import={job.pk}#import")
    context = {"job": job, "report": sitemap_jobs.import_report(job=job)}
    if job.finished:  # the list below is replaced too (htmx out-of-band)
        context.update(_pages(request), refresh_pages=True)
    return partial(request, "web/publishing/sitemap_progress.html", context)
