"""generate_content: one article per writer task, following the idea's outline and word target."""

from __future__ import annotations

import html

from pydantic import BaseModel

from igny8.ai import prompts
from igny8.ai.base import AIFunction, RunContext, TextPrompt
from igny8.ai.providers.offline import OFFLINE_LABEL
from igny8.core import events
from igny8.writer import services
from igny8.writer.models import Content, Task

DEFAULT_OUTLINE = [
    {"heading": "Introduction", "subsections": []},
    {"heading": "Key points", "subsections": []},
    {"heading": "Conclusion", "subsections": []},
]
OFFLINE_NOTICE = (
    "<p><strong>Offline draft: this is not a written article.</strong> No AI provider was configured, "
    "so IGNY8 made this skeleton from the outline. A person must write it, or regenerate it once an "
    "AI provider is set up in Settings &gt; Integrations.</p>"
)


class Article(BaseModel):
    title: str
    meta_title: str
    meta_description: str
    excerpt: str
    html: str


def outline_sections(outline: object) -> list[tuple[str, list[str]]]:
    """The idea's outline as (H2, [H3...]); subsections may be strings or {"heading": ...} dicts."""
    sections = []
    for entry in outline if isinstance(outline, list) else []:
        heading = entry.get("heading", "") if isinstance(entry, dict) else str(entry)
        subs = entry.get("subsections", []) if isinstance(entry, dict) else []
        names = [s.get("heading", "") if isinstance(s, dict) else str(s) for s in subs or []]
        if str(heading).strip():
            sections.append((str(heading).strip(), [n.strip() for n in names if str(n).strip()]))
    return sections


def outline_text(sections: list[tuple[str, list[str]]]) -> str:
    lines = []
    for heading, subs in sections:
        lines.append(f"- H2: {heading}")
        lines += [f"  - H3: {sub}" for sub in subs]
    return "\n".join(lines)


def offline_article(*, title: str, sections: list[tuple[str, list[str]]], keyword: str) -> dict:
    """An honest skeleton: the outline's headings with placeholders, labelled as an offline draft."""
    parts = [OFFLINE_NOTICE]
    for heading, subs in sections:
        parts.append(f"<h2>{html.escape(heading)}</h2>")
        parts.append(f"<p>{OFFLINE_LABEL} Placeholder: write this section ({html.escape(heading)}).</p>")
        for sub in subs:
            parts.append(f"<h3>{html.escape(sub)}</h3>")
            parts.append(f"<p>{OFFLINE_LABEL} Placeholder: write this subsection ({html.escape(sub)}).</p>")
    topic = keyword or title
    return {
        "title": title,
        "meta_title": f"{OFFLINE_LABEL} {title}",
        "meta_description": f"{OFFLINE_LABEL} Not written yet: a skeleton about {topic}.",
        "excerpt": f"{OFFLINE_LABEL} Skeleton made without an AI provider; write or regenerate it.",
        "html": "\n".join(parts),
    }


class GenerateContentFunction(AIFunction):
    name = "generate_content"
    display_name = "Generate content"
    operation = "generate_content"
    per_item = True
    max_items = 20
    ids_model = "writer.Task"
    prompt_type = "content_generation"
    output_schema = Article
    phase_messages = {
        "PREP": "Preparing {total} article(s)...",
        "AI_CALL": "Writing article {current} of {total}...",
        "SAVE": "Saving article {current} of {total}...",
        "DONE": "Articles done: {succeeded} written, {failed} failed.",
    }

    def prepare(self, ctx: RunContext) -> list[Task]:
        return list(
            Task.objects.filter(account=ctx.account, pk__in=ctx.payload["ids"])
            .select_related("idea", "sector", "site")
            .order_by("pk")
        )

    def item_started(self, ctx: RunContext, item: Task) -> None:
        services.task_set_status(task=item, status="in_progress")

    def item_failed(self, ctx: RunContext, item: Task, error: str) -> None:
        services.task_set_status(task=item, status="failed")

    def build_prompt(self, ctx: RunContext, item: Task, template: str) -> TextPrompt:
        idea = item.idea
        sections = outline_sections(idea.outline if idea else []) or DEFAULT_OUTLINE_SECTIONS
        primary = (idea.primary_keyword if idea else "") or (item.keywords[0] if item.keywords else "")
        secondary = (idea.secondary_keywords if idea else []) or item.keywords[1:]
        sector = item.sector or item.site.sectors.filter(is_active=True).order_by("pk").first()
        text = prompts.render(
            template,
            prompt_type=self.prompt_type,
            sector=f"{sector.name}: {sector.description}" if sector else item.site.name,
            title=item.title,
            brief=item.brief or (idea.description if idea else "") or "(none)",
            primary_keyword=primary or item.title,
            secondary_keywords=", ".join(secondary) or "(none)",
            content_structure=item.content_structure,
            word_count=item.word_count_target,
            outline=outline_text(sections),
        )
        return TextPrompt(
            prompt=text,
            offline_draft=offline_article(title=item.title, sections=sections, keyword=primary),
        )

    def save_output(self, ctx: RunContext, item: Task, output: Article) -> dict:
        content = services.content_save_generated(
            task=item,
            title=output.title.strip() or item.title,
            html=output.html,
            meta_title=output.meta_title,
            meta_description=output.meta_description,
            excerpt=output.excerpt,
        )
        return {"task_id": item.pk, "content_id": content.pk, "word_count": content.word_count}

    def after_run(self, ctx: RunContext, *, results: list[dict]) -> dict:
        """content_generated, per site: the new articles and their tasks."""
        made = {r["content_id"]: r["task_id"] for r in results if r.get("status") == "success"}
        contexts: dict[int, dict] = {}
        for content_id, site_id in Content.objects.filter(pk__in=list(made)).values_list("pk", "site_id"):
            context = contexts.setdefault(site_id, {"content_ids": [], "task_ids": []})
            context["content_ids"].append(content_id)
            context["task_ids"].append(made[content_id])
        for context in contexts.values():
            context["count"] = len(context["content_ids"])
        events.emit_per_site(account=ctx.account, event_type="content_generated", contexts=contexts)
        return {}


DEFAULT_OUTLINE_SECTIONS = outline_sections(DEFAULT_OUTLINE)
