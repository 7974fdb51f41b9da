"""The publish panel's category and author pickers: read from the site's WordPress by
publishing.pickers (cached a few minutes) and loaded into the form after the page (htmx, on load),
so a slow or unreachable WordPress never holds the article's page up. A failure says why, with a
Retry button that reads the lists afresh."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from igny8.core.errors import DomainError, Unavailable
from igny8.core.text import is_id
from igny8.publishing import pickers
from igny8.web.render import partial
from igny8.web.tables import site_rows
from igny8.web.workspace import member_view
from igny8.writer import selectors as writer_selectors


def posted_choices(post) -> dict:
    """What a publish form posted for the pickers: category ids and an author id (None: none)."""
    categories = [int(v) for v in post.getlist("categories") if is_id(v.strip())]
    author = post.get("author", "").strip()
    return {"category_ids": categories, "author": int(author) if is_id(author) else None}


@member_view
def content_publish_choices(request, pk: int):
    content = get_object_or_404(
        site_rows(request, writer_selectors.content_list).select_related("site"), pk=pk
    )
    context = {"content": content, "choices": None, "error": "", "retry": False}
    try:
        context["choices"] = pickers.site_choices(
            site=content.site, refresh=request.GET.get("refresh") == "1"
        )
    except Unavailable as error:  # WordPress did not answer, or refused: worth another try
        context["error"], context["retry"] = error.message, True
    except DomainError as error:  # no connection or a refused address: the settings are the fix
        context["error"] = error.message
    return partial(request, "web/publishing/pickers.html", context)
