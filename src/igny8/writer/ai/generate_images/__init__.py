"""generate_images: one provider call per Image row, from its prompt through the account's
image_prompt_template; the file is downloaded at once and stored in the configured format, with
desktop/mobile variants of in-article images when enabled."""

from __future__ import annotations

import base64
import dataclasses

from django.conf import settings as django_settings
from django.utils import timezone

from igny8.ai import prompts
from igny8.ai.base import AIFunction, GeneratedImages, ImagePrompt, RunContext
from igny8.ai.catalogue import GPT_IMAGE
from igny8.ai.providers.base import GeneratedImage, ImageResult
from igny8.ai.sentences import counted, failed_tail
from igny8.core import events
from igny8.core.errors import Invalid
from igny8.writer import image_files, services
from igny8.writer.models import Image, ImageStatus, ImageType

# Landscape sizes each model accepts (Runware: multiples of 64); unknown models get a square.
SIZES = {
    "dall-e-3": "1792x1024",
    "dall-e-2": "1024x1024",
    "gpt-image-1": "1536x1024",
    "gpt-image-1-mini": "1536x1024",
    "runware": "1280x768",
    "offline": "1280x720",
}


def size_for(*, provider: str, model: str) -> str:
    if model not in SIZES and GPT_IMAGE.match(model):
        return "1536x1024"  # every GPT image model (gpt-image-1.5, -2, …) makes this landscape size
    return SIZES.get(model) or SIZES.get(provider) or "1024x1024"


class GenerateImagesFunction(AIFunction):
    name = "generate_images"
    payload_fields = frozenset({"content_id"})
    title = "Generate images"
    operation = "generate_images"
    # The appendix's 1-4 credits an image, by provider: Runware's cheap image 1, an OpenAI one 4.
    credits = 1
    provider_credits = {"runware": 1, "openai": 4}
    aliases = ("generate_images_from_prompts",)  # the reference's name
    kind = "image"
    per_item = True
    max_items = 100
    ids_model = "writer.Image"
    prompt_type = "image_prompt_template"
    placeholders = frozenset({"post_title", "image_prompt", "image_type"})
    more_prompts = {"negative_prompt": frozenset()}  # negative_prompt.md
    output_schema = GeneratedImages
    phase_messages = {
        "PREP": "Preparing to generate {total} image(s)...",
        "AI_CALL": "Generating image {current} of {total}...",
        "SAVE": "Saving image {current} of {total}...",
        "DONE": "Images done: {succeeded} generated, {failed} failed.",
    }

    def summary(self, *, run, items: list[dict], failed: int) -> str:
        queued = run.total or len((run.payload or {}).get("ids", []))
        return f"Generated {len(items):,} of {counted(queued, 'image')}." + failed_tail(failed, "image")

    def validate(self, ctx: RunContext) -> None:
        super().validate(ctx)
        content_id = ctx.payload.get("content_id")
        if content_id is not None and not (isinstance(content_id, int) and content_id > 0):
            raise Invalid(errors={"content_id": ["Send a content id (integer) or leave it out."]})

    def concurrency(self, ctx: RunContext) -> int:
        """The account's image_generation `concurrency` when set (an optional cap); blank: as many
        as the provider's shared pace allows (ai.pacing), like text."""
        return int(ctx.image_settings.get("concurrency") or django_settings.AI_CONCURRENCY_MAX)

    def __init__(self) -> None:
        # image id -> when its provider call began (one instance per run): the queue modal's
        # estimated bars start from it.
        self.started: dict[str, str] = {}

    def prepare(self, ctx: RunContext) -> list[Image]:
        queue = Image.objects.filter(
            account=ctx.account,
            pk__in=ctx.payload["ids"],
            image_type__in=[ImageType.FEATURED, ImageType.IN_ARTICLE],
            status__in=services.REPLACEABLE,
        ).exclude(prompt="")
        if ctx.payload.get("content_id"):
            queue = queue.filter(content_id=ctx.payload["content_id"])
        # The reference's queue order: per content, the featured image, then in-article by position.
        order = {ImageType.FEATURED: 0, ImageType.IN_ARTICLE: 1}
        images = sorted(
            queue.select_related("content"), key=lambda i: (i.content_id, order[i.image_type], i.position)
        )
        settings = ctx.image_settings
        self.format = settings["image_format"]
        self.style = settings["image_type"]
        self.variants = [kind for kind in ("desktop", "mobile") if settings.get(f"{kind}_enabled")]
        # The negative prompt is a Runware parameter; OpenAI has none (the reference sends it there only).
        self.negative = (
            prompts.template_for(account=ctx.account, prompt_type="negative_prompt")
            if ctx.provider == "runware"
            else ""
        )
        return images

    def item_started(self, ctx: RunContext, item: Image) -> None:
        services.image_set_status(image=item, status=ImageStatus.PROCESSING)
        # When the provider call began: the queue modal estimates each image's bar from it.
        self.started[str(item.pk)] = timezone.now().isoformat()

    def item_failed(self, ctx: RunContext, item: Image, error: str) -> None:
        services.image_set_status(image=item, status=ImageStatus.FAILED, error=error)

    def build_prompt(self, ctx: RunContext, item: Image, template: str) -> ImagePrompt:
        content = item.content
        text = prompts.render(
            template,
            prompt_type=self.prompt_type,
            post_title=content.title or content.meta_title,
            image_prompt=item.prompt.strip().rstrip("."),
            image_type=self.style,
        ).strip()
        return ImagePrompt(
            prompt=text,
            negative_prompt=self.negative,
            size=size_for(provider=ctx.provider, model=ctx.model),
            output_format=self.format,
        )

    def after_call(self, ctx: RunContext, item: Image, result: ImageResult) -> ImageResult:
        """Runs beside the call: fetch each URL now, before it expires, and convert the bytes."""
        images = [
            dataclasses.replace(
                image, data=image_files.convert(image.data or image_files.download(image.url), self.format)
            )
            for image in result.images[:1]
        ]
        return dataclasses.replace(result, images=images or [GeneratedImage()])

    def save_output(self, ctx: RunContext, item: Image, output: GeneratedImages) -> dict:
        data = base64.b64decode(output.images[0].data_b64) if output.images else b""
        if not data:
            raise image_files.ImageFileError("The provider returned no image.")
        usage = ctx.item_usage
        image = services.image_save_generated(
            image=item,
            data=data,
            fmt=self.format,
            provider=usage.get("provider", ctx.provider),
            model=usage.get("model", ctx.model),
            cost=usage.get("cost_usd", 0),
            variants=self.variants if item.image_type == ImageType.IN_ARTICLE else [],
        )
        return {"image_id": image.pk, "image_url": image.file.url, "content_id": image.content_id}

    def after_run(self, ctx: RunContext, *, results: list[dict]) -> dict:
        """images_generated, per site: the generated images and their articles."""
        made = [r["image_id"] for r in results if r.get("status") == "success"]
        contexts: dict[int, dict] = {}
        rows = Image.objects.filter(pk__in=made).values_list("pk", "content_id", "site_id").order_by("pk")
        for image_id, content_id, site_id in rows:
            context = contexts.setdefault(site_id, {"image_ids": [], "content_ids": []})
            context["image_ids"].append(image_id)
            if content_id not in context["content_ids"]:
                context["content_ids"].append(content_id)
        for context in contexts.values():
            context["count"] = len(context["image_ids"])
        events.emit_per_site(account=ctx.account, event_type="images_generated", contexts=contexts)
        return {}

    def progress_meta(self, ctx: RunContext, *, results: list[dict], current: int, total: int) -> dict:
        """The reference's image-queue meta (image-generation-changelog.md, stage 2 and 3)."""
        rows = [
            {
                "image_id": int(entry["item"]),
                "status": "completed" if entry["status"] == "success" else "failed",
                "image_url": entry.get("image_url", ""),
                "error": entry.get("error", ""),
            }
            for entry in results
        ]
        return {
            "current_image": current,
            "total_images": total,
            "completed": sum(row["status"] == "completed" for row in rows),
            "failed": sum(row["status"] == "failed" for row in rows),
            "results": rows,
            "started": dict(self.started),
        }
