"""The publishing app's AI functions, registered from PublishingConfig.ready():
optimize_content, generate_site_structure, generate_page_content."""

from __future__ import annotations

from pydantic import BaseModel

from igny8.accounts.models import Site
from igny8.ai import prompts
from igny8.ai.base import AIFunction, RunContext, TextPrompt
from igny8.core.errors import Invalid
from igny8.planner.models import Cluster
from igny8.publishing import optimizing, structure
from igny8.publishing.models import PageType, RevisionReason, SitePage
from igny8.publishing.optimizer import fixes
from igny8.writer import services as writer_services
from igny8.writer.models import Content


def _check_ids(ctx: RunContext, model, what: str, **filters) -> None:
    if "ids" not in ctx.payload:
        raise Invalid(errors={"ids": [f"Send the ids of the {what}."]})
    ids = set(ctx.payload["ids"]) if isinstance(ctx.payload["ids"], list) else set()
    found = set(model.objects.filter(account=ctx.account, pk__in=ids, **filters).values_list("pk", flat=True))
    if ids - found:
        shown = ", ".join(map(str, sorted(ids - found)[:20]))
        raise Invalid(errors={"ids": [f"No such {what} in this account: {shown}."]})


def _offline(ctx: RunContext) -> bool:
    return ctx.provider == "offline"


class OptimizedOut(BaseModel):
    title: str
    html: str
    meta_title: str
    meta_description: str
    changes: list[str]


class OptimizeContentFunction(AIFunction):
    name = "optimize_content"
    display_name = "Optimise content"
    operation = "optimize_content"
    per_item = True
    max_items = 20
    ids_model = "writer.Content"
    prompt_type = "content_optimization"
    generation_fields = frozenset({"author_profile_id"})
    # propose: the web's path, a proposal shown with its diff and applied only when accepted.
    payload_fields = frozenset({"propose"})
    output_schema = OptimizedOut
    phase_messages = {"AI_CALL": "Optimising article {current} of {total}..."}

    def validate(self, ctx: RunContext) -> None:
        _check_ids(ctx, Content, "contents")
        super().validate(ctx)

    def prepare(self, ctx: RunContext) -> list[Content]:
        return list(
            Content.objects.filter(account=ctx.account, pk__in=ctx.payload["ids"])
            .select_related("site", "task", "task__idea", "task__cluster")
            .order_by("pk")
        )

    def build_prompt(self, ctx: RunContext, item: Content, template: str) -> TextPrompt:
        article = optimizing.content_article(content=item)
        score = optimizing.content_score(content=item)
        breakdown = "\n".join(f"- {c.key}: {c.points}/{c.max_points}. {c.detail}" for c in score.checks)
        text = prompts.render(
            template,
            prompt_type=self.prompt_type,
            voice=ctx.voice(site=item.site, sector=item.sector),
            title=item.title,
            html=item.html,
            primary_keyword=article.primary_keyword or "(none set)",
            secondary_keywords=", ".join(article.secondary_keywords) or "(none)",
            meta_title=item.meta_title,
            meta_description=item.meta_description,
            target_words=article.target_words,
            score_breakdown=f"Total {score.total}/100\n{breakdown}",
        )
        # Offline: only what needs no AI (meta lengths, alt texts); the rest of the article stays.
        draft = fixes.apply(
            title=item.title,
            html=item.html,
            meta_title_now=item.meta_title,
            meta_description_now=item.meta_description,
            keyword=article.primary_keyword,
        )
        draft["changes"] = draft.pop("fixes")
        return TextPrompt(prompt=text, offline_draft=draft)

    def save_output(self, ctx: RunContext, item: Content, output: OptimizedOut) -> dict:
        fields = output.model_dump(exclude={"changes"})
        if ctx.payload.get("propose"):  # the web's path: a proposal to review, nothing applied
            return optimizing.optimization_propose(
                content=item, fields=fields, offline=_offline(ctx), fixes=output.changes
            )
        return optimizing.optimization_apply(
            content=item, fields=fields, offline=_offline(ctx), fixes=output.changes
        )


class PillarOut(BaseModel):
    title: str
    description: str
    clusters: list[str]


class StructureOut(BaseModel):
    pillars: list[PillarOut]


def _run_site(ctx: RunContext) -> Site:
    if ctx.site is not None:
        return ctx.site
    try:
        return Site.objects.get(account=ctx.account, pk=int(ctx.payload.get("site_id")))
    except (TypeError, ValueError, Site.DoesNotExist) as error:
        raise Invalid(errors={"site_id": ["Name a site of this account (site_id)."]}) from error


class GenerateSiteStructureFunction(AIFunction):
    name = "generate_site_structure"
    display_name = "Generate site structure"
    operation = "generate_site_structure"
    prompt_type = "site_structure"
    payload_fields = frozenset({"site_id"})
    generation_fields = frozenset({"author_profile_id"})
    output_schema = StructureOut
    phase_messages = {"AI_CALL": "Planning the site's pages...", "SAVE": "Saving the page hierarchy..."}

    def validate(self, ctx: RunContext) -> None:
        site = _run_site(ctx)
        if not Cluster.objects.filter(site=site).exists():
            raise Invalid(errors={"site_id": ["The site has no clusters yet; cluster keywords first."]})

    def prepare(self, ctx: RunContext) -> list[Site]:
        return [_run_site(ctx)]

    def build_prompt(self, ctx: RunContext, item: Site, template: str) -> TextPrompt:
        clusters = list(Cluster.objects.filter(site=item).order_by("-volume", "name"))
        listing = "\n".join(f"- {c.name} ({c.keywords_count} keywords, volume {c.volume})" for c in clusters)
        sector = item.sectors.order_by("id").first()
        text = prompts.render(
            template,
            prompt_type=self.prompt_type,
            voice=ctx.voice(site=item),
            site=item.name,
            sector=sector.name if sector else "general",
            clusters=listing,
        )
        return TextPrompt(prompt=text, offline_draft={"pillars": structure.plan_groups(clusters)})

    def save_output(self, ctx: RunContext, item: Site, output: StructureOut) -> dict:
        counts = structure.structure_save(site=item, pillars=[p.model_dump() for p in output.pillars])
        return {"site_id": item.pk, **counts, "offline": _offline(ctx)}


class PageOut(BaseModel):
    title: str
    html: str
    meta_title: str
    meta_description: str
    excerpt: str


class GeneratePageContentFunction(AIFunction):
    name = "generate_page_content"
    display_name = "Generate page content"
    operation = "generate_page_content"
    per_item = True
    max_items = 20
    ids_model = "publishing.SitePage"
    prompt_type = "page_content"
    generation_fields = frozenset({"author_profile_id"})
    output_schema = PageOut
    phase_messages = {"AI_CALL": "Writing page {current} of {total}..."}

    def validate(self, ctx: RunContext) -> None:
        _check_ids(
            ctx, SitePage, "pillar or cluster pages", page_type__in=[PageType.PILLAR, PageType.CLUSTER]
        )
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
        return {"page_id": item.pk, "content_id": content.pk, "offline": _offline(ctx)}
