"""optimize_content: rewrite an article against its SEO score (applied, or proposed for review)."""

from __future__ import annotations

from pydantic import BaseModel

from igny8.ai import prompts
from igny8.ai.base import AIFunction, RunContext, TextPrompt
from igny8.publishing import optimizing
from igny8.publishing.ai import check_ids, offline
from igny8.publishing.optimizer import fixes
from igny8.writer.models import Content


class OptimizedOut(BaseModel):
    title: str
    html: str
    meta_title: str
    meta_description: str
    changes: list[str]


class OptimizeContentFunction(AIFunction):
    name = "optimize_content"
    title = "Optimise content"
    operation = "optimize_content"
    credits = 10
    per_item = True
    max_items = 20
    ids_model = "writer.Content"
    prompt_type = "content_optimization"
    placeholders = frozenset(
        {
            "title",
            "html",
            "primary_keyword",
            "secondary_keywords",
            "meta_title",
            "meta_description",
            "target_words",
            "score_breakdown",
        }
    )
    generation_fields = frozenset({"author_profile_id"})
    # propose: the web's path, a proposal shown with its diff and applied only when accepted.
    payload_fields = frozenset({"propose"})
    output_schema = OptimizedOut
    phase_messages = {"AI_CALL": "Optimising article {current} of {total}..."}

    def validate(self, ctx: RunContext) -> None:
        check_ids(ctx, Content, "contents")
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
                content=item, fields=fields, offline=offline(ctx), fixes=output.changes
            )
        return optimizing.optimization_apply(
            content=item, fields=fields, offline=offline(ctx), fixes=output.changes
        )
