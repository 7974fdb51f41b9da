"""Writer: tasks (Generate content), content (list, viewer/editor, image prompts) and images
(grouped by content, Generate Images opening the image queue modal)."""

from django.apps import apps
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from igny8.core import services as core_services
from igny8.core.errors import Invalid
from igny8.core.text import is_id
from igny8.planner import cannibalisation
from igny8.system.author_profiles import voice_for
from igny8.system.voice import is_right_to_left
from igny8.web.forms import ContentEditForm
from igny8.web.render import page
from igny8.web.runs import _refused, generation_options, start_and_show
from igny8.web.tables import SelectionError, chosen, list_page, saved_query, selection, site_rows, table_build
from igny8.web.workspace import member_view
from igny8.writer import filters, runs, selectors, services
from igny8.writer.html import sanitize
from igny8.writer.models import ContentStatus, ImageStatus, ImageType, TaskStatus

TASK_SORT = ["title", "word_count_target", "created_at", "status"]
CONTENT_SORT = ["title", "word_count", "created_at", "status"]


def _chosen(request, selector):
    return chosen(rows=site_rows(request, selector), post=request.POST)


@member_view
def task_list(request):
    return list_page(
        request,
        queryset=site_rows(request, selectors.task_list),
        filterset_class=filters.TaskFilter,
        search_fields=["title", "brief"],
        sort_fields=TASK_SORT,
        template="web/writer/tasks.html",
        table_template="web/writer/task_table.html",
        target="task-table",
        extra={"statuses": TaskStatus.choices},
    )


@require_POST
@member_view
def task_generate_content(request):
    ws = request.workspace
    return start_and_show(
        request,
        function_name="generate_content",
        starter=lambda: runs.content_generate_start(
            account=ws.account,
            user=request.user,
            tasks=_chosen(request, selectors.task_list),
            options=generation_options(request.POST),
        ),
    )


@member_view
def content_list(request):
    return list_page(
        request,
        queryset=site_rows(request, selectors.content_list),
        filterset_class=filters.ContentFilter,
        search_fields=["title", "meta_title", "excerpt"],
        sort_fields=CONTENT_SORT,
        template="web/writer/contents.html",
        table_template="web/writer/content_table.html",
        target="content-table",
        extra={
            "statuses": ContentStatus.choices,
            "cannibalisation": cannibalisation.Index(),
            "bulk_statuses": BULK_STATUSES,
            "pub_installed": apps.is_installed("igny8.publishing"),
            "bulk_note": _bulk_note(request),
        },
    )


# The review steps a person moves articles through; "published" is set by publishing only.
BULK_STATUSES = [(v, label) for v, label in ContentStatus.choices if v != ContentStatus.PUBLISHED]


def _bulk_note(request) -> str:
    """The sentence after a bulk status change (numbers and a known status only: it is the URL's)."""
    count, to = request.GET.get("updated", ""), request.GET.get("to", "")
    labels = dict(BULK_STATUSES)
    if is_id(count) and to in labels:
        return f"Set {int(count):,} article(s) to {labels[to]}."
    return ""


@require_POST
@member_view
def content_bulk_status(request):
    """The content list's "Set status" (draft, review, approved) on the ticked rows or all matching
    the filter: the API's bulk_update_status service (core.services.rows_set_status)."""
    new_status = request.POST.get("status", "")
    title = "Set status"
    if new_status not in dict(BULK_STATUSES):
        return _refused(request, title=title, error="Choose a status: Draft, Review or Approved.")
    rows, _, _ = table_build(
        queryset=site_rows(request, selectors.content_list),
        query=saved_query(request.POST),
        filterset_class=filters.ContentFilter,
        search_fields=["title", "meta_title", "excerpt"],
        sort_fields=CONTENT_SORT,
        default_sort="-created_at",
    )
    try:
        chosen_rows = selection(rows=rows, post=request.POST)
    except SelectionError as error:
        return _refused(request, title=title, error=str(error))
    # A published article stays published: that state belongs to publishing, not to a review step.
    updated = core_services.rows_set_status(
        queryset=chosen_rows.exclude(status=ContentStatus.PUBLISHED), status=new_status
    )
    return redirect(reverse("web:contents") + f"?updated={updated}&to={new_status}")


def publishing_context(**kwargs) -> dict:
    """The publish panel, optimisation and revisions of the content page, when installed."""
    if not apps.is_installed("igny8.publishing"):
        return {}
    from igny8.web.views.publishing import publishing_context as context

    return context(**kwargs)


def seo_score(content):
    """The optimizer's score of the article as it will be published (its images placed, the
    linker's links inserted) when igny8.publishing is installed, else None (read-only here)."""
    if not apps.is_installed("igny8.publishing"):
        return None
    from igny8.publishing.editor import published_score

    return published_score(content=content)


@member_view
def content_detail(request, pk: int):
    content = get_object_or_404(site_rows(request, selectors.content_list), pk=pk)
    form = ContentEditForm(request.POST or None, instance=content)
    status = 200
    if request.method == "POST":
        # The model form checks the fields (the model's lengths and the statuses one may pick);
        # content_update is the API's write.
        if form.is_valid():
            fields = {key: form.cleaned_data[key] for key in ("meta_title", "meta_description", "status")}
            services.content_update(instance=content, **fields)
            return redirect("web:content", pk=content.pk)
        status = 400
    context = {
        "content": content,
        "form": form,
        "article": sanitize(content.html),
        "score": seo_score(content),
        "images": list(content.images.order_by("image_type", "position")),
        **_language(content),
        **publishing_context(request=request, content=content),
    }
    return page(request, "web/writer/content.html", context, status=status)


def _language(content) -> dict:
    """The article's language and direction (its author profile's): right-to-left text reads so."""
    voice = voice_for(site=content.site, sector=content.sector if content.sector_id else None)
    return {"language": voice.language, "direction": "rtl" if is_right_to_left(voice.language) else "ltr"}


@require_POST
@member_view
def content_image_prompts(request):
    ws = request.workspace
    return start_and_show(
        request,
        function_name="generate_image_prompts",
        starter=lambda: runs.image_prompts_generate_start(
            account=ws.account, user=request.user, contents=_chosen(request, selectors.content_list)
        ),
    )


@member_view
def image_list(request):
    images = (
        site_rows(request, selectors.image_list)
        .select_related("content")
        .only("pk", "image_type", "position", "status", "file", "prompt", "error", "content__title")
        .order_by("-content__created_at", "content_id", "image_type", "position")[:600]
    )
    return page(request, "web/writer/images.html", {"groups": image_groups(images), "statuses": ImageStatus})


MAIN_TYPES = (ImageType.FEATURED, ImageType.IN_ARTICLE)


def image_groups(images) -> list[dict]:
    """Per content: the featured image first, then the in-article images by position, each with
    its size variants (desktop/mobile copies in the same slot) under it, and the counts the image
    queue speaks of (images) apart from the variants."""
    groups: dict[int, dict] = {}
    for image in images:
        group = groups.setdefault(image.content_id, {"content": image.content, "images": [], "variants": []})
        (group["images"] if image.image_type in MAIN_TYPES else group["variants"]).append(image)
    for group in groups.values():
        group["images"].sort(key=lambda i: (i.image_type != ImageType.FEATURED, i.position))
        for image in group["images"]:
            image.size_variants = [
                v
                for v in group["variants"]
                if image.image_type == ImageType.IN_ARTICLE and v.position == image.position
            ]
        group["variant_count"] = len(group["variants"])
    return list(groups.values())


@require_POST
@member_view
def image_generate(request):
    """The reference's queue for the chosen contents, started at once: the modal lists every image
    as pending before any provider call is made (the run is only queued here)."""
    ws = request.workspace

    def start():
        try:
            ids = [int(value) for value in request.POST.getlist("content_ids")]
        except ValueError as error:
            raise Invalid("Content ids must be numbers.", field="content_ids") from error
        contents = site_rows(request, selectors.content_list).filter(pk__in=ids)
        found = sorted(contents.values_list("pk", flat=True))
        if not ids or len(found) != len(set(ids)):
            raise Invalid("Choose content of this site.", field="content_ids")
        run = runs.images_generate_start_for_contents(
            account=ws.account, content_ids=found, user=request.user
        )
        if run is None:
            raise Invalid(
                "No pending images with prompts: generate image prompts first.", field="content_ids"
            )
        return run

    return start_and_show(request, function_name="generate_images", starter=start)
