"""Cannibalisation: two ideas or articles of one site that would compete for the same search.

A pair is flagged when
- they have the same primary keyword, or one's primary keyword is among the other's keywords; or
- they are in the same cluster and their primary keywords (or, without one, titles) mean the same
  thing: embedding similarity of their topic texts >= SIMILAR, and their search intent and
  modifiers do not set them apart ("best trail shoes for women" vs "... for men" are two pages).

An article written from an idea is the same piece of work as the idea: never a pair. The pairs
feed the ideas and content lists (API field `cannibalises`, a badge naming the other item) and the
queue-to-writer answer, which asks first: `queue_check` refuses (409 in the API, a confirmation in the
web) while the ideas about to be queued form pairs and the person has not confirmed. Reads only;
nothing is stored, so the flags follow every edit at once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from igny8.core.errors import Conflict
from igny8.core.text import normalize_keyword
from igny8.planner import clustering, embedding_cache

# Same-cluster targets whose topic texts are at least this similar compete. MiniLM puts
# paraphrases ("best trail running shoes for women" / "top women's trail running shoes") at
# 0.85-0.95 and sibling topics of one cluster ("how to clean" / "how to dry running shoes") below.
SIMILAR = 0.80

Encoder = Callable[[Sequence[str]], np.ndarray]


@dataclass(frozen=True)
class Target:
    kind: str  # "idea" or "content"
    id: int
    title: str
    primary: str  # normalised primary keyword; the normalised title when there is none
    keywords: frozenset[str]  # normalised: primary and secondary
    cluster_id: int | None
    idea_id: int | None = None  # an article's idea (the same piece of work)

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind, self.id)


@dataclass(frozen=True)
class Overlap:
    first: Target
    second: Target
    reason: str

    def other(self, key: tuple[str, int]) -> Target:
        return self.second if self.first.key == key else self.first


def target(
    *, kind: str, id: int, title: str, keywords: Iterable[str], cluster_id: int | None, idea_id=None
) -> Target:
    normalised = [normalize_keyword(k) for k in keywords if k and k.strip()]
    primary = normalised[0] if normalised else normalize_keyword(title)
    return Target(
        kind=kind,
        id=id,
        title=title,
        primary=primary,
        keywords=frozenset(normalised) | {primary},
        cluster_id=cluster_id,
        idea_id=idea_id,
    )


def _same_work(a: Target, b: Target) -> bool:
    return {a.kind, b.kind} == {"idea", "content"} and (
        (a.kind == "content" and a.idea_id == b.id) or (b.kind == "content" and b.idea_id == a.id)
    )


def _keyword_reason(a: Target, b: Target) -> str | None:
    if a.primary == b.primary:
        return f'same primary keyword "{a.primary}"'
    if a.primary in b.keywords:
        return f'both target "{a.primary}"'
    if b.primary in a.keywords:
        return f'both target "{b.primary}"'
    return None


def _keyword_overlaps(ordered: list[Target], found: dict[tuple, Overlap]) -> None:
    by_keyword: dict[str, list[Target]] = defaultdict(list)
    for item in ordered:
        for keyword in item.keywords:
            by_keyword[keyword].append(item)
    for item in ordered:
        for other in by_keyword[item.primary]:
            if other.key == item.key or _same_work(item, other):
                continue
            a, b = sorted((item, other), key=lambda t: t.key)
            reason = _keyword_reason(a, b)
            if reason and (a.key, b.key) not in found:
                found[(a.key, b.key)] = Overlap(a, b, reason)


def _topic_overlaps(
    ordered: list[Target], found: dict[tuple, Overlap], encoder: Encoder | None, similar: float
) -> None:
    by_cluster: dict[int, list[Target]] = defaultdict(list)
    for item in ordered:
        if item.cluster_id is not None:
            by_cluster[item.cluster_id].append(item)
    crowded = [members for _, members in sorted(by_cluster.items()) if len(members) > 1]
    if not crowded:
        return  # no model load for sites with at most one item per cluster
    topic = {m.key: clustering.embedding_texts([m.primary])[0] for members in crowded for m in members}
    encode = encoder or _encode
    texts = sorted(set(topic.values()))
    vectors = dict(zip(texts, encode(texts), strict=True))
    primaries = sorted({m.primary for members in crowded for m in members})
    judged = clustering.classify_list(primaries, encoder=encode)
    signature = dict(zip(primaries, judged, strict=True))
    for members in crowded:
        for position, a in enumerate(members):
            for b in members[position + 1 :]:
                if (a.key, b.key) in found or _same_work(a, b):
                    continue
                score = round(float(np.dot(vectors[topic[a.key]], vectors[topic[b.key]])), 6)
                if score < similar:
                    continue
                # Same words but another audience, condition or intent: two pages, not one.
                if clustering.conflict(signature[a.primary], signature[b.primary]):
                    continue
                found[(a.key, b.key)] = Overlap(a, b, f"same cluster, similar topics ({score:.2f})")


def overlaps(
    *, targets: Sequence[Target], encoder: Encoder | None = None, similar: float = SIMILAR
) -> list[Overlap]:
    """Every competing pair among `targets`, in a stable order (by kind and id)."""
    ordered = sorted(targets, key=lambda t: t.key)
    found: dict[tuple, Overlap] = {}
    _keyword_overlaps(ordered, found)
    _topic_overlaps(ordered, found, encoder, similar)
    return [found[key] for key in sorted(found)]


def _encode(texts: Sequence[str]) -> np.ndarray:
    # Through the embedding table with the configured backend, as clustering: the topic texts of a
    # site's primary keywords are mostly stored already, so a list page rarely runs the model.
    return embedding_cache.vectors_for(texts=list(texts))


def site_targets(*, site_id: int) -> list[Target]:
    """The site's ideas and articles as targets (archived-like states included: a published
    article still ranks)."""
    from igny8.planner.models import ContentIdea
    from igny8.writer.models import Content

    found = [
        target(
            kind="idea",
            id=idea.pk,
            title=idea.title,
            keywords=[idea.primary_keyword, *idea.secondary_keywords],
            cluster_id=idea.cluster_id,
        )
        for idea in ContentIdea.objects.filter(site_id=site_id).only(
            "pk", "title", "primary_keyword", "secondary_keywords", "cluster_id"
        )
    ]
    for content in (
        Content.objects.filter(site_id=site_id)
        .select_related("task")
        .only("pk", "title", "task__keywords", "task__cluster_id", "task__idea_id")
    ):
        task = content.task
        found.append(
            target(
                kind="content",
                id=content.pk,
                title=content.title,
                keywords=task.keywords if task else [],
                cluster_id=task.cluster_id if task else None,
                idea_id=task.idea_id if task else None,
            )
        )
    return found


def cannibalisation_pairs(*, site_id: int, encoder: Encoder | None = None) -> list[Overlap]:
    return overlaps(targets=site_targets(site_id=site_id), encoder=encoder)


def describe(overlap: Overlap, key: tuple[str, int]) -> dict:
    other = overlap.other(key)
    return {"kind": other.kind, "id": other.id, "title": other.title, "reason": overlap.reason}


class Index:
    """Pairs per item, computed once per site on first use (one per request: lists and answers)."""

    def __init__(self, encoder: Encoder | None = None):
        self.encoder = encoder
        self._sites: dict[int, dict[tuple[str, int], list[dict]]] = {}

    def for_item(self, *, site_id: int, kind: str, id: int) -> list[dict]:
        if site_id not in self._sites:
            flagged: dict[tuple[str, int], list[dict]] = defaultdict(list)
            for overlap in cannibalisation_pairs(site_id=site_id, encoder=self.encoder):
                for side in (overlap.first, overlap.second):
                    flagged[side.key].append(describe(overlap, side.key))
            self._sites[site_id] = flagged
        return self._sites[site_id].get((kind, id), [])


def queue_warnings(*, ideas: Sequence, pairs: Sequence[Overlap] | None = None) -> list[dict]:
    """For ideas about to go (or just gone) to the writer: each one that competes with another
    idea or article of its site, with the other named. One entry per pair and idea. `pairs`: the
    sites' pairs when already computed (`site_pairs`)."""
    if pairs is None:
        pairs = site_pairs(ideas=ideas)
    flagged: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for overlap in pairs:
        for side in (overlap.first, overlap.second):
            flagged[side.key].append(describe(overlap, side.key))
    warnings = []
    for idea in sorted(ideas, key=lambda i: i.pk):
        for pair in flagged.get(("idea", idea.pk), []):
            warnings.append({"id": idea.pk, "title": idea.title, "with": pair})
    return warnings


def site_pairs(*, ideas: Sequence) -> list[Overlap]:
    """Every pair of the sites these ideas belong to."""
    return [
        pair
        for site_id in sorted({idea.site_id for idea in ideas})
        for pair in cannibalisation_pairs(site_id=site_id)
    ]


class NeedsConfirmation(Conflict):
    """Queueing these ideas would queue competing pages: the API answers 409 naming the pairs, the
    web asks (a question, not an error). `pairs` are the Overlaps, `paired` the ideas' ids in them."""

    def __init__(self, *, pairs: Sequence[Overlap], ideas: Sequence):
        super().__init__(
            f"{len(pairs)} cannibalisation pair(s): these ideas compete with other ideas or articles "
            "of the site for the same search. Deselect one of each pair, or confirm to queue them "
            "anyway.",
            errors={"confirm": [pair_sentence(pair) for pair in pairs]},
            code="cannibalisation",
        )
        self.pairs = list(pairs)
        keys = {side.key for pair in pairs for side in (pair.first, pair.second)}
        self.paired = {idea.pk for idea in ideas if ("idea", idea.pk) in keys}


def queue_pairs(*, ideas: Sequence, pairs: Sequence[Overlap]) -> list[Overlap]:
    """Of the sites' `pairs`, those that queueing these ideas would create or keep: every pair in
    which one of the ideas still waiting to be queued (status new) takes part."""
    from igny8.planner.models import IdeaStatus

    fresh = {("idea", idea.pk) for idea in ideas if idea.status == IdeaStatus.NEW}
    return [pair for pair in pairs if pair.first.key in fresh or pair.second.key in fresh]


def pair_sentence(overlap: Overlap) -> str:
    """'idea 12 “A” and article 15 “B”: same primary keyword "x"' (human words, ids for the API)."""
    named = [
        f"{'idea' if side.kind == 'idea' else 'article'} {side.id} “{side.title}”"
        for side in (overlap.first, overlap.second)
    ]
    return f"{named[0]} and {named[1]}: {overlap.reason}"


def queue_check(*, ideas: Sequence, confirm: bool) -> list[dict]:
    """Before queueing ideas to the writer: their warnings (as `queue_warnings`), or, when they form
    cannibalisation pairs and `confirm` is false, NeedsConfirmation naming every pair under `confirm`."""
    pairs = site_pairs(ideas=ideas)
    if not confirm:
        blocking = queue_pairs(ideas=ideas, pairs=pairs)
        if blocking:
            raise NeedsConfirmation(pairs=blocking, ideas=ideas)
    return queue_warnings(ideas=ideas, pairs=pairs)
