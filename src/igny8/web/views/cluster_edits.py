"""Cluster corrections in the web: rename, lock, move / split / unassign picked keywords, delete (from the
cluster page) and merge (from the list). Each POST calls planner.cluster_edits and lands back on a page
with a note; a refusal is shown on the page it came from with the status the API would give."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from igny8.core.errors import DomainError, Invalid, status_for
from igny8.planner import cluster_edits, selectors
from igny8.web.render import page
from igny8.web.tables import SelectionError, selection, site_rows
from igny8.web.views.planner import cluster_detail_context
from igny8.web.workspace import member_view

KEYWORD_ACTIONS = ("move", "split", "unassign")


def _clusters(request: HttpRequest):
    return site_rows(request, selectors.cluster_list)


def _ids(values: list[str], *, field: str) -> list[int]:
    try:
        return [int(value) for value in values]
    except ValueError as error:
        raise Invalid("Ids must be numbers.", field=field) from error


def _refused(request: HttpRequest, cluster, error: DomainError) -> HttpResponse:
    context = {**cluster_detail_context(cluster), "error": error.message}
    return page(request, "web/planner/cluster.html", context, status=status_for(error))


@require_POST
@member_view
def cluster_rename(request: HttpRequest, pk: int) -> HttpResponse:
    cluster = get_object_or_404(_clusters(request), pk=pk)
    try:
        cluster = cluster_edits.cluster_rename(cluster=cluster, name=request.POST.get("name", ""))
    except DomainError as error:
        return _refused(request, cluster, error)
    messages.success(request, f'Renamed to "{cluster.name}".')
    return redirect("web:cluster", pk=cluster.pk)


@require_POST
@member_view
def cluster_lock(request: HttpRequest, pk: int) -> HttpResponse:
    cluster = get_object_or_404(_clusters(request), pk=pk)
    locked = request.POST.get("locked") == "1"
    cluster_edits.cluster_lock(cluster=cluster, locked=locked)
    messages.success(request, "Locked: clustering runs will not change it." if locked else "Unlocked.")
    return redirect("web:cluster", pk=cluster.pk)


@require_POST
@member_view
def cluster_keywords(request: HttpRequest, pk: int) -> HttpResponse:
    """The ticked keywords of the cluster: moved to another cluster, split off into a new one, or
    taken out of every cluster (the button pressed is `action`)."""
    cluster = get_object_or_404(_clusters(request), pk=pk)
    action = request.POST.get("action", "")
    try:
        if action not in KEYWORD_ACTIONS:
            raise Invalid("Choose move, split or remove.", field="action")
        ids = _ids(request.POST.getlist("keyword_ids"), field="keyword_ids")
        if action == "split":
            new = cluster_edits.cluster_split(
                cluster=cluster, keyword_ids=ids, name=request.POST.get("name", "")
            )
            messages.success(request, f'Moved {len(ids)} keyword(s) to the new cluster "{new.name}".')
            return redirect("web:cluster", pk=new.pk)
        to_cluster = None
        if action == "move":
            if not request.POST.get("to_cluster"):
                raise Invalid("Pick the cluster to move the keywords to.", field="to_cluster")
            to_cluster = _ids([request.POST["to_cluster"]], field="to_cluster")[0]
        target = cluster_edits.keywords_move(cluster=cluster, keyword_ids=ids, to_cluster_id=to_cluster)
    except DomainError as error:
        return _refused(request, cluster, error)
    where = f'"{target.name}"' if target else "no cluster: they are unclustered again"
    messages.success(request, f"Moved {len(ids)} keyword(s) to {where}.")
    return redirect("web:cluster", pk=cluster.pk)


@require_POST
@member_view
def cluster_delete(request: HttpRequest, pk: int) -> HttpResponse:
    cluster = get_object_or_404(_clusters(request), pk=pk)
    cluster_edits.clusters_delete(clusters=[cluster])
    messages.success(request, f'Deleted "{cluster.name}"; its keywords are unclustered again.')
    return redirect("web:clusters")


@require_POST
@member_view
def clusters_merge(request: HttpRequest) -> HttpResponse:
    """The clusters ticked in the list (or all matching) become one, named as typed or as the biggest."""
    ws = request.workspace
    try:
        clusters = list(selection(rows=_clusters(request), post=request.POST).values_list("pk", flat=True))
        name = request.POST.get("merge_name", "").strip() or None
        merged = cluster_edits.clusters_merge(site=ws.site, cluster_ids=clusters, name=name)
    except (SelectionError, DomainError) as error:
        status = status_for(error) if isinstance(error, DomainError) else 400
        return page(request, "web/planner/clusters_merge_refused.html", {"error": str(error)}, status=status)
    messages.success(request, f'Merged {len(clusters)} clusters into "{merged.name}".')
    return redirect("web:cluster", pk=merged.pk)
