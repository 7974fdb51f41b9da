"""Starting an AI run from a page and answering with its progress modal.

The starters are the services the REST endpoints call (ai.services.run_start, writer.runs.*); the
modal's title is the function's own (AIFunction.title); refusals (400 bad input, 402 credits or
plan limits, 409 records held) are shown in the modal instead of a JSON body."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from igny8.ai.models import AIRun
from igny8.core.errors import DomainError
from igny8.core.text import is_id
from igny8.web.errors import error_text
from igny8.web.render import page, partial


def _refused(request: HttpRequest, *, title: str, error: str) -> HttpResponse:
    """In the modal for htmx; without JavaScript a page (400) saying why, with a way back."""
    if request.htmx:
        return partial(request, "web/runs/refused.html", {"title": title, "error": error})
    back = request.headers.get("referer") or "/"
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = "/"
    context = {"title": title, "error": error, "back": back}
    return page(request, "web/runs/refused_page.html", context, status=400)


def start_and_show(
    request: HttpRequest, *, starter: Callable[[], AIRun | None], function_name: str = "", title: str = ""
) -> HttpResponse:
    """Runs the starter (the one starter, ai.services.run_start, or a domain starter built on it)
    and answers with the progress modal; a refusal is shown under the function's own title
    (`title` only where the action is not the function's, e.g. regenerating one image)."""
    from igny8.web.progress import function_title

    title = title or function_title(function_name)
    try:
        run = starter()
    except DomainError as error:
        return _refused(request, title=title, error=error_text(error))
    if run is None:
        return _refused(request, title=title, error="Nothing to do.")
    if not request.htmx:
        return redirect("web:run-detail", task_id=run.task_id)
    return partial(request, "web/runs/modal.html", {"run": run, "title": title, **progress_context(run=run)})


def progress_context(*, run: AIRun) -> dict:
    from igny8.web.progress import progress_view

    return progress_view(run=run)


GENERATION_FORM_KEYS = ("author_profile_id", "content_structure", "word_count", "include_faq")


def generation_options(post) -> dict:
    """The bulk form's generation settings as run payload keys; what was left empty is left out,
    and a number that is not one stays text so the run's check names the field (400)."""
    options: dict = {}
    for key in GENERATION_FORM_KEYS:
        value = (post.get(key) or "").strip()
        if not value:
            continue
        if key in ("author_profile_id", "word_count") and is_id(value):
            options[key] = int(value)
        elif key == "include_faq":
            options[key] = {"yes": True, "no": False}.get(value, value)
        else:
            options[key] = value
    return options
