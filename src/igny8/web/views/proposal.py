"""Optimize with AI as a proposal: the run (payload propose=true) stores the optimised version on
its result; this page shows it beside the current text with the score before and after, and applies
only the ticked fields on Accept (optimizing.optimization_accept). A field edited by hand is named
and left unticked; a proposal for an older version of the article is refused."""

from __future__ import annotations

import difflib

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.html import strip_tags

from igny8.ai.models import AIRun, RunStatus
from igny8.core.errors import DomainError
from igny8.publishing import optimizing
from igny8.web.render import page
from igny8.web.tables import site_rows
from igny8.web.workspace import member_view
from igny8.writer import selectors as writer_selectors
from igny8.writer.models import Content

LABELS = {
    "title": "Title",
    "meta_title": "Meta title",
    "meta_description": "Meta description",
    "html": "Body",
}
RECENT_RUNS = 20


def proposal_of(run: AIRun, content_id: int) -> dict | None:
    for item in (run.result or {}).get("items", []):
        if item.get("content_id") == content_id and "proposal" in item:
            return item
    return None


def latest_proposal(*, content: Content) -> tuple[AIRun, dict] | None:
    """The newest finished proposal still made for the article as it is now."""
    runs = AIRun.objects.filter(
        account_id=content.account_id, function_name="optimize_content", status=RunStatus.SUCCESS
    ).order_by("-created_at", "-id")[:RECENT_RUNS]
    for run in runs:
        item = proposal_of(run, content.pk)
        if item is not None:
            if item.get("base_updated_at") == content.updated_at.isoformat() and item.get("changed"):
                return run, item
            return None  # the newest proposal is stale or empty: nothing to review
    return None


def _text(name: str, value: str) -> list[str]:
    """A field as lines to compare: the body by paragraph as plain text, the rest as it is."""
    if name != "html":
        return [value]
    spaced = value.replace("</p>", "</p>\n").replace("</h2>", "</h2>\n").replace("</h3>", "</h3>\n")
    return [line.strip() for line in strip_tags(spaced).splitlines() if line.strip()]


def diff_rows(*, content: Content, item: dict) -> list[dict]:
    rows = []
    for name in item["changed"]:
        before, after = _text(name, getattr(content, name)), _text(name, item["proposal"][name])
        lines = [
            {"kind": {"-": "removed", "+": "added"}.get(line[:1], "same"), "text": line[2:]}
            for line in difflib.ndiff(before, after)
            if not line.startswith("?")
        ]
        rows.append(
            {"field": name, "label": LABELS[name], "lines": lines, "hand_edited": name in item["hand_edited"]}
        )
    return rows


@member_view
def content_proposal(request, pk: int, task_id: str):
    content = get_object_or_404(
        site_rows(request, writer_selectors.content_list).select_related("site"), pk=pk
    )
    run = get_object_or_404(
        AIRun.objects.filter(account=request.workspace.account, function_name="optimize_content"),
        task_id=task_id,
    )
    item = proposal_of(run, content.pk)
    if item is None:
        raise Http404("This run made no proposal for this article.")
    error, status = "", 200
    if request.method == "POST":
        try:
            revision = optimizing.optimization_accept(
                content=content, proposed=item, fields=request.POST.getlist("fields")
            )
        except DomainError as refusal:
            error, status = refusal.message, 409 if refusal.kind == "conflict" else 400
        else:
            return redirect(reverse("web:content", args=[content.pk]) + f"?optimized={revision.pk}")
    stale = item.get("base_updated_at") != content.updated_at.isoformat()
    context = {
        "content": content,
        "run": run,
        "item": item,
        "rows": diff_rows(content=content, item=item),
        "stale": stale,
        "error": error,
    }
    return page(request, "web/publishing/proposal.html", context, status=status)
