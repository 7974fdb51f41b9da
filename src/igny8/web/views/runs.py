"""The account's AI runs: the list, one run's progress as a page, a modal and the polled partial,
and cancelling a run (the API's cancel service and role)."""

from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from igny8.ai import services as ai_services
from igny8.ai.selectors import run_get, run_list
from igny8.web.progress import progress_view
from igny8.web.render import page, partial
from igny8.web.workspace import member_view


@member_view
def run_index(request):
    runs = run_list(account=request.workspace.account).order_by("-created_at", "-id")
    return page(
        request, "web/runs/list.html", {"page_obj": Paginator(runs, 50).get_page(request.GET.get("page"))}
    )


@member_view
def run_detail(request, task_id: str):
    run = run_get(account=request.workspace.account, task_id=task_id)
    return page(request, "web/runs/detail.html", progress_view(run=run))


@member_view
def run_modal(request, task_id: str):
    run = run_get(account=request.workspace.account, task_id=task_id)
    return partial(request, "web/runs/modal.html", progress_view(run=run))


@member_view
def run_progress(request, task_id: str):
    run = run_get(account=request.workspace.account, task_id=task_id)
    return partial(request, "web/runs/progress.html", progress_view(run=run))


@require_POST
@member_view
def run_cancel(request, task_id: str):
    """As POST /api/v1/ai/runs/<task_id>/cancel/: a queued run ends now, refunded; a running one
    stops after its current item. Answers with the progress partial (htmx) or the run's page."""
    run = ai_services.run_cancel(run=run_get(account=request.workspace.account, task_id=task_id))
    if not request.htmx:
        return redirect("web:run-detail", task_id=run.task_id)
    return partial(request, "web/runs/progress.html", progress_view(run=run))
