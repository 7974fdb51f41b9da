"""Writes for content: HTML is sanitised and the word count follows it."""

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from igny8.accounts.models import Account
from igny8.core.errors import Invalid
from igny8.writer import html as article_html
from igny8.writer import image_files
from igny8.writer import media as image_media
from igny8.writer.models import Content, Image, ImageStatus, ImageType, Task, TaskStatus


def content_task_check(*, task: Task | None, content: Content | None = None) -> None:
    """A task has at most one content (the API refuses a second one naming `task`)."""
    if (
        task is not None
        and Content.objects.filter(task=task).exclude(pk=getattr(content, "pk", None)).exists()
    ):
        raise Invalid("This task already has content.", field="task")


def image_slot_check(
    *, content: Content | None, image_type: str, position: int, image: Image | None = None
) -> None:
    """One image per slot (type and position) of a content, named on `position`."""
    clash = Image.objects.filter(content=content, image_type=image_type, position=position)
    if image is not None:
        clash = clash.exclude(pk=image.pk)
    if content is not None and clash.exists():
        raise Invalid("This content already has that image slot.", field="position")


def _content_fields(data: dict) -> dict:
    if "html" in data:
        data["html"] = article_html.sanitize(data["html"])
        data["word_count"] = article_html.word_count(data["html"])
    if not data.get("slug") and data.get("title"):
        data["slug"] = slugify(data["title"], allow_unicode=True)[:255]
    return data


@transaction.atomic
def content_create(*, account: Account, **data) -> Content:
    return Content.objects.create(account=account, **_content_fields(data))


# The fields a person writes; a change to any of them is an edit worth keeping the old version of.
TEXT_FIELDS = ("title", "html", "excerpt", "meta_title", "meta_description")
# Called with the stored content before an edit of its text is saved (the API's update and the
# web editor alike). igny8.publishing registers the one that keeps the replaced version as a
# revision; writer does not import publishing, which is an optional app.
BEFORE_TEXT_EDIT: list[Callable[[Content], None]] = []


@transaction.atomic
def content_update(*, instance: Content, **data) -> Content:
    fields = _content_fields(data)
    if instance.pk and BEFORE_TEXT_EDIT:
        # Read back: a ModelForm has already put the new values on `instance`.
        stored = Content.objects.select_for_update().select_related("site").get(pk=instance.pk)
        if any(name in fields and fields[name] != getattr(stored, name) for name in TEXT_FIELDS):
            for hook in BEFORE_TEXT_EDIT:
                hook(stored)
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.save()
    return instance


@transaction.atomic
def content_keywords_set(*, content: Content, primary: str, secondary: list[str]) -> None:
    """The keywords the article targets, where content_keywords reads them: its idea's when it has
    one, else its task's list. An article without a task has nowhere to keep them (Invalid)."""
    from igny8.core.errors import Invalid

    primary = " ".join(primary.split())
    secondary = list(dict.fromkeys(" ".join(k.split()) for k in secondary if k.strip()))
    task = content.task
    if task is None:
        raise Invalid(
            "This article has no writer task, so it has no keywords to edit.", field="primary_keyword"
        )
    idea = task.idea
    if idea is not None:
        idea.primary_keyword, idea.secondary_keywords = primary, secondary
        idea.save(update_fields=["primary_keyword", "secondary_keywords", "updated_at"])
    else:
        task.keywords = [k for k in [primary, *secondary] if k]
        task.save(update_fields=["keywords", "updated_at"])


# -- what the AI functions write ----------------------------------------------------------------
META_TITLE_MAX, META_DESCRIPTION_MAX = 60, 160


def truncate_words(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary (a single over-long word is cut hard).
    Models overshoot meta lengths often; a cut word reads worse in search results than a short title."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit + 1]
    head = cut.rsplit(" ", 1)[0] if " " in cut else text[:limit]
    return head[:limit].rstrip(" ,;:-\u2013\u2014")


def task_set_status(*, task: Task, status: str) -> None:
    Task.objects.filter(pk=task.pk).update(status=status, updated_at=timezone.now())
    task.status = status


@transaction.atomic
def content_save_generated(
    *,
    task: Task,
    title: str,
    html: str,
    meta_title: str,
    meta_description: str,
    excerpt: str,
    faq: list[dict] | None = None,
) -> Content:
    """The task's one Content row, created or (on regeneration) updated, with its JSON-LD; the
    task is completed."""
    from igny8.writer.structured_data import content_structured_data_refresh

    fields = {
        "faq": faq or [],
        "title": title[:255],
        "html": html,
        "meta_title": truncate_words(meta_title or title, META_TITLE_MAX),
        "meta_description": truncate_words(meta_description, META_DESCRIPTION_MAX),
        "excerpt": excerpt.strip(),
        "slug": "",  # follows the (new) title
        "content_type": task.content_type,
    }
    content = Content.objects.filter(task=task).first()
    if content is None:
        content = content_create(
            account=task.account, site=task.site, sector=task.sector, task=task, **fields
        )
    else:
        content = content_update(instance=content, **fields)
    content_structured_data_refresh(content=content)
    task_set_status(task=task, status=TaskStatus.COMPLETED)
    return content


REPLACEABLE = (ImageStatus.PENDING, ImageStatus.FAILED)


@transaction.atomic
def image_prompts_replace(*, content: Content, featured: str, in_article: list[str]) -> list[Image]:
    """Puts the prompts into the content's slots (featured #0, in-article #0..n-1). A slot still
    pending (or failed) takes the new prompt, so re-running never duplicates; a slot being made or
    already made is left alone; pending slots past the new count go. Returns the slots written."""
    wanted = [(ImageType.FEATURED, 0, featured.strip())] + [
        (ImageType.IN_ARTICLE, position, text.strip()) for position, text in enumerate(in_article)
    ]
    wanted = [slot for slot in wanted if slot[2]]
    existing = {
        (image.image_type, image.position): image
        for image in Image.objects.select_for_update().filter(
            content=content, image_type__in=[ImageType.FEATURED, ImageType.IN_ARTICLE]
        )
    }
    written = []
    for image_type, position, text in wanted:
        image = existing.pop((image_type, position), None)
        if image is None:
            image = Image.objects.create(
                account=content.account,
                site=content.site,
                sector=content.sector,
                content=content,
                image_type=image_type,
                position=position,
                prompt=text,
            )
        elif image.status in REPLACEABLE:
            image.prompt, image.status, image.error = text, ImageStatus.PENDING, ""
            image.save(update_fields=["prompt", "status", "error", "updated_at"])
        else:
            continue
        written.append(image)
    stale = [image.pk for image in existing.values() if image.status in REPLACEABLE]
    Image.objects.filter(pk__in=stale).delete()
    return written


PROMPT_MAX, ALT_MAX = 4000, 125


def image_edit(*, image: Image, prompt: str | None = None, alt_text: str | None = None) -> Image:
    """A person's prompt and alt text for one image (Invalid naming the field when too long or,
    for the prompt, empty). The image itself is unchanged until it is regenerated."""
    from igny8.core.errors import Invalid

    fields = []
    if prompt is not None:
        prompt = prompt.strip()
        if not prompt:
            raise Invalid("Describe the image: the prompt cannot be empty.", field="prompt")
        if len(prompt) > PROMPT_MAX:
            raise Invalid(f"Keep the prompt under {PROMPT_MAX:,} characters.", field="prompt")
        image.prompt = prompt
        fields.append("prompt")
    if alt_text is not None:
        alt_text = " ".join(alt_text.split())
        if len(alt_text) > ALT_MAX:
            raise Invalid(
                f"Alt text is {len(alt_text)} characters; keep it to {ALT_MAX} "
                "(screen readers read it whole).",
                field="alt_text",
            )
        image.alt_text = alt_text
        fields.append("alt_text")
    if fields:
        image.save(update_fields=[*fields, "updated_at"])
    return image


@transaction.atomic
def image_regenerate_prepare(*, image: Image, prompt: str | None = None) -> Image:
    """Makes one image generatable again (pending, with its prompt or an edited one), whatever its
    state: the one-image "Regenerate" that the queue's "pending images only" rule refused."""
    from igny8.core.errors import Conflict

    locked = Image.objects.select_for_update().get(pk=image.pk)
    if locked.status == ImageStatus.PROCESSING:
        raise Conflict("This image is being made right now; wait for it to finish.")
    if locked.image_type not in (ImageType.FEATURED, ImageType.IN_ARTICLE):
        raise Conflict("Variants are made from their image: regenerate the featured or in-article image.")
    image_edit(image=locked, prompt=prompt if prompt is not None else locked.prompt)
    locked.status, locked.error = ImageStatus.PENDING, ""
    locked.save(update_fields=["status", "error", "updated_at"])
    return locked


def image_set_status(*, image: Image, status: str, error: str = "") -> None:
    Image.objects.filter(pk=image.pk).update(status=status, error=error[:5000], updated_at=timezone.now())
    image.status, image.error = status, error


def _image_path(image: Image, fmt: str) -> str:
    # Keyed by account and site (ARCHITECTURE.md section 5): no two tenants share a folder. The random
    # part of the name keeps files unguessable; who may read one is decided by its row (writer/media.py).
    name = image_media.unguessable_name(stem=f"{image.image_type}-{image.position}", ext=fmt)
    return f"images/{image.account_id}/{image.site_id}/{image.content_id}/{name}"


@transaction.atomic
def image_save_generated(
    *,
    image: Image,
    data: bytes,
    fmt: str,
    provider: str,
    model: str,
    cost,
    variants: list[str],
) -> Image:
    """Stores the file and marks the image generated, with its provider, model and cost. Each
    variant ("desktop", "mobile") is its own Image row in the same slot position, a resized copy
    with cost 0: the provider was paid once, for the original."""
    image.file.name = image_files.store(data=data, path=_image_path(image, fmt), old_name=image.file.name)
    image.status, image.error, image.url = ImageStatus.GENERATED, "", ""
    image.provider, image.model, image.cost = provider, model, cost
    image.save(update_fields=["file", "status", "error", "url", "provider", "model", "cost", "updated_at"])
    for kind in variants:
        copy, _ = image_files.variant(data, width=image_files.VARIANT_WIDTHS[kind], fmt=fmt)
        row, _ = Image.objects.get_or_create(
            content=image.content,
            image_type=kind,
            position=image.position,
            defaults={"account": image.account, "site": image.site, "sector": image.sector},
        )
        row.file.name = image_files.store(data=copy, path=_image_path(row, fmt), old_name=row.file.name)
        row.prompt, row.status, row.error = image.prompt, ImageStatus.GENERATED, ""
        row.provider, row.model, row.cost = provider, model, 0
        row.save()
    return image
