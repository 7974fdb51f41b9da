"""The Publishing page of the current site: publish records (status filter, pagination, retry),
the publishing schedule (checked by web.publishing_forms.ScheduleForm, saved by scheduling.schedule_save,
with the next free slots) and the site structure (pages; the AI runs the API starts)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from igny8.ai import services as ai_services
from igny8.core.errors import Invalid
from igny8.publishing import scheduling, selectors
from igny8.publishing.models import PageType, PublishRecord, PublishStatus, ScheduleMode
from igny8.web.errors import form_errors
from igny8.web.publishing_forms import ScheduleForm, bulk_ids_check
from igny8.web.render import page
from igny8.web.runs import start_and_show
from igny8.web.tables import chosen, site_rows
from igny8.web.views.publishing import wp_connected
from igny8.web.workspace import member_view

RECORDS_PER_PAGE = 50
PAGES_PER_PAGE = 100
PREVIEW_SLOTS = 5
RECORD_FIELDS = (
    "pk",
    "status",
    "wp_status",
    "scheduled_for",
    "wp_date",
    "external_id",
    "external_url",
    "remote_status",
    "attempts",
    "error",
    "updated_at",
    "content",
    "content__title",
)


def _next_slots(*, site, schedule) -> list:
    """The times the next contents would get, counting those already scheduled (as contents_schedule)."""
    taken = list(
        PublishRecord.objects.filter(site=site, status=PublishStatus.SCHEDULED).values_list(
            "scheduled_for", flat=True
        )
    )
    return scheduling.slots_compute(schedule=schedule, start=timezone.now(), count=PREVIEW_SLOTS, taken=taken)


def _index_context(request, *, schedule_errors=None, posted=None) -> dict:
    ws = request.workspace
    site = ws.site
    if site is None:
        return {"site": None}
    records = selectors.record_list(account=ws.account).filter(site=site)
    counts = dict(records.order_by().values_list("status").annotate(n=Count("id")))
    wanted = request.GET.get("status", "")
    if wanted in PublishStatus.values:
        records = records.filter(status=wanted)
    else:
        wanted = ""
    schedule = selectors.schedule_for(site=site)
    pages = (
        selectors.page_list(account=ws.account)
        .filter(site=site)
        .only("pk", "page_type", "title", "slug", "position", "parent", "parent__title", "content")
    )
    return {
        "site": site,
        "connected": wp_connected(site),
        "records": Paginator(records.only(*RECORD_FIELDS), RECORDS_PER_PAGE).get_page(
            request.GET.get("page")
        ),
        "status_filter": wanted,
        "status_counts": [(value, label, counts.get(value, 0)) for value, label in PublishStatus.choices],
        "total": sum(counts.values()),
        "schedule": schedule,
        "schedule_slots": ", ".join(schedule.slots),
        "modes": ScheduleMode.choices,
        "next_slots": _next_slots(site=site, schedule=schedule) if not schedule_errors else [],
        "schedule_errors": schedule_errors or {},
        "posted": posted,
        "pages": Paginator(pages, PAGES_PER_PAGE).get_page(request.GET.get("pages")),
        "writable_types": (PageType.PILLAR, PageType.CLUSTER),
        "sitemap_count": f"{selectors.sitemap_pages(site=site).count():,}",
        "query": request.GET,
    }


@member_view
def publishing_index(request):
    return page(request, "web/publishing/index.html", _index_context(request))


@require_POST
@member_view
def schedule_save(request):
    site = request.workspace.site
    if site is None:
        raise Http404("No site.")
    form = ScheduleForm(request.POST)
    try:
        if not form.is_valid():
            raise Invalid(errors=form.errors)
        scheduling.schedule_save(site=site, **form.cleaned_data)  # the window's order: Invalid
    except Invalid as error:
        context = _index_context(request, schedule_errors=form_errors(error), posted=request.POST)
        return page(request, "web/publishing/index.html", context, status=400)
    return redirect(reverse("web:publishing") + "?saved=schedule#schedule-h")


@require_POST
@member_view
def structure_generate(request):
    ws = request.workspace
    if ws.site is None:
        raise Http404("No site.")
    return start_and_show(
        request,
        function_name="generate_site_structure",
        starter=lambda: ai_services.run_start(
            account=ws.account,
            function_name="generate_site_structure",
            payload={"site_id": ws.site.pk},
            site=ws.site,
            user=request.user,
        ),
    )


@require_POST
@member_view
def page_content_generate(request):
    ws = request.workspace

    def start():
        ids = sorted(
            chosen(rows=site_rows(request, selectors.page_list), post=request.POST).values_list(
                "pk", flat=True
            )
        )
        bulk_ids_check(ids)
        return ai_services.run_start(
            account=ws.account,
            function_name="generate_page_content",
            payload={"ids": ids},
            user=request.user,
        )

    return start_and_show(request, function_name="generate_page_content", starter=start)
