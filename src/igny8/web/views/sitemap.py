"""The site's existing pages (imported from its sitemap) on the Publishing page's "Existing pages"
page: the list as last imported and a form taking a sitemap.xml upload or its address, read by
publishing.sitemap.sitemap_import (the service the API calls). The linker offers links to them."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from igny8.core.errors import Invalid
from igny8.publishing import selectors, sitemap
from igny8.web.errors import form_errors
from igny8.web.render import page
from igny8.web.workspace import member_view

PAGES_PER_PAGE = 100


def _context(request, *, errors: dict | None = None, posted=None, message: str = "") -> dict:
    site = request.workspace.site
    pages = selectors.sitemap_pages(site=site).only("pk", "url", "title", "lastmod")
    return {
        "site": site,
        "pages": Paginator(pages, PAGES_PER_PAGE).get_page(request.GET.get("page")),
        "errors": errors or {},
        "posted": posted or {},
        "message": message,
        "max_pages": sitemap.MAX_PAGES,
        "max_sitemaps": sitemap.MAX_SITEMAPS,
        "query": request.GET,
    }


@member_view
def sitemap_pages(request):
    """GET: the pages. POST (editors): import them again from `url` or the uploaded `file`."""
    site = request.workspace.site
    if site is None:
        raise Http404("No site.")
    if request.method != "POST":
        imported = request.GET.get("imported", "")
        message = f"Imported {int(imported):,} page(s)." if imported.isdigit() else ""
        return page(request, "web/publishing/sitemap.html", _context(request, message=message))
    upload = request.FILES.get("file")
    url = request.POST.get("url", "").strip()
    try:
        if upload is not None and url:
            raise Invalid("Upload the file or give the address, not both.", field="url")
        if upload is None and not url:
            raise Invalid("Upload a sitemap.xml file or give the sitemap's address.", field="url")
        report = sitemap.sitemap_import(
            site=site,
            url=url or None,
            data=upload.read(sitemap.MAX_BYTES + 1) if upload is not None else None,
        )
    except Invalid as error:
        context = _context(request, errors=form_errors(error), posted=request.POST)
        return page(request, "web/publishing/sitemap.html", context, status=400)
    return redirect(reverse("web:publishing-sitemap") + f"?imported={report.pages}")
