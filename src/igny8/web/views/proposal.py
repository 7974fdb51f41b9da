"""Optimize with AI as a proposal: the run (payload propose=true) stores the optimised version on
its result; this page shows it beside the current text with the score before and after, and applies
only the ticked fields on Accept (optimizing.optimization_accept). A field edited by hand is named
and left unticked; a proposal for an older version of the article is refused."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from igny8.ai.models import AIRun
from igny8.core.errors import DomainError
from igny8.publishing import optimizing
from igny8.publishing.proposals import diff_rows, proposal_of
from igny8.web.render import page
from igny8.web.tables import site_rows
from igny8.web.workspace import member_view
from igny8.writer import selectors as writer_selectors


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
