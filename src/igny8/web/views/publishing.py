"""Publishing on the content page (publish panel, schedule, retry, optimise, internal links,
revisions) and the content list's bulk publish / schedule.

Every write goes through what the REST API calls: PublishBody + services.content_publish_now
(Publish now and Retry, as the content-publish endpoint) and contents_queue (the bulk endpoint),
both queued for the worker so the page polls the records; scheduling.contents_schedule,
linker.links_apply, revision_restore and ai.services.run_start for the AI functions. The site's
pages live in publishing_site.py."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from igny8.ai import services as ai_services
from igny8.core.errors import Conflict, DomainError, Invalid, Unavailable
from igny8.core.text import is_id
from igny8.publishing import export, linker, optimizing, pickers, readiness, scheduling, selectors, services
from igny8.publishing.models import ContentRevision, PublishRecord, PublishStatus, WPStatus
from igny8.web.errors import error_text, form_errors, page_status
from igny8.web.publishing_forms import LinksForm, PublishForm, RestoreForm, bulk_ids_check
from igny8.web.render import page, partial
from igny8.web.runs import start_and_show
from igny8.web.tables import chosen, saved_query, site_rows, table_build
from igny8.web.views.pickers import posted_choices
from igny8.web.workspace import member_view
from igny8.writer import filters as writer_filters
from igny8.writer import selectors as writer_selectors
from igny8.writer.models import Content

# Records in these states are being worked on by the worker: the page polls them every second.
WORKING = (PublishStatus.QUEUED, PublishStatus.PUBLISHING)
# What a polled panel or row says while the worker has the record.
WAITING = {
    PublishStatus.QUEUED: "Queued — sending to WordPress…",
    PublishStatus.PUBLISHING: "Sending to WordPress…",
}
REVISIONS_SHOWN = 20
# The content list's search, as writer.content_list searches (used to resolve "select all N").
CONTENT_SEARCH = ["title", "meta_title", "excerpt"]


def wp_connected(site) -> bool:
    """What client_for_site needs besides the address: a username and an application password."""
    return bool(site and site.wp_username and (site.wp_secrets or {}).get("app_password"))


def _content(request, pk: int) -> Content:
    return get_object_or_404(site_rows(request, writer_selectors.content_list).select_related("site"), pk=pk)


def field_errors(detail) -> dict[str, list[str]]:
    """A serializer's errors as {field: [messages]} with list-item errors ({0: [...]}) flattened."""
    if not isinstance(detail, dict):
        return {"non_field_errors": [" ".join(map(str, detail))]}
    errors: dict[str, list[str]] = {}
    for field, messages in detail.items():
        if isinstance(messages, dict):
            texts = [f"Item {int(i) + 1}: {m}" for i, ms in messages.items() for m in ms]
        elif isinstance(messages, list):
            texts = [str(m) for m in messages]
        else:
            texts = [str(messages)]
        errors[str(field)] = texts
    return errors


def outcome(record: PublishRecord | None) -> dict:
    """The panel's or row's note on a record: while the worker has it, that it waits; after, what
    WordPress made of it (red with the reason when it failed)."""
    if record is None:
        return {}
    if record.status in WAITING:
        return {"message": WAITING[record.status], "failed": False}
    if record.status == PublishStatus.FAILED:
        return {"message": record.error or "Publishing failed.", "failed": True}
    if record.status == PublishStatus.PUBLISHED:
        as_status = f" as {record.remote_status}" if record.remote_status else ""
        return {"message": f"Sent to WordPress{as_status}.", "failed": False}
    return {}


def panel_context(*, content: Content, site, record: PublishRecord | None = None, **extra) -> dict:
    if record is None:
        record = selectors.record_for(content=content)
    working = bool(record and record.status in WORKING)
    return {
        "content": content,
        "record": record,
        "working": working,
        **(outcome(record) if working else {}),
        "connected": wp_connected(site),
        "wp_statuses": WPStatus.choices,
        # Why a live publication would ask for confirmation first ('' when it would not).
        "live_refusal": readiness.live_refusal(content=content),
        "errors": {},
        "posted": {},
        **extra,
    }


def publishing_context(*, request, content: Content) -> dict:
    """What the content page's publishing sections need (a few queries, none per row)."""
    site = request.workspace.site
    revisions = list(
        ContentRevision.objects.filter(account_id=content.account_id, content=content)
        .only("pk", "reason", "title", "score", "created_at")
        .order_by("-created_at", "-id")[:REVISIONS_SHOWN]
    )
    # The notes of a redirect after a plain POST (numbers only: the query string is the user's).
    shown = {key: request.GET.get(key, "") for key in ("linked", "restored", "kept", "optimized")}
    shown = {key: value for key, value in shown.items() if is_id(value)}
    notes = []
    if "linked" in shown:
        notes.append(f"Inserted {shown['linked']} internal link(s).")
    if "optimized" in shown:
        notes.append(f"Applied the optimisation; the version before is revision {shown['optimized']}.")
    if "restored" in shown and "kept" in shown:
        notes.append(
            f"Restored revision {shown['restored']}; the replaced version is revision {shown['kept']}."
        )
    exported = export.article_export(
        content=content, image_src=lambda image: request.build_absolute_uri(image.file.url)
    )
    from igny8.publishing.proposals import latest_proposal

    return {
        "pub": panel_context(content=content, site=site),
        "proposal": latest_proposal(content=content),
        # What the Copy buttons put on the clipboard (passed with json_script: no inline script).
        "export_copy": {"html": exported.body, "markdown": exported.markdown},
        "revisions": revisions,
        "publishing_notes": notes,
    }


def _panel(
    request, content: Content, *, status: int = 200, state_only: bool = False, **extra
) -> HttpResponse:
    """The panel alone for htmx (only its state part for a poll); without JavaScript a small page
    holding it (the article page itself belongs to the writer views)."""
    context = {"pub": panel_context(content=content, site=request.workspace.site, **extra)}
    if request.htmx:
        # Publishing changes the article's own status too: the page heading's badge follows (oob).
        content.refresh_from_db(fields=["status"])
        context["oob_status"] = True
        template = "web/publishing/publish_state.html" if state_only else "web/publishing/panel.html"
        return partial(request, template, context, status=status)
    if status == 200:
        return redirect(reverse("web:content", args=[content.pk]) + "#publish-h")
    return page(request, "web/publishing/publish_page.html", context, status=status)


@member_view
def content_publish(request, pk: int):
    """GET: the panel (what a queued record's polling asks for: while it waits, that it waits; then
    the result). POST: publish now, as the API: checked here, queued for the worker."""
    content = _content(request, pk)
    if request.method != "POST":
        if not request.htmx:
            return redirect("web:content", pk=content.pk)
        record = selectors.record_for(content=content)
        return _panel(request, content, state_only=True, record=record, **outcome(record))
    posted = {
        "status": request.POST.get("status", WPStatus.DRAFT),
        "scheduled_at": request.POST.get("scheduled_at", ""),
    }
    force = request.POST.get("force") == "1"
    body = PublishForm(posted)
    if not body.is_valid():
        return _panel(request, content, status=400, errors=field_errors(body.errors), posted=posted)
    picked = posted_choices(request.POST)
    posted.update(categories=picked["category_ids"], author=picked["author"])
    try:
        # Only what the site's lists hold (publishing.pickers, as the API checks its body).
        pickers.choices_check(site=content.site, **picked)
        record = services.content_publish_now(
            content=content,
            wp_status=body.wp_status(),
            wp_date=body.cleaned_data["scheduled_at"],
            force=force,
            # Picked categories replace the default (the article's cluster) rather than join it.
            categories=[] if picked["category_ids"] else None,
            category_ids=picked["category_ids"] or None,
            author=picked["author"],
        )
    except (Conflict, Invalid, Unavailable) as error:
        status = page_status(error)
        # Not ready to go live (an offline draft, a failed article): the panel asks to confirm (force).
        confirm = error.code == readiness.NOT_READY
        return _panel(
            request, content, status=status, errors=form_errors(error), posted=posted, confirm=confirm
        )
    return _panel(request, content, record=record)


@require_POST
@member_view
def content_schedule(request, pk: int):
    """Into the next free slot of the site's publishing schedule (the schedule endpoint's service)."""
    content = _content(request, pk)
    records = scheduling.contents_schedule(site=request.workspace.site, contents=[content])
    if not records:
        errors = {"non_field_errors": ["The schedule has no free slot in the next year."]}
        return _panel(request, content, status=409, errors=errors)
    record = records[0]
    return _panel(request, content, record=record, message="Scheduled in the next free slot.")


@require_POST
@member_view
def record_retry(request, pk: int):
    """Queues a failed record again with the options it was sent with (its WordPress status and
    date, categories, tags and author), through the same service as Publish now; the panel or the
    row then polls it."""
    record = get_object_or_404(site_rows(request, selectors.record_list).select_related(None), pk=pk)
    content = _content(request, record.content_id)
    back = request.POST.get("view", "panel")
    if record.status != PublishStatus.FAILED:
        error = {"non_field_errors": [f"Only failed publications are retried; this one is {record.status}."]}
        return _retry_answer(request, content, back=back, status=409, errors=error)
    try:
        record = services.content_publish_now(
            content=content,
            wp_status=record.wp_status,
            wp_date=record.wp_date,
            force=bool((record.options or {}).get("force")),
        )
    except (Conflict, Invalid) as error:
        status = 409 if isinstance(error, Conflict) else 400
        return _retry_answer(request, content, back=back, status=status, errors=form_errors(error))
    return _retry_answer(request, content, back=back, record=record)


def _row(request, record: PublishRecord, *, status: int = 200, errors: dict | None = None) -> HttpResponse:
    """A row of the Publishing page's records; one the worker has polls itself until it ends."""
    note = outcome(record)
    context = {
        "record": record,
        # A failure's reason is the row's error column already.
        "row_message": "" if note.get("failed") else note.get("message", ""),
        "row_errors": errors,
        "row_polls": record.status in WORKING,
    }
    return partial(request, "web/publishing/record_row.html", context, status=status)


def _retry_answer(request, content, *, back: str, status: int = 200, **extra) -> HttpResponse:
    if back == "row":
        if not request.htmx:
            return redirect("web:publishing")
        record = extra.get("record") or selectors.record_for(content=content)
        record.content = content
        return _row(request, record, status=status, errors=extra.get("errors"))
    return _panel(request, content, status=status, **extra)


@member_view
def record_status(request, pk: int):
    """A retried row's polling: the row as it is now (the Publishing page without htmx)."""
    record = get_object_or_404(site_rows(request, selectors.record_list), pk=pk)
    if not request.htmx:
        return redirect("web:publishing")
    return _row(request, record)


@require_POST
@member_view
def content_optimize(request, pk: int):
    content = _content(request, pk)
    ws = request.workspace
    return start_and_show(
        request,
        function_name="optimize_content",
        starter=lambda: ai_services.run_start(
            account=ws.account,
            function_name="optimize_content",
            # A proposal: shown with its diff and applied only when accepted (views/proposal.py).
            payload={"ids": [content.pk], "propose": True},
            site=ws.site,
            user=request.user,
        ),
    )


@member_view
def content_links(request, pk: int):
    """GET: the linker's suggestions (computed on demand: it reads the site's published articles).
    POST: insert them into the article, as the links endpoint does."""
    content = get_object_or_404(
        writer_selectors.content_list(account=request.workspace.account)
        .filter(site=request.workspace.site)
        .select_related("site", "task", "task__cluster", "task__idea"),
        pk=pk,
    )
    if request.method == "POST":
        body = LinksForm({"max_links": request.POST.get("max_links", "")})
        if not body.is_valid():
            context = {"content": content, "suggestions": [], "errors": field_errors(body.errors)}
            return _links_answer(request, context, status=400)
        added = linker.links_apply(
            content=content,
            max_links=body.cleaned_data["max_links"] or settings.INTERNAL_LINKS_PER_ARTICLE,
        )
        return redirect(reverse("web:content", args=[content.pk]) + f"?linked={len(added)}")
    suggestions = linker.links_suggest(content=content, max_links=settings.INTERNAL_LINKS_PER_ARTICLE)
    return _links_answer(request, {"content": content, "suggestions": suggestions, "errors": {}})


def _links_answer(request, context: dict, *, status: int = 200) -> HttpResponse:
    context["max_links"] = settings.INTERNAL_LINKS_PER_ARTICLE
    if request.htmx:
        return partial(request, "web/publishing/links.html", context, status=status)
    return page(request, "web/publishing/links_page.html", context, status=status)


@require_POST
@member_view
def content_restore(request, pk: int):
    content = _content(request, pk)
    body = RestoreForm({"revision": request.POST.get("revision", "")})
    if not body.is_valid():
        raise Http404("No such revision.")
    revision = get_object_or_404(
        ContentRevision.objects.filter(account=request.workspace.account, content=content),
        pk=body.cleaned_data["revision"],
    )
    kept = optimizing.revision_restore(revision=revision)
    return redirect(reverse("web:content", args=[content.pk]) + f"?restored={revision.pk}&kept={kept.pk}")


# -- the content list's bulk actions ---------------------------------------------------------


def _chosen_contents(request) -> list[Content]:
    """The ticked contents, or all matching the list's saved filter when "select all" was ticked."""
    rows, _, _ = table_build(
        queryset=site_rows(request, writer_selectors.content_list),
        query=saved_query(request.POST),
        filterset_class=writer_filters.ContentFilter,
        search_fields=CONTENT_SEARCH,
        sort_fields=["created_at"],
        default_sort="-created_at",
    )
    return list(chosen(rows=rows, post=request.POST).select_related("site"))


def _refused(request, title: str, error: DomainError) -> HttpResponse:
    return partial(request, "web/runs/refused.html", {"title": title, "error": error_text(error)})


def bulk_context(*, account, ids: list[int]) -> dict:
    records = list(
        selectors.record_list(account=account)
        .filter(pk__in=ids)
        .only(
            "pk",
            "status",
            "scheduled_for",
            "external_url",
            "remote_status",
            "error",
            "updated_at",
            "content",
            "content__title",
        )
        .order_by("pk")
    )
    return {
        "records": records,
        "record_ids": ",".join(str(r.pk) for r in records),
        "working": any(r.status in WORKING for r in records),
    }


@require_POST
@member_view
def bulk_publish(request):
    title = "Publish selected"
    force = request.POST.get("force") == "1"
    wp_status = request.POST.get("wp_status", WPStatus.DRAFT)
    try:
        contents = _chosen_contents(request)
        bulk_ids_check([c.pk for c in contents])
        body = PublishForm({"status": wp_status})
        if not body.is_valid():
            raise Invalid(errors=field_errors(body.errors))
        records = services.contents_queue(
            site=request.workspace.site,
            contents=contents,
            wp_status=body.wp_status(),
            wp_date=body.cleaned_data["scheduled_at"],
            force=force,
        )
    except DomainError as error:
        if error.code != readiness.NOT_READY:
            return _refused(request, title, error)
        # Ask before sending offline drafts or failed articles live: the same choice, confirmed.
        context = {
            "title": title,
            "error": error.message,
            "ids": [c.pk for c in contents],
            "wp_status": wp_status,
        }
        # 200: a question in the modal, not an error answer (htmx would not swap a 409 there).
        return partial(request, "web/publishing/bulk_confirm.html", context)
    if not request.htmx:
        return redirect(reverse("web:publishing") + "?status=queued")
    context = bulk_context(account=request.workspace.account, ids=[r.pk for r in records])
    return partial(request, "web/publishing/bulk_modal.html", {"title": title, **context})


@require_POST
@member_view
def bulk_schedule(request):
    title = "Schedule selected"
    try:
        contents = _chosen_contents(request)
        bulk_ids_check([c.pk for c in contents])
        records = scheduling.contents_schedule(site=request.workspace.site, contents=contents)
    except DomainError as error:
        return _refused(request, title, error)
    if not request.htmx:
        return redirect(reverse("web:publishing") + "?status=scheduled")
    context = bulk_context(account=request.workspace.account, ids=[r.pk for r in records])
    return partial(request, "web/publishing/bulk_modal.html", {"title": title, **context})


@member_view
def bulk_status(request):
    """The bulk modal's table, polled every second while a record is queued or publishing."""
    try:
        ids = [int(i) for i in request.GET.get("ids", "").split(",") if i][:200]
    except ValueError as error:
        raise Http404("Bad ids.") from error
    context = bulk_context(account=request.workspace.account, ids=ids)
    return partial(request, "web/publishing/bulk_records.html", context)
