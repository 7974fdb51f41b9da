"""Starting the writer's AI runs: which records go into each run, then the one starter,
ai.services.run_start (validation, holds, credits, enqueue after commit; the run's site is its
records'). The API and web endpoints call these."""

from __future__ import annotations

from django.db.models import QuerySet

from igny8.accounts.models import Account, User
from igny8.ai import selectors as ai_selectors
from igny8.ai import services as ai_services
from igny8.ai.models import AIRun
from igny8.core.errors import Invalid
from igny8.writer import services
from igny8.writer.models import Content, Image, ImageType, Task


def _start(*, account: Account, user: User | None, function_name: str, payload: dict) -> AIRun:
    return ai_services.run_start(account=account, function_name=function_name, payload=payload, user=user)


def content_generate_start(
    *, account: Account, user: User | None, tasks: QuerySet[Task], options: dict | None = None
) -> AIRun:
    """options: the batch's generation settings (author_profile_id, content_structure, word_count,
    include_faq) and prompt_override, checked by the run (ai.services)."""
    tasks = list(tasks)
    return _start(
        account=account,
        user=user,
        function_name="generate_content",
        payload={**(options or {}), "ids": sorted(task.pk for task in tasks)},
    )


def image_prompts_generate_start(
    *, account: Account, user: User | None, contents: QuerySet[Content], options: dict | None = None
) -> AIRun:
    contents = list(contents)
    return _start(
        account=account,
        user=user,
        function_name="generate_image_prompts",
        payload={**(options or {}), "ids": sorted(content.pk for content in contents)},
    )


def images_generate_start(
    *, account: Account, user: User | None, images: QuerySet[Image], content_id: int | None = None
) -> AIRun:
    images = list(images)
    payload: dict = {"ids": sorted(image.pk for image in images)}
    if content_id is not None:
        if not any(image.content_id == content_id for image in images):
            raise Invalid(errors={"content_id": ["None of the selected images belong to it."]})
        payload["content_id"] = content_id
    return _start(account=account, user=user, function_name="generate_images", payload=payload)


def image_queue(*, account: Account, content_ids: list[int]) -> list[Image]:
    """The reference's queue: per content, its featured image and up to max_in_article_images
    in-article images, each still pending (or failed) with a prompt."""
    limit = ai_selectors.image_settings(account=account)["max_in_article_images"]
    rows = Image.objects.filter(
        account=account, content_id__in=content_ids, status__in=services.REPLACEABLE
    ).exclude(prompt="")
    return [
        image
        for image in rows.order_by("content_id", "image_type", "position")
        if image.image_type == ImageType.FEATURED
        or (image.image_type == ImageType.IN_ARTICLE and image.position < limit)
    ]


def images_generate_start_for_contents(
    *, account: Account, content_ids: list[int], user: User | None = None
) -> AIRun | None:
    queue = image_queue(account=account, content_ids=content_ids)
    if not queue:
        return None
    return _start(
        account=account,
        user=user,
        function_name="generate_images",
        payload={"ids": [image.pk for image in queue]},
    )


def images_auto_generate_start(*, account: Account, user: User | None, tasks: QuerySet[Task]) -> AIRun:
    """Two runs, chained: contents without image prompts get a generate_image_prompts run whose end
    starts the generate_images run (its task id is the first run's result.next_task_id); when
    every content has prompts already, the generate_images run starts at once."""
    tasks = list(tasks)
    contents = list(Content.objects.filter(account=account, task__in=tasks))
    without = sorted({task.pk for task in tasks} - {content.task_id for content in contents})
    if without:
        raise Invalid(
            f"Task(s) {', '.join(map(str, without))} have no content yet; generate content first.",
            field="ids",
        )
    content_ids = sorted(content.pk for content in contents)
    prompted = set(
        Image.objects.filter(
            content_id__in=content_ids, image_type__in=[ImageType.FEATURED, ImageType.IN_ARTICLE]
        )
        .exclude(prompt="")
        .values_list("content_id", flat=True)
    )
    missing = [content for content in contents if content.pk not in prompted]
    if missing:
        return _start(
            account=account,
            user=user,
            function_name="generate_image_prompts",
            payload={"ids": [c.pk for c in missing], "then_generate_images_for": content_ids},
        )
    run = images_generate_start_for_contents(account=account, content_ids=content_ids, user=user)
    if run is None:
        raise Invalid(errors={"ids": ["These tasks have no pending images to generate."]})
    return run
