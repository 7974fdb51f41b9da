"""Clusters (table, detail with keywords, Generate ideas) and ideas (list, outline, Queue to writer)."""

from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from igny8.ai import services as ai_services
from igny8.planner import cannibalisation, cluster_map, filters, selectors, services
from igny8.planner.models import Cluster, ClusterStatus, IdeaStatus
from igny8.web.render import page, partial
from igny8.web.runs import generation_options, start_and_show
from igny8.web.tables import SelectionError, chosen, list_page, selection, site_rows
from igny8.web.workspace import member_view

CLUSTER_SORT = ["name", "keywords_count", "volume", "avg_difficulty", "created_at", "status"]
IDEA_SORT = ["title", "estimated_word_count", "created_at", "status"]


def _clusters(request):
    return site_rows(request, selectors.cluster_list)


def _ideas(request):
    return site_rows(request, selectors.idea_list)


@member_view
def cluster_list(request):
    return list_page(
        request,
        queryset=_clusters(request),
        filterset_class=filters.ClusterFilter,
        search_fields=["name", "description"],
        sort_fields=CLUSTER_SORT,
        template="web/planner/clusters.html",
        table_template="web/planner/cluster_table.html",
        target="cluster-table",
        extra={"statuses": ClusterStatus.choices},
    )


# The "move to" list of the cluster page: enough for any site a person sorts by hand.
MOVE_TARGETS = 1_000


def cluster_detail_context(cluster) -> dict:
    """What the cluster page shows (also when an edit on it was refused)."""
    return {
        "cluster": cluster,
        "keywords": cluster.keywords.order_by("-volume", "keyword")[:500],
        "ideas": cluster.ideas.order_by("-created_at")[:100],
        "others": Cluster.objects.filter(site_id=cluster.site_id)
        .exclude(pk=cluster.pk)
        .order_by("name")
        .values("pk", "name")[:MOVE_TARGETS],
    }


@member_view
def cluster_detail(request, pk: int):
    cluster = get_object_or_404(_clusters(request), pk=pk)
    return page(request, "web/planner/cluster.html", cluster_detail_context(cluster))


@require_POST
@member_view
def cluster_generate_ideas(request):
    ws = request.workspace

    def start():
        ids = sorted(chosen(rows=_clusters(request), post=request.POST).values_list("pk", flat=True))
        return ai_services.run_start(
            account=ws.account,
            function_name="auto_generate_ideas",
            payload={**generation_options(request.POST), "ids": ids},
            site=ws.site,
            user=request.user,
        )

    return start_and_show(request, function_name="auto_generate_ideas", starter=start)


@member_view
def idea_list(request):
    return list_page(
        request,
        queryset=_ideas(request),
        filterset_class=filters.ContentIdeaFilter,
        search_fields=["title", "description", "primary_keyword"],
        sort_fields=IDEA_SORT,
        template="web/planner/ideas.html",
        table_template="web/planner/idea_table.html",
        target="idea-table",
        extra={"statuses": IdeaStatus.choices, "cannibalisation": cannibalisation.Index()},
    )


@member_view
def idea_detail(request, pk: int):
    idea = get_object_or_404(_ideas(request), pk=pk)
    template = "web/planner/idea_outline.html" if request.htmx else "web/planner/idea.html"
    return (partial if request.htmx else page)(request, template, {"idea": idea})


@require_POST
@member_view
def idea_queue(request):
    """Queue the ticked ideas to the writer. When they form cannibalisation pairs and the person has
    not confirmed yet, nothing is queued: the pairs are named and the ideas listed to untick or
    confirm (in the modal with htmx, else on a page)."""
    try:
        ideas = list(selection(rows=_ideas(request), post=request.POST))
    except SelectionError as error:
        return _queue_answer(request, {"error": str(error)}, status=400)
    try:
        warnings = cannibalisation.queue_check(ideas=ideas, confirm=request.POST.get("confirm") == "1")
    except cannibalisation.NeedsConfirmation as question:
        pairs = [{"sides": (pair.first, pair.second), "reason": pair.reason} for pair in question.pairs]
        confirm = {"message": question.message, "pairs": pairs, "ideas": ideas, "paired": question.paired}
        # 200: a question, not an error answer (htmx would not swap a 409 into the modal).
        return _queue_answer(request, {"confirm": confirm})
    result = services.ideas_queue_to_writer(ideas=ideas)
    return _queue_answer(request, {"result": result, "warnings": warnings})


def _queue_answer(request, context: dict, *, status: int = 200):
    if request.htmx and not request.htmx.boosted:
        # The modal shows a refusal too; htmx would not swap a 4xx answer into it.
        return partial(request, "web/planner/queue_modal.html", context)
    return page(request, "web/planner/ideas_result.html", context, status=status)


@member_view
def cluster_map_page(request):
    """The site's clusters as a picture: the keyword map (click a cluster to open it) and the
    volume / difficulty of the biggest clusters. Drawn by static/web/cluster-map.js from json_script."""
    data = cluster_map.cluster_map(site=request.workspace.site)
    context = {"map": data, "map_data": data.as_dict(), "focus": request.GET.get("cluster", "")}
    return page(request, "web/planner/cluster_map.html", context)
