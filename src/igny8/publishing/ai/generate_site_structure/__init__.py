"""generate_site_structure: plan the site's pillar and cluster pages from its clusters."""

from __future__ import annotations

from pydantic import BaseModel

from igny8.accounts.models import Site
from igny8.ai import prompts
from igny8.ai.base import AIFunction, RunContext, TextPrompt
from igny8.core.errors import Invalid
from igny8.planner.models import Cluster
from igny8.publishing import structure
from igny8.publishing.ai import offline, run_site


class PillarOut(BaseModel):
    title: str
    description: str
    clusters: list[str]


class StructureOut(BaseModel):
    pillars: list[PillarOut]


class GenerateSiteStructureFunction(AIFunction):
    name = "generate_site_structure"
    title = "Generate site structure"
    operation = "generate_site_structure"
    credits = 20
    prompt_type = "site_structure"
    placeholders = frozenset({"site", "sector", "clusters"})
    payload_fields = frozenset({"site_id"})
    generation_fields = frozenset({"author_profile_id"})
    output_schema = StructureOut
    phase_messages = {"AI_CALL": "Planning the site's pages...", "SAVE": "Saving the page hierarchy..."}

    def validate(self, ctx: RunContext) -> None:
        site = run_site(ctx)
        if not Cluster.objects.filter(site=site).exists():
            raise Invalid(errors={"site_id": ["The site has no clusters yet; cluster keywords first."]})

    def prepare(self, ctx: RunContext) -> list[Site]:
        return [run_site(ctx)]

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
        return {"site_id": item.pk, **counts, "offline": offline(ctx)}
