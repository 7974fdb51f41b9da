"""Export in the web app: one article as HTML or Markdown (the content page's buttons; Copy uses
static JS and the same text), a selection or the whole site as a zip (the content list). The files
come from publishing/export.py, the implementation the API and the CLI use."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from igny8.accounts import access
from igny8.core.errors import DomainError
from igny8.publishing import export
from igny8.publishing.downloads import export_file, export_zip
from igny8.web.errors import error_text
from igny8.web.render import page
from igny8.web.tables import site_rows
from igny8.web.views.publishing import _chosen_contents, _refused
from igny8.web.workspace import member_view
from igny8.writer import selectors as writer_selectors


@member_view
def content_export(request, pk: int, fmt: str):
    content = get_object_or_404(
        site_rows(request, writer_selectors.content_list).select_related("task"), pk=pk
    )
    if fmt not in export.FORMATS:
        raise Http404("No such export format.")
    exported = export.article_export(
        content=content, image_src=lambda image: request.build_absolute_uri(image.file.url)
    )
    return export_file(exported, fmt)


@require_POST
@member_view(write_role=access.READ)  # reading, though posted: a viewer may export too
def contents_export(request):
    """The content list's "Export selected (zip)" (the ticked rows, or all matching the filter), or
    "Export the whole site" (whole_site=1). A plain form post: the answer is the download."""
    site = request.workspace.site
    if site is None:
        return redirect("web:contents")
    if request.POST.get("whole_site") == "1":
        return export_zip(export.site_contents(site=site), name=export.site_zip_name(site=site))
    try:
        contents = _chosen_contents(request)
    except DomainError as error:
        if request.htmx:
            return _refused(request, "Export selected", error)
        context = {"error": error_text(error)}
        return page(request, "web/writer/export_refused.html", context, status=400)
    return export_zip(contents, name="articles.zip")
