"""What the article editor's side panel shows, for the text being typed (not yet saved): the SEO
score of the article *as it will be published* (internal links the linker would insert, images
placed where the publisher places them) and term suggestions, Surfer-style, from the cluster's
keywords, the article's keywords and its outline, each with its count in the text and a target.
Deterministic and offline: the same text always gives the same panel."""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass

from bs4 import BeautifulSoup
from django.conf import settings

from igny8.planner.models import Keyword
from igny8.publishing import export, linker, optimizing, selectors
from igny8.publishing.optimizer import Score, score_article
from igny8.publishing.optimizer import text as t
from igny8.writer import html as article_html
from igny8.writer.ai.generate_content import outline_sections
from igny8.writer.models import Content

MAX_CLUSTER_TERMS = 12
# Words of text per expected use of the primary keyword (a 1,500-word article: 5 uses).
WORDS_PER_PRIMARY_USE = 300


@dataclass(frozen=True)
class Term:
    term: str
    source: str  # primary | secondary | cluster | outline
    count: int
    target: int

    @property
    def met(self) -> bool:
        return self.count >= self.target

    def as_dict(self) -> dict:
        return {**asdict(self), "met": self.met}


@dataclass
class Draft:
    title: str
    html: str
    meta_title: str
    meta_description: str
    primary_keyword: str
    secondary_keywords: list[str]


def draft_from(*, content: Content, **fields) -> Draft:
    """The editor's draft: the posted fields over the stored content's (html sanitised as saved)."""
    keywords = selectors.content_keywords(content=content)
    values = {
        "title": content.title,
        "html": content.html,
        "meta_title": content.meta_title,
        "meta_description": content.meta_description,
        "primary_keyword": keywords.primary,
        "secondary_keywords": list(keywords.secondary),
    }
    values.update({k: v for k, v in fields.items() if v is not None})
    values["html"] = article_html.sanitize(values["html"] or "")
    return Draft(**values)


def published_html(*, content: Content, html: str) -> tuple[str, list[linker.Suggestion], int]:
    """The draft as publishing would send it: the linker's links inserted, the images placed.
    Returns (html, the links the linker would add, images placed)."""
    unsaved = copy.copy(content)  # links_plan reads .html; the stored row is not touched
    unsaved.html = html
    linked, added = linker.links_plan(content=unsaved, max_links=settings.INTERNAL_LINKS_PER_ARTICLE)
    # As WordPress would get it now: links to articles not published yet are left out.
    linked, _ = linker.links_resolve(html=linked, site=content.site)
    images = export.article_images(content)
    unsaved.html = linked
    body = export.article_body(content=unsaved, images=images, src=lambda image: image.file.url)
    return body, added, len(images)


def terms_for(*, content: Content, draft: Draft, text: str) -> list[Term]:
    """Suggested terms with their counts in `text` (the article's words) and a target each:
    the primary keyword once per 300 words (at least 2), every other term at least once."""
    words = len(t.words(text))
    seen: set[str] = set()
    terms: list[Term] = []

    def add(term: str, source: str, target: int) -> None:
        key = t.normalise(term)
        if key and key not in seen:
            seen.add(key)
            terms.append(Term(term=term.strip(), source=source, count=t.count(text, term), target=target))

    if draft.primary_keyword.strip():
        add(draft.primary_keyword, "primary", max(2, round(words / WORDS_PER_PRIMARY_USE)))
    for keyword in draft.secondary_keywords:
        add(keyword, "secondary", 1)
    cluster_id = selectors.content_cluster_id(content=content)
    if cluster_id is not None:
        names = (
            Keyword.objects.filter(cluster_id=cluster_id, account_id=content.account_id)
            .order_by("-volume", "id")
            .values_list("keyword", flat=True)[:MAX_CLUSTER_TERMS]
        )
        for name in names:
            add(name, "cluster", 1)
    idea = content.task.idea if content.task_id and content.task.idea_id else None
    for heading, subsections in outline_sections(idea.outline if idea else []):
        add(heading, "outline", 1)
        for sub in subsections:
            add(sub, "outline", 1)
    return terms


def _score(*, content: Content, draft: Draft, html: str) -> Score:
    article = optimizing.content_article(
        content=content,
        title=draft.title,
        html=html,
        meta_title=draft.meta_title,
        meta_description=draft.meta_description,
        primary_keyword=draft.primary_keyword,
        secondary_keywords=draft.secondary_keywords,
    )
    return score_article(article)


def published_score(*, content: Content) -> Score:
    """The stored article's score as it will be published (what the content page shows)."""
    draft = draft_from(content=content)
    return _score(content=content, draft=draft, html=published_html(content=content, html=draft.html)[0])


def editor_panel(*, content: Content, **fields) -> dict:
    """The side panel for a draft: score (as published), what publishing adds, and the terms."""
    draft = draft_from(content=content, **fields)
    html, links, images = published_html(content=content, html=draft.html)
    score = _score(content=content, draft=draft, html=html)
    live = sum(1 for link in links if link.published)
    text = BeautifulSoup(draft.html, "html.parser").get_text(" ")
    return {
        "score": score.as_dict(),
        "words": article_html.word_count(draft.html),
        "published_adds": {"internal_links": live, "images": images},
        # What the linker would add on publishing: articles (published or waiting) and existing pages.
        "links": [link.as_dict() for link in links],
        "terms": [term.as_dict() for term in terms_for(content=content, draft=draft, text=text)],
        "lengths": {
            "title": len(draft.title),
            "meta_title": len(draft.meta_title),
            "meta_description": len(draft.meta_description),
        },
    }
