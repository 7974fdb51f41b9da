"""Internal links between a site's articles in related clusters.

Targets are the site's other articles in the same cluster, then in clusters whose names share a
word. A published article is linked by its URL; one not published yet by a placeholder address
(PENDING_PREFIX + its id, a site-relative path) that publishing resolves: to the target's URL once it
is published, else the link is left out of what WordPress gets (its text stays) until both are.
The site's existing pages (imported from its sitemap) come after its articles, anchored on their
title. The anchor is the first of the target's keywords (primary,
secondary, then its title) found as whole words in the source's text: never inside a heading or
an existing link, never to the article itself or to a page it already links to, at most N per
article and one per target."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from bs4 import BeautifulSoup, NavigableString
from django.db import transaction

from igny8.publishing import selectors
from igny8.publishing.words import topic_words
from igny8.writer import html as article_html
from igny8.writer.models import Content

SKIP_PARENTS = {
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "a",
    "code",
    "pre",
    "script",
    "style",
    "figcaption",
    "button",
}


# A link to an article that is not published yet (kept in our copy of the article).
PENDING_PREFIX = "/__igny8/content/"
_PENDING = re.compile(r"^" + re.escape(PENDING_PREFIX) + r"(\d+)/$")


def pending_url(content_id: int) -> str:
    return f"{PENDING_PREFIX}{content_id}/"


def pending_target(href: str | None) -> int | None:
    match = _PENDING.match(href or "")
    return int(match.group(1)) if match else None


@dataclass(frozen=True)
class Suggestion:
    target_id: int
    url: str
    anchor: str
    title: str
    published: bool = True
    kind: str = "article"  # article | page (an existing page of the site, from its sitemap)

    def as_dict(self) -> dict:
        return asdict(self)


def _pattern(phrase: str) -> re.Pattern:
    words = [re.escape(w) for w in phrase.split()]
    return re.compile(r"(?<![\w-])" + r"\s+".join(words) + r"(?![\w-])", re.IGNORECASE)


def _linkable_strings(soup: BeautifulSoup) -> list[NavigableString]:
    found = []
    for text in soup.find_all(string=True):
        if any(parent.name in SKIP_PARENTS for parent in text.parents):
            continue
        if text.strip():
            found.append(text)
    return found


def _targets(content: Content) -> list[tuple[Content, list[str]]]:
    """Published articles of the site, same cluster first, then clusters sharing a name word."""
    source_cluster = selectors.content_cluster_id(content=content)
    source_words = (
        set(topic_words(content.task.cluster.name)) if content.task and content.task.cluster else set()
    )
    ranked = []
    # One query for the candidates and one for their clusters' keywords, however many articles.
    candidates = []
    related: dict[int, bool] = {}  # cluster id -> shares a name word with the source's cluster
    for other in selectors.link_candidates(site=content.site).exclude(pk=content.pk):
        cluster_id = selectors.content_cluster_id(content=other)
        if cluster_id is None:
            continue
        if cluster_id == source_cluster:
            rank = 0
        elif other.task.cluster_id and related.setdefault(
            other.task.cluster_id, bool(source_words & set(topic_words(other.task.cluster.name)))
        ):
            rank = 1
        else:
            continue
        candidates.append((rank, other))
    fallback = selectors.clusters_top_keywords(
        cluster_ids={o.task.cluster_id for _, o in candidates if o.task.cluster_id}
    )
    for rank, other in candidates:
        keywords = selectors.content_keywords(content=other, cluster_keywords=fallback)
        phrases = [p for p in [keywords.primary, *keywords.secondary, other.title] if p and p.strip()]
        ranked.append((rank, other.pk, other, phrases))
    return [(other, phrases) for _, _, other, phrases in sorted(ranked, key=lambda r: r[:2])]


@dataclass(frozen=True)
class _Page:
    """A target that is one of the site's existing pages (from its sitemap): linked by its URL."""

    pk: int
    title: str
    external_url: str


def _page_targets(content: Content, articles: list[Content]) -> list[tuple[_Page, list[str]]]:
    """The site's sitemap pages after its articles, their title (from the address) as the anchor;
    never the article itself or a page that is one of the site's articles."""
    skip = {u for u in (content.external_url, *(a.external_url for a in articles)) if u}
    return [
        (_Page(page.pk, page.title, page.url), [page.title])
        for page in selectors.sitemap_pages(site=content.site).only("pk", "title", "url")
        if page.url not in skip and page.title.strip()
    ]


def links_plan(*, content: Content, max_links: int) -> tuple[str, list[Suggestion]]:
    """The article's HTML with up to max_links new links, and the links it added."""
    soup = BeautifulSoup(content.html or "", "html.parser")
    linked = {a.get("href") for a in soup.find_all("a")}
    articles = _targets(content)
    targets = [*articles, *_page_targets(content, [a for a, _ in articles])]
    addresses = {
        _key(t): {
            *([pending_url(t.pk)] if isinstance(t, Content) else []),
            *([t.external_url] if t.external_url else []),
        }
        for t, _ in targets
    }
    # Links inserted by an earlier run count towards the cap, so applying twice never exceeds it.
    budget = max_links - sum(1 for urls in addresses.values() if linked & urls)
    added: list[Suggestion] = []
    # A cheap first test before the per-phrase scan: most of a big site's targets are not in the text.
    haystack = " ".join(soup.get_text(" ").lower().split())
    for target, phrases in targets:
        if len(added) >= budget:
            break
        if linked & addresses[_key(target)]:
            continue
        phrases = [p for p in phrases if " ".join(p.lower().split()) in haystack]
        url = target.external_url or pending_url(target.pk)
        kind = "article" if isinstance(target, Content) else "page"
        for phrase in phrases:
            placed = _insert(soup, phrase, url)
            if placed:
                added.append(
                    Suggestion(target.pk, url, placed, target.title, bool(target.external_url), kind)
                )
                linked.add(url)
                break
    return str(soup), added


def _key(target) -> tuple[str, int]:
    return ("article" if isinstance(target, Content) else "page", target.pk)


def _insert(soup: BeautifulSoup, phrase: str, url: str) -> str:
    """Wraps the first linkable occurrence of the phrase in a link; the matched text, or ''."""
    pattern = _pattern(phrase)
    for text in _linkable_strings(soup):
        value = str(text)
        match = pattern.search(value)
        if not match:
            continue
        link = soup.new_tag("a", href=url)
        link.string = match.group(0)
        before, after = NavigableString(value[: match.start()]), NavigableString(value[match.end() :])
        text.replace_with(before)
        before.insert_after(link)
        link.insert_after(after)
        return match.group(0)
    return ""


def links_suggest(*, content: Content, max_links: int) -> list[Suggestion]:
    return links_plan(content=content, max_links=max_links)[1]


@transaction.atomic
def links_apply(*, content: Content, max_links: int) -> list[Suggestion]:
    """Inserts the links into the stored article (publishing calls this first). Already-linked
    targets are skipped, so running it again adds nothing."""
    if max_links <= 0 or not content.html:
        return []
    html, added = links_plan(content=content, max_links=max_links)
    if added:
        Content.objects.filter(pk=content.pk).update(html=article_html.sanitize(html))
        content.html = article_html.sanitize(html)
    return added


def links_resolve(*, html: str, site) -> tuple[str, list[str]]:
    """What WordPress gets: each placeholder link pointed at its target's URL when the target is
    published, else unwrapped (its text kept), with a warning per link left out."""
    soup = BeautifulSoup(html or "", "html.parser")
    pending = [(a, pending_target(a.get("href"))) for a in soup.find_all("a")]
    pending = [(a, target) for a, target in pending if target is not None]
    if not pending:
        return html, []
    urls = dict(
        Content.objects.filter(site=site, pk__in={t for _, t in pending})
        .exclude(external_url="")
        .values_list("pk", "external_url")
    )
    warnings = []
    for anchor, target in pending:
        if target in urls:
            anchor["href"] = urls[target]
        else:
            warnings.append(f"The link on “{anchor.get_text()}” waits for article {target} to be published.")
            anchor.unwrap()
    return str(soup), warnings


def linking_to(*, content: Content) -> list[Content]:
    """The site's published articles holding a placeholder link to this one (to send again once
    it is published, so the link goes live)."""
    marker = pending_url(content.pk)
    return list(
        Content.objects.filter(site_id=content.site_id, html__contains=f'href="{marker}"')
        .exclude(pk=content.pk)
        .exclude(external_id="")
    )
