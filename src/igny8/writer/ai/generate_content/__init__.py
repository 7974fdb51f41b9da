"""generate_content: one article per writer task, following the idea's outline and word target."""

from __future__ import annotations

import html

from pydantic import BaseModel

from igny8.ai import prompts
from igny8.ai.base import AIFunction, RunContext, TextPrompt
from igny8.ai.sentences import counted, failed_tail, total
from igny8.core import events
from igny8.system.voice import Voice, labels
from igny8.writer import services
from igny8.writer.models import Content, Task

DEFAULT_OUTLINE = [
    {"heading": "Introduction", "subsections": []},
    {"heading": "Key points", "subsections": []},
    {"heading": "Conclusion", "subsections": []},
]


class FaqEntry(BaseModel):
    question: str
    answer: str


class Article(BaseModel):
    title: str
    meta_title: str
    meta_description: str
    excerpt: str
    html: str
    # Questions readers ask, when the voice asks for an FAQ (empty otherwise); we render them
    # under our own heading, in the profile's language, and describe them as FAQPage JSON-LD.
    faq: list[FaqEntry] = []


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


def offline_article(
    *, title: str, sections: list[tuple[str, list[str]]], keyword: str, language: str = "en"
) -> dict:
    """An honest skeleton: the outline's headings with placeholders, labelled as an offline draft
    in the voice's language (our own words only; the headings are the outline's)."""
    words = labels(language)
    label = words["offline"]
    parts = [f"<p><strong>{html.escape(words['notice'])}</strong> {html.escape(words['notice_more'])}</p>"]
    for heading, subs in sections:
        parts.append(f"<h2>{html.escape(heading)}</h2>")
        parts.append(f"<p>{label} {html.escape(words['section'].format(heading=heading))}</p>")
        for sub in subs:
            parts.append(f"<h3>{html.escape(sub)}</h3>")
            parts.append(f"<p>{label} {html.escape(words['subsection'].format(heading=sub))}</p>")
    topic = keyword or title
    return {
        "title": title,
        "meta_title": f"{label} {title}",
        "meta_description": f"{label} {words['about'].format(topic=topic)}",
        "excerpt": f"{label} {words['excerpt']}",
        "html": "\n".join(parts),
        "faq": [],
    }


def faq_html(faq: list[FaqEntry], *, language: str) -> str:
    """The FAQ section under our heading in the voice's language (the answers are the model's)."""
    if not faq:
        return ""
    parts = [f"<h2>{html.escape(labels(language)['faq'])}</h2>"]
    for entry in faq:
        parts.append(f"<h3>{html.escape(entry.question.strip())}</h3>")
        parts.append(f"<p>{html.escape(entry.answer.strip())}</p>")
    return "\n".join(parts)


def article_shape(*, ctx: RunContext, task: Task) -> tuple[Voice, str, int]:
    """The voice, content structure and word target of one task: the batch's overrides win over
    the profile, the profile's default length over the task's own target."""
    sector = task.sector or task.site.sectors.filter(is_active=True).order_by("pk").first()
    voice = ctx.voice(site=task.site, sector=sector)
    structure = voice.content_structure or task.content_structure
    return voice, structure, voice.article_length or task.word_count_target


class GenerateContentFunction(AIFunction):
    name = "generate_content"
    title = "Generate content"
    operation = "generate_content"
    credits = 50
    aliases = ("auto_generate_content",)  # the reference's name
    per_item = True
    max_items = 20
    ids_model = "writer.Task"
    prompt_type = "content_generation"
    placeholders = frozenset(
        {
            "sector",
            "title",
            "brief",
            "primary_keyword",
            "secondary_keywords",
            "content_structure",
            "word_count",
            "outline",
        }
    )
    output_schema = Article
    generation_fields = frozenset({"author_profile_id", "content_structure", "word_count", "include_faq"})
    phase_messages = {
        "PREP": "Preparing {total} article(s)...",
        "AI_CALL": "Writing article {current} of {total}...",
        "SAVE": "Saving article {current} of {total}...",
        "DONE": "Articles done: {succeeded} written, {failed} failed.",
    }

    def summary(self, *, run, items: list[dict], failed: int) -> str:
        words = counted(total(items, "word_count"), "word")
        return f"Wrote {counted(len(items), 'article')} ({words})." + failed_tail(failed, "task")

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
        voice, structure, word_count = article_shape(ctx=ctx, task=item)
        text = prompts.render(
            template,
            prompt_type=self.prompt_type,
            voice=voice,
            sector=f"{sector.name}: {sector.description}" if sector else item.site.name,
            title=item.title,
            brief=item.brief or (idea.description if idea else "") or "(none)",
            primary_keyword=primary or item.title,
            secondary_keywords=", ".join(secondary) or "(none)",
            content_structure=structure,
            word_count=word_count,
            outline=outline_text(sections),
        )
        draft = offline_article(title=item.title, sections=sections, keyword=primary, language=voice.language)
        return TextPrompt(prompt=text, offline_draft=draft)

    def save_output(self, ctx: RunContext, item: Task, output: Article) -> dict:
        voice, _, _ = article_shape(ctx=ctx, task=item)
        faq = output.faq if voice.include_faq else []
        body = "\n".join(part for part in (output.html, faq_html(faq, language=voice.language)) if part)
        content = services.content_save_generated(
            task=item,
            title=output.title.strip() or item.title,
            html=body,
            meta_title=output.meta_title,
            meta_description=output.meta_description,
            excerpt=output.excerpt,
            faq=[entry.model_dump() for entry in faq],
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
