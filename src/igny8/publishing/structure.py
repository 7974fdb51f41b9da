"""A site's page hierarchy from its clusters: pillar pages over groups of clusters that share a
name word, one cluster page per cluster, and the cluster's ideas as supporting articles. The
grouping is deterministic (the offline answer); an AI answer names the groups instead, and both
are saved by structure_save."""

from __future__ import annotations

from collections import Counter

from django.db import transaction
from django.utils.text import slugify

from igny8.accounts.models import Site
from igny8.planner.models import Cluster, ContentIdea, Keyword
from igny8.publishing.models import PageType, SitePage
from igny8.publishing.words import topic_words

MAX_CLUSTERS_PER_PILLAR = 8
SUPPORTING_PER_CLUSTER = 5


def plan_groups(clusters: list[Cluster]) -> list[dict]:
    """[{"title", "description", "clusters": [names]}]: biggest cluster first seeds a pillar; a
    cluster joins the first pillar whose seed shares a word with it."""
    groups: list[tuple[set[str], list[Cluster]]] = []
    for cluster in sorted(clusters, key=lambda c: (-c.volume, c.name.lower())):
        words = set(topic_words(cluster.name))
        home = next((g for g in groups if words & g[0] and len(g[1]) < MAX_CLUSTERS_PER_PILLAR), None)
        if home is None:
            groups.append((words, [cluster]))
        else:
            home[1].append(cluster)
    plans = []
    for _seed, members in groups:
        counts = Counter(w for c in members for w in set(topic_words(c.name)))
        shared = [w for w in topic_words(members[0].name) if counts[w] > 1] if len(members) > 1 else []
        topic = " ".join(shared) if shared else members[0].name
        names = [c.name for c in members]
        plans.append(
            {
                "title": f"{topic[:1].upper()}{topic[1:]}: the complete guide",
                "description": f"Pillar page for {', '.join(names)}.",
                "clusters": names,
            }
        )
    return plans


def _upsert(site: Site, page_type: str, title: str, position: int, **fields) -> SitePage:
    slug = slugify(title, allow_unicode=True)[:255] or f"{page_type}-{position}"
    page, _ = SitePage.objects.update_or_create(
        site=site,
        page_type=page_type,
        slug=slug,
        defaults={"account_id": site.account_id, "title": title[:255], "position": position, **fields},
    )
    return page


@transaction.atomic
def structure_save(*, site: Site, pillars: list[dict]) -> dict:
    """Writes the hierarchy (re-running updates it in place); pages no longer in the plan are
    removed unless content was already written for them. Clusters the plan left out get pillars
    of their own, so every cluster has a page."""
    clusters = list(Cluster.objects.filter(site=site))
    by_name = {c.name.strip().lower(): c for c in clusters}
    placed: set[int] = set()
    groups = []
    for pillar in pillars:
        members = [
            by_name[n.strip().lower()] for n in pillar.get("clusters", []) if n.strip().lower() in by_name
        ]
        members = [c for c in members if c.pk not in placed]
        placed.update(c.pk for c in members)
        if members:
            groups.append((pillar, members))
    leftovers = [c for c in clusters if c.pk not in placed]
    for plan in plan_groups(leftovers):
        groups.append((plan, [by_name[n.lower()] for n in plan["clusters"]]))
    kept: set[int] = set()
    position = 0
    counts = {"pillars": 0, "cluster_pages": 0, "supporting": 0}
    for pillar, members in groups:
        top = [_top_keywords(c, 1) for c in members]
        parent = _upsert(
            site,
            PageType.PILLAR,
            pillar["title"],
            position,
            parent=None,
            description=pillar.get("description", ""),
            keywords=[k for ks in top for k in ks],
        )
        kept.add(parent.pk)
        counts["pillars"] += 1
        for cluster in members:
            position += 1
            page = _upsert(
                site,
                PageType.CLUSTER,
                cluster.name,
                position,
                parent=parent,
                cluster=cluster,
                description=cluster.description,
                keywords=_top_keywords(cluster, 5),
            )
            kept.add(page.pk)
            counts["cluster_pages"] += 1
            ideas = ContentIdea.objects.filter(site=site, cluster=cluster).order_by("id")[
                :SUPPORTING_PER_CLUSTER
            ]
            for idea in ideas:
                position += 1
                child = _upsert(
                    site,
                    PageType.SUPPORTING,
                    idea.title,
                    position,
                    parent=page,
                    cluster=cluster,
                    idea=idea,
                    keywords=[k for k in [idea.primary_keyword] if k],
                )
                kept.add(child.pk)
                counts["supporting"] += 1
        position += 1
    SitePage.objects.filter(site=site, content__isnull=True).exclude(pk__in=kept).delete()
    return counts


def _top_keywords(cluster: Cluster, n: int) -> list[str]:
    return list(
        Keyword.objects.filter(cluster=cluster)
        .order_by("-volume", "id")
        .values_list("keyword", flat=True)[:n]
    )


def page_offline_draft(page: SitePage) -> dict:
    """An honest, labelled page skeleton: the page's own links to its children, no invented prose."""
    children = list(page.children.order_by("position", "id"))
    sections = "".join(f"<h2>{c.title}</h2><p>[Offline draft] Summary of {c.title}.</p>" for c in children)
    intro = page.description or f"{page.title}."
    return {
        "title": page.title,
        "html": f"<p>[Offline draft] {intro} No AI provider is configured; write or regenerate this page.</p>"
        + sections,
        "meta_title": page.title[:60],
        "meta_description": f"[Offline draft] {intro}"[:160],
        "excerpt": f"[Offline draft] {intro}"[:300],
    }
