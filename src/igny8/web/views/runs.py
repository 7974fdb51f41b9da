"""The account's AI runs: the list, and one run's progress as a page, a modal and the polled partial."""

from django.core.paginator import Paginator

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
