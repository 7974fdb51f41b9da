"""The article editor: the body in a document editor (Quill, vendored), title, slug, excerpt, meta
fields and keywords, checked by the model's own field rules and saved through
writer.services.content_update, as the API saves them (each
save of changed text keeps the replaced version as a revision); a side panel with the live score
as published and term counts (POST score/: JSON, debounced by static/web/editor.js)."""

from __future__ import annotations

from django.db import transaction
from django.forms import modelform_factory
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from igny8.core.errors import DomainError
from igny8.publishing import editor, selectors
from igny8.publishing.models import ContentRevision
from igny8.web.errors import add_to_form
from igny8.web.forms import ContentEditorForm
from igny8.web.render import page
from igny8.web.runs import _refused, start_and_show
from igny8.web.tables import site_rows
from igny8.web.workspace import member_view
from igny8.writer import runs as writer_runs
from igny8.writer import selectors as writer_selectors
from igny8.writer import services
from igny8.writer.models import Content, Image

CONTENT_FIELDS = ("title", "slug", "html", "excerpt", "meta_title", "meta_description")
LIMITS = {"title": 255, "meta_title": 60, "meta_description": 160}
KEYWORD_MAX = 200
# The model's own rules for these fields (lengths, slug shape): what the API's serializer checks too.
ContentFieldsForm = modelform_factory(Content, fields=CONTENT_FIELDS)


def _content(request, pk: int) -> Content:
    rows = site_rows(request, writer_selectors.content_list).select_related("site", "task", "task__idea")
    return get_object_or_404(rows, pk=pk)


def _initial(content: Content) -> dict:
    keywords = selectors.content_keywords(content=content)
    return {
        **{name: getattr(content, name) for name in CONTENT_FIELDS},
        "primary_keyword": keywords.primary,
        "secondary_keywords": ", ".join(keywords.secondary),
    }


def _keyword_errors(form: ContentEditorForm) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if len(form.cleaned_data.get("primary_keyword", "")) > KEYWORD_MAX:
        errors["primary_keyword"] = [f"Keep the primary keyword under {KEYWORD_MAX} characters."]
    if any(len(k) > KEYWORD_MAX for k in form.secondary_list()):
        errors["secondary_keywords"] = [f"Keep each secondary keyword under {KEYWORD_MAX} characters."]
    return errors


@member_view
def content_edit(request, pk: int):
    content = _content(request, pk)
    form = ContentEditorForm(request.POST or None, initial=_initial(content))
    status = 200
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in CONTENT_FIELDS}
        # Checked against a copy: a model form writes what it checks onto its instance.
        body = ContentFieldsForm(data=fields, instance=Content.objects.get(pk=content.pk))
        keyword_errors = _keyword_errors(form) if content.task_id else {}
        if body.is_valid() and not keyword_errors:
            try:
                with transaction.atomic():
                    changes = {name: body.cleaned_data[name] for name in CONTENT_FIELDS}
                    services.content_update(instance=content, **changes)
                    if content.task_id:
                        services.content_keywords_set(
                            content=content,
                            primary=form.cleaned_data["primary_keyword"],
                            secondary=form.secondary_list(),
                        )
            except DomainError as error:
                add_to_form(form=form, error=error)
            else:
                return redirect(reverse("web:content-edit", args=[content.pk]) + "?saved=1")
        for name, messages in {**body.errors, **keyword_errors}.items():
            for message in messages:
                form.add_error(name if name in form.fields else None, message)
    if request.method == "POST":
        status = 400
    panel = editor.editor_panel(
        content=content,
        **(
            {
                "title": form.data.get("title"),
                "html": form.data.get("html"),
                "meta_title": form.data.get("meta_title"),
                "meta_description": form.data.get("meta_description"),
            }
            if form.is_bound
            else {}
        ),
    )
    context = {
        "content": content,
        "form": form,
        "panel": panel,
        "limits": LIMITS,
        "saved": request.GET.get("saved") == "1" and not form.is_bound,
        "has_keywords": bool(content.task_id),
        "images": editor.export.article_images(content),
        "all_images": list(
            Image.objects.filter(content=content, image_type__in=["featured", "in_article"]).order_by(
                "image_type", "position"
            )
        ),
        "image_note": request.GET.get("note") == "saved" and request.GET.get("image", ""),
        "last_revision": ContentRevision.objects.filter(content=content)
        .order_by("-created_at", "-id")
        .first(),
    }
    return page(request, "web/writer/editor.html", context, status=status)


@require_POST
@member_view
def content_edit_score(request, pk: int):
    """The side panel's numbers for the text being typed; nothing is saved."""
    content = _content(request, pk)
    secondary = request.POST.get("secondary_keywords")
    panel = editor.editor_panel(
        content=content,
        title=request.POST.get("title"),
        html=request.POST.get("html"),
        meta_title=request.POST.get("meta_title"),
        meta_description=request.POST.get("meta_description"),
        primary_keyword=request.POST.get("primary_keyword"),
        secondary_keywords=(
            [k.strip() for k in secondary.split(",") if k.strip()] if secondary is not None else None
        ),
    )
    return JsonResponse(panel)


# -- one image: its prompt and alt text, and "Regenerate" -----------------------------------------


def _image(request, pk: int) -> Image:
    return get_object_or_404(site_rows(request, writer_selectors.image_list).select_related("site"), pk=pk)


def _back_to_editor(image: Image, note: str):
    return redirect(
        reverse("web:content-edit", args=[image.content_id])
        + f"?image={image.pk}&note={note}#image-{image.pk}"
    )


@require_POST
@member_view
def image_edit(request, pk: int):
    """Saves a person's prompt and alt text (writer.services.image_edit; refusals name the field)."""
    image = _image(request, pk)
    try:
        services.image_edit(
            image=image, prompt=request.POST.get("prompt"), alt_text=request.POST.get("alt_text")
        )
    except DomainError as error:
        return _refused(request, title="Edit image", error=error.message)
    return _back_to_editor(image, "saved")


@require_POST
@member_view
def image_regenerate(request, pk: int):
    """One image made again, with its prompt or the edited one posted with it: the progress modal
    of a generate_images run over this image alone (the same run the image queue starts)."""
    image = _image(request, pk)
    ws = request.workspace
    try:
        image = services.image_regenerate_prepare(image=image, prompt=request.POST.get("prompt"))
        if request.POST.get("alt_text") is not None:
            services.image_edit(image=image, alt_text=request.POST["alt_text"])
    except DomainError as error:
        return _refused(request, title="Regenerate image", error=error.message)
    return start_and_show(
        request,
        title="Regenerate image",
        starter=lambda: writer_runs.images_generate_start(
            account=ws.account,
            user=request.user,
            images=Image.objects.filter(pk=image.pk),
            content_id=image.content_id,
        ),
    )
