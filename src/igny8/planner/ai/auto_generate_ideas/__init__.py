"""auto_generate_ideas: one provider call per cluster, 3-7 whole ideas each (outline included)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, field_validator

from igny8.ai import prompts
from igny8.ai.base import AIFunction, RunContext, TextPrompt
from igny8.ai.parsing import ParseError
from igny8.ai.providers.base import CompletionResult
from igny8.ai.sentences import counted, failed_tail, total
from igny8.core import events
from igny8.core.errors import Invalid
from igny8.planner import idea_drafts, idea_service
from igny8.planner.models import Cluster, ContentIdea, ContentStructure, ContentType
from igny8.system.voice import Voice

MIN_IDEAS, MAX_IDEAS = 3, idea_service.MAX_IDEAS
PROMPT_KEYWORDS = 50  # the biggest keywords of a cluster shown to the model; enough to see its scope

ContentTypeName = Literal["post", "page", "product", "taxonomy"]
StructureName = Literal[
    "article",
    "guide",
    "how_to",
    "comparison",
    "review",
    "listicle",
    "landing_page",
    "pillar",
    "cluster_hub",
    "product_page",
    "category_page",
]


def _choice(value: object, choices: type, default: str) -> object:
    """Models write "How-to" or "Blog post"; map near misses onto our values, else the default."""
    if not isinstance(value, str):
        return value
    text = value.strip().lower().replace("-", "_").replace(" ", "_")
    if text in choices.values:
        return text
    return {"blog_post": "post", "howto": "how_to", "list": "listicle"}.get(text, default)


class OutlineSection(BaseModel):
    heading: str
    subsections: list[str]


class IdeaOut(BaseModel):
    title: str
    description: str
    outline: list[OutlineSection]
    primary_keyword: str
    secondary_keywords: list[str]
    content_type: ContentTypeName
    content_structure: StructureName
    estimated_word_count: int

    @field_validator("content_type", mode="before")
    @classmethod
    def _type(cls, value: object) -> object:
        return _choice(value, ContentType, "post")

    @field_validator("content_structure", mode="before")
    @classmethod
    def _structure(cls, value: object) -> object:
        return _choice(value, ContentStructure, "article")


class IdeasOut(BaseModel):
    ideas: list[IdeaOut]


def _cluster_text(cluster: Cluster, keywords: list) -> str:
    shown = "; ".join(
        f"{k.keyword} (volume {k.volume}, difficulty {k.difficulty})" for k in keywords[:PROMPT_KEYWORDS]
    )
    more = len(keywords) - PROMPT_KEYWORDS
    lines = [f"Cluster: {cluster.name}"]
    if cluster.description:
        lines.append(f"About: {cluster.description}")
    lines.append(f"Keywords: {shown}" + (f" (and {more} more)" if more > 0 else ""))
    return "\n".join(lines)


def _batch_rule(voice: Voice) -> str:
    """The batch's content type and length, said where the prompt lists the cluster (the saved
    ideas carry them whatever the model answers)."""
    rules = []
    if voice.content_structure:
        rules.append(f"content_structure {voice.content_structure}")
    if voice.article_length:
        rules.append(f"estimated_word_count {voice.article_length}")
    return f"\nEvery idea must have: {', '.join(rules)}." if rules else ""


class GenerateIdeasFunction(AIFunction):
    name = "auto_generate_ideas"
    title = "Generate ideas"
    operation = "generate_ideas"
    credits = 15
    per_item = True
    max_items = 50
    ids_model = "planner.Cluster"
    prompt_type = "ideas"
    placeholders = frozenset({"sector", "clusters", "min_ideas", "max_ideas"})
    output_schema = IdeasOut
    generation_fields = frozenset({"author_profile_id", "content_structure", "word_count"})
    phase_messages = {
        "PREP": "Loading {total} cluster(s)...",
        "AI_CALL": "Generating ideas for cluster {current} of {total}...",
        "SAVE": "Saving ideas for cluster {current} of {total}...",
        "DONE": "Ideas generated for {succeeded} cluster(s); {failed} failed.",
    }

    def summary(self, *, run, items: list[dict], failed: int) -> str:
        ideas, clusters = counted(total(items, "created"), "idea"), counted(len(items), "cluster")
        return f"Generated {ideas} for {clusters}." + failed_tail(failed, "cluster")

    def validate(self, ctx: RunContext) -> None:
        if "ids" not in ctx.payload:
            raise Invalid(errors={"ids": ["Send the ids of the clusters to generate ideas for."]})
        super().validate(ctx)
        ids = set(ctx.payload["ids"])
        found = set(Cluster.objects.filter(account=ctx.account, pk__in=ids).values_list("pk", flat=True))
        if ids - found:
            shown = ", ".join(map(str, sorted(ids - found)[:20]))
            raise Invalid(errors={"ids": [f"No such cluster(s) in this account: {shown}."]})

    def prepare(self, ctx: RunContext) -> list[Cluster]:
        return list(
            Cluster.objects.filter(account=ctx.account, pk__in=ctx.payload["ids"])
            .select_related("site", "sector")
            .order_by("pk")
        )

    def item_label(self, item: Cluster) -> str:
        return f"{item.pk} {item.name}"

    def build_prompt(self, ctx: RunContext, item: Cluster, template: str) -> TextPrompt:
        keywords = idea_service.cluster_keywords(cluster=item)
        sector = item.sector.name if item.sector else item.site.name
        voice = ctx.voice(site=item.site, sector=item.sector)
        text = prompts.render(
            template,
            prompt_type="ideas",
            voice=voice,
            sector=sector,
            clusters=_cluster_text(item, keywords) + _batch_rule(voice),
            min_ideas=MIN_IDEAS,
            max_ideas=MAX_IDEAS,
        )
        # A cluster with no keywords left still has a topic: its name.
        infos = [idea_drafts.KeywordInfo(k.keyword, k.volume, k.intent) for k in keywords] or [
            idea_drafts.KeywordInfo(item.name)
        ]
        drafts = idea_drafts.offline_ideas(infos, language=voice.language)
        return TextPrompt(prompt=text, offline_draft={"ideas": drafts})

    def parse_response(self, ctx: RunContext, item: Cluster, result: CompletionResult) -> IdeasOut:
        output = super().parse_response(ctx, item, result)
        # Too few ideas is a shape problem the model can fix: raising ParseError asks it once more.
        if len(output.ideas) < MIN_IDEAS:
            got = len(output.ideas)
            raise ParseError(
                f"Expected between {MIN_IDEAS} and {MAX_IDEAS} ideas for the cluster; got {got}."
            )
        return output

    def save_output(self, ctx: RunContext, item: Cluster, output: IdeasOut) -> dict:
        voice = ctx.voice(site=item.site, sector=item.sector)
        drafts = [
            idea_service.IdeaDraft(
                title=idea.title,
                description=idea.description,
                outline=[section.model_dump() for section in idea.outline],
                primary_keyword=idea.primary_keyword,
                secondary_keywords=idea.secondary_keywords,
                content_type=idea.content_type,
                # The batch's shape and the profile's length win over what the model chose.
                content_structure=voice.content_structure or idea.content_structure,
                estimated_word_count=voice.article_length or idea.estimated_word_count,
            )
            for idea in output.ideas
        ]
        return idea_service.ideas_save_for_cluster(cluster=item, drafts=drafts)

    def after_run(self, ctx: RunContext, *, results: list[dict]) -> dict:
        """ideas_generated, per site: the new ideas and their clusters."""
        made = [pk for r in results if r.get("status") == "success" for pk in r.get("idea_ids", [])]
        contexts: dict[int, dict] = {}
        rows = ContentIdea.objects.filter(pk__in=made).order_by("pk")
        for idea_id, cluster_id, site_id in rows.values_list("pk", "cluster_id", "site_id"):
            context = contexts.setdefault(site_id, {"idea_ids": [], "cluster_ids": []})
            context["idea_ids"].append(idea_id)
            if cluster_id not in context["cluster_ids"]:
                context["cluster_ids"].append(cluster_id)
        for context in contexts.values():
            context["count"] = len(context["idea_ids"])
        events.emit_per_site(account=ctx.account, event_type="ideas_generated", contexts=contexts)
        return {}
