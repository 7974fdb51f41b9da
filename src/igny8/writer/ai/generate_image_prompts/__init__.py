"""generate_image_prompts (the reference's extract_image_prompts): per content, one featured prompt
and up to max_in_article_images in-article prompts, saved as pending Image rows."""

from __future__ import annotations

import html
import re

from pydantic import BaseModel

from igny8.ai import prompts, selectors
from igny8.ai.base import AIFunction, RunContext, TextPrompt
from igny8.ai.providers.offline import OFFLINE_LABEL
from igny8.ai.sentences import counted, failed_tail
from igny8.core.errors import Invalid
from igny8.writer import services
from igny8.writer.models import Content

MAX_IMAGES = 10  # as the image settings' max_in_article_images allows
ARTICLE_CHARS = 12_000  # enough of the article to pick scenes from, bounded for the prompt size
_H2 = re.compile(r"<h2[^>]*>(.*?)</h2>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


class ImagePrompts(BaseModel):
    featured_prompt: str
    in_article_prompts: list[str]


def h2_headings(article_html: str) -> list[str]:
    headings = (html.unescape(_TAG.sub("", match)).strip() for match in _H2.findall(article_html or ""))
    return [heading for heading in headings if heading]


def offline_prompts(*, title: str, article_html: str, max_images: int) -> dict:
    """Prompts built from the title and the H2 headings, labelled: no model chose these scenes."""
    return {
        "featured_prompt": f"{OFFLINE_LABEL} A scene that represents the article: {title}",
        "in_article_prompts": [
            f"{OFFLINE_LABEL} An illustration of the section: {heading}"
            for heading in h2_headings(article_html)[:max_images]
        ],
    }


class GenerateImagePromptsFunction(AIFunction):
    name = "generate_image_prompts"
    title = "Generate image prompts"
    operation = "generate_image_prompts"
    credits = 1
    aliases = ("extract_image_prompts",)  # the reference's name
    per_item = True
    max_items = 50
    ids_model = "writer.Content"
    prompt_type = "image_prompt_extraction"
    placeholders = frozenset({"title", "content", "max_images"})
    output_schema = ImagePrompts
    generation_fields = frozenset({"author_profile_id"})
    payload_fields = frozenset({"then_generate_images_for", "max_images"})
    phase_messages = {
        "AI_CALL": "Choosing images for content {current} of {total}...",
        "SAVE": "Saving image prompts {current} of {total}...",
        "DONE": "Image prompts done: {succeeded} content item(s), {failed} failed.",
    }

    def summary(self, *, run, items: list[dict], failed: int) -> str:
        prompts_made = sum(len(item.get("image_ids") or []) for item in items)
        return f"Generated {counted(prompts_made, 'image prompt')}." + failed_tail(failed, "article")

    def validate(self, ctx: RunContext) -> None:
        super().validate(ctx)
        wanted = ctx.payload.get("max_images")
        if wanted is not None and (type(wanted) is not int or not 0 <= wanted <= MAX_IMAGES):
            raise Invalid(
                f"In-article images per content: a number from 0 to {MAX_IMAGES}.", field="max_images"
            )

    def prepare(self, ctx: RunContext) -> list[Content]:
        # The run's max_images wins over the account's image settings for this run only.
        wanted = ctx.payload.get("max_images")
        settings_max = selectors.image_settings(account=ctx.account)["max_in_article_images"]
        self.max_images = settings_max if wanted is None else wanted
        return list(Content.objects.filter(account=ctx.account, pk__in=ctx.payload["ids"]).order_by("pk"))

    def build_prompt(self, ctx: RunContext, item: Content, template: str) -> TextPrompt:
        text = prompts.render(
            template,
            prompt_type=self.prompt_type,
            voice=ctx.voice(site=item.site, sector=item.sector),
            title=item.title,
            content=item.html[:ARTICLE_CHARS],
            max_images=self.max_images,
        )
        return TextPrompt(
            prompt=text,
            offline_draft=offline_prompts(
                title=item.title, article_html=item.html, max_images=self.max_images
            ),
        )

    def save_output(self, ctx: RunContext, item: Content, output: ImagePrompts) -> dict:
        images = services.image_prompts_replace(
            content=item,
            featured=output.featured_prompt,
            in_article=output.in_article_prompts[: self.max_images],
        )
        return {"content_id": item.pk, "image_ids": [image.pk for image in images]}

    def after_run(self, ctx: RunContext, *, results: list[dict]) -> dict:
        """auto_generate_images' second step: the image run for these contents' pending prompts."""
        content_ids = ctx.payload.get("then_generate_images_for")
        if not content_ids:
            return {}
        from igny8.writer import runs

        run = runs.images_generate_start_for_contents(account=ctx.account, content_ids=content_ids)
        return {"next_task_id": run.task_id if run else None}
