"""Keywords: the filtered table, CSV import with its report, and the bulk actions."""

from django.http import Http404, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from igny8.accounts.models import Sector
from igny8.ai import services as ai_services
from igny8.core import services as core_services
from igny8.core.errors import DomainError, Invalid
from igny8.planner import filters, import_jobs, selectors
from igny8.planner.clustering.adaptive import CANDIDATES
from igny8.planner.models import Cluster, Intent, KeywordImport, KeywordStatus
from igny8.web.errors import error_text
from igny8.web.forms import ClusterOptionsForm, KeywordImportForm
from igny8.web.render import page, partial
from igny8.web.runs import start_and_show
from igny8.web.tables import (
    SelectionError,
    chosen,
    saved_query,
    selection,
    site_rows,
    table_build,
    table_page,
)
from igny8.web.workspace import member_view

SORT_FIELDS = ["keyword", "volume", "difficulty", "cpc", "created_at", "status", "intent"]
COLUMNS = [("keyword", "Keyword"), ("volume", "Volume"), ("difficulty", "Difficulty"), ("cpc", "CPC")]
COLUMNS += [("intent", "Intent"), ("status", "Status")]
# auto_cluster's methods as the API accepts them (web.forms.ClusterOptionsForm), with what each does.
CLUSTER_METHODS = [
    ("semantic", "Semantic (local embeddings, works offline)"),
    ("llm", "LLM (the AI groups the keywords; needs a provider)"),
    ("serp", "SERP overlap (shared ranking URLs from the import)"),
]
SERP_MODES = [("soft", "Soft (overlap with the pivot)"), ("hard", "Hard (overlap with every member)")]
CLUSTER_OPTIONS = ("method", "threshold", "min_cluster_size", "serp_mode")


def _rows(request, query: QueryDict):
    ws = request.workspace
    if ws.site is None:
        raise Http404("This account has no site yet.")
    return table_build(
        queryset=site_rows(request, selectors.keyword_list),
        query=query,
        filterset_class=filters.KeywordFilter,
        search_fields=["keyword"],
        sort_fields=SORT_FIELDS,
        default_sort="-created_at",
    )


def _context(request, query: QueryDict, **extra) -> dict:
    rows, filterset, sort = _rows(request, query)
    ws = request.workspace
    return {
        "table": table_page(rows=rows, query=query, filterset=filterset, sort=sort),
        "columns": COLUMNS,
        "statuses": KeywordStatus.choices,
        "intents": Intent.choices,
        "clusters": list(Cluster.objects.filter(site=ws.site).order_by("name").values_list("pk", "name")),
        "cluster_methods": CLUSTER_METHODS,
        "serp_modes": SERP_MODES,
        "auto_threshold_range": f"{CANDIDATES[0]:.2f} to {CANDIDATES[-1]:.2f}",
        **extra,
    }


@member_view
def keyword_list(request):
    context = _context(request, request.GET)
    if request.htmx and request.htmx.target == "keyword-table":
        return partial(request, "web/planner/keyword_table.html", context)
    sectors = Sector.objects.filter(site=request.workspace.site).order_by("name")
    job = _site_import(request, request.GET["import"]) if request.GET.get("import") else None
    return page(
        request,
        "web/planner/keywords.html",
        {**context, "form": KeywordImportForm(sectors=sectors), "import_job": job},
    )


@require_POST
@member_view
def keyword_import(request):
    ws = request.workspace
    sectors = Sector.objects.filter(site=ws.site).order_by("name")
    form = KeywordImportForm(request.POST, request.FILES, sectors=sectors)
    report = None
    if form.is_valid():
        sector = (
            sectors.filter(pk=form.cleaned_data["sector"]).first() if form.cleaned_data["sector"] else None
        )
        try:
            outcome = import_jobs.import_start(
                site=ws.site, sector=sector, uploaded_file=form.cleaned_data["file"]
            )
        except DomainError as error:  # 400 size / unreadable file, 402 the plan's keyword limit
            form.add_error("file", error_text(error, with_fields=False))
        else:
            if isinstance(outcome, KeywordImport):  # a big file: a worker imports it, the page polls
                return redirect(f"{reverse('web:keywords')}?import={outcome.pk}#import")
            report = outcome
    status = 200 if report else 400
    return page(
        request,
        "web/planner/keywords.html",
        {**_context(request, QueryDict()), "form": form, "report": report},
        status=status,
    )


def _site_import(request, import_id) -> KeywordImport | None:
    site = request.workspace.site
    if site is None:
        return None
    try:
        return import_jobs.import_get(site_ids=[site.pk], import_id=import_id)
    except DomainError:
        return None


@member_view
def keyword_import_progress(request, pk: int):
    """The progress box of a background import (polled every second until it finishes)."""
    job = _site_import(request, pk)
    if job is None:
        raise Http404("No such import.")
    if not request.htmx:
        return redirect(f"{reverse('web:keywords')}?import={job.pk}#import")
    return partial(request, "web/planner/import_progress.html", {"job": job})


def _bulk_table(request, *, message: str = "", error: str = ""):
    query = saved_query(request.POST)
    context = _context(request, query, message=message, error=error)
    return partial(request, "web/planner/keyword_table.html", context, status=400 if error else 200)


def _selected(request, *, pick=selection):
    """The rows a bulk action acts on; `pick=chosen` answers a bad selection with the API's 400."""
    rows, _, _ = _rows(request, saved_query(request.POST))
    return pick(rows=rows, post=request.POST)


@require_POST
@member_view
def keyword_bulk_delete(request):
    try:
        deleted = core_services.rows_delete(queryset=_selected(request))
    except SelectionError as error:
        return _bulk_table(request, error=str(error))
    return _bulk_table(request, message=f"Deleted {deleted} keyword(s).")


@require_POST
@member_view
def keyword_bulk_status(request):
    new_status = request.POST.get("status", "")
    if new_status not in KeywordStatus.values:
        return _bulk_table(request, error=f"Choose a status: {', '.join(KeywordStatus.values)}.")
    try:
        updated = core_services.rows_set_status(queryset=_selected(request), status=new_status)
    except SelectionError as error:
        return _bulk_table(request, error=str(error))
    return _bulk_table(request, message=f"Set {updated} keyword(s) to {new_status}.")


@require_POST
@member_view
def keyword_bulk_cluster(request):
    ws = request.workspace

    def start():
        ids = sorted(_selected(request, pick=chosen).values_list("pk", flat=True))
        # A blank optional field means "the default"; a bad one is refused as the API refuses it.
        options = ClusterOptionsForm({name: request.POST.get(name, "").strip() for name in CLUSTER_OPTIONS})
        if not options.is_valid():
            raise Invalid(errors=options.errors)
        payload = {"ids": ids, **options.options(), "site_id": ws.site.pk}
        return ai_services.run_start(
            account=ws.account, function_name="auto_cluster", payload=payload, site=ws.site, user=request.user
        )

    return start_and_show(request, function_name="auto_cluster", starter=start)
