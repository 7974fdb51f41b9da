"""generate_page_content: write the text of the site's pillar and cluster pages."""

from __future__ import annotations

from pydantic import BaseModel

from igny8.ai import prompts
from igny8.ai.base import AIFunction, RunContext, TextPrompt
from igny8.publishing import optimizing, structure
from igny8.publishing.ai import check_ids, offline
from igny8.publishing.models import PageType, RevisionReason, SitePage
from igny8.writer import services as writer_services


class PageOut(BaseModel):
    title: str
    html: str
    meta_title: str
    meta_description: str
    excerpt: str


class GeneratePageContentFunction(AIFunction):
    name = "generate_page_content"
    title = "Generate page content"
    operation = "generate_page_content"
    credits = 30
    per_item = True
    max_items = 20
    ids_model = "publishing.SitePage"
    prompt_type = "page_content"
    placeholders = frozenset({"site", "title", "page_type", "description", "keywords", "children"})
    generation_fields = frozenset({"author_profile_id"})
    output_schema = PageOut
    phase_messages = {"AI_CALL": "Writing page {current} of {total}..."}

    def validate(self, ctx: RunContext) -> None:
        check_ids(ctx, SitePage, "pillar or cluster pages", page_type__in=[PageType.PILLAR, PageType.CLUSTER])
        super().validate(ctx)

    def prepare(self, ctx: RunContext) -> list[SitePage]:
        return list(
            SitePage.objects.filter(account=ctx.account, pk__in=ctx.payload["ids"])
            .select_related("site", "content")
            .order_by("position", "pk")
        )

    def build_prompt(self, ctx: RunContext, item: SitePage, template: str) -> TextPrompt:
        children = item.children.order_by("position", "id")
        text = prompts.render(
            template,
            prompt_type=self.prompt_type,
            voice=ctx.voice(site=item.site),
            site=item.site.name,
            title=item.title,
            page_type=item.get_page_type_display().lower(),
            description=item.description or item.title,
            keywords=", ".join(item.keywords) or item.title,
            children="\n".join(f"- {c.title}" for c in children) or "(none yet)",
        )
        return TextPrompt(prompt=text, offline_draft=structure.page_offline_draft(item))

    def save_output(self, ctx: RunContext, item: SitePage, output: PageOut) -> dict:
        fields = output.model_dump()
        fields["meta_title"] = fields["meta_title"][:60]
        fields["meta_description"] = fields["meta_description"][:160]
        if item.content is not None:
            optimizing.revision_create(content=item.content, reason=RevisionReason.OPTIMIZE)
            content = writer_services.content_update(instance=item.content, **fields)
        else:
            content = writer_services.content_create(
                account=ctx.account, site=item.site, content_type="page", **fields
            )
            SitePage.objects.filter(pk=item.pk).update(content=content)
        return {"page_id": item.pk, "content_id": content.pk, "offline": offline(ctx)}
