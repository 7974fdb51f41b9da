"""Exports as HTTP downloads: one article as a file, or articles as a zip. Shared by the API's
export endpoints and the web's download buttons (the files themselves: publishing/export.py)."""

from django.http import FileResponse, HttpResponse

from igny8.core.errors import Invalid
from igny8.publishing import export


def export_file(exported: export.ArticleExport, fmt: str) -> HttpResponse:
    """One article as a download; `fmt` html or md (an unknown one is a 400 naming the parameter)."""
    if fmt not in export.FORMATS:
        raise Invalid(f"Unknown export format {fmt!r}; use html or md.", field="as")
    name, media_type, text = exported.file(fmt)
    response = HttpResponse(text, content_type=f"{media_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def export_zip(contents, *, name: str) -> FileResponse:
    archive, _ = export.contents_zip(contents=contents)
    return FileResponse(archive, as_attachment=True, filename=name, content_type="application/zip")
