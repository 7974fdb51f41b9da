"""Which keywords a clustering run works on, and the semantic and SERP methods turned into groups
ready to save: thin adapters over the clustering package (pure, deterministic), plus matching new
groups to the site's existing clusters so re-clustering extends them instead of duplicating."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.db.models import QuerySet

from igny8.accounts.models import Account, Site
from igny8.planner import clustering, embedding_cache, selectors
from igny8.planner.cluster_service import Group
from igny8.planner.clustering import embeddings
from igny8.planner.clustering.qualifiers import Encoder
from igny8.planner.models import Keyword, KeywordStatus

# An existing cluster is represented by its biggest keywords; a handful captures its topic and
# keeps the extra embedding work small on sites with thousands of clusters.
EXISTING_SAMPLE = 3


@dataclass(frozen=True)
class KeywordRow:
    id: int
    keyword: str
    normalized: str
    volume: int
    sector_id: int | None
    serp_urls: list[str]


def keywords_in_scope(*, account: Account, site: Site, ids: list[int] | None) -> QuerySet[Keyword]:
    """The selected keywords (any status but archived, none of a locked cluster), or the site's
    keywords waiting for a cluster (selectors.keywords_to_cluster: new ones, and "Not grouped" ones
    once new arrive)."""
    if ids is not None:
        return (
            Keyword.objects.filter(account=account, site=site, pk__in=ids)
            .exclude(status=KeywordStatus.ARCHIVED)
            .exclude(cluster__locked=True)
        )
    return selectors.keywords_to_cluster(account=account, site=site)


def rows_of(queryset: QuerySet[Keyword]) -> list[KeywordRow]:
    """Sorted by normalised text: the order the clustering package canonicalises to anyway, so
    embedding batches (and their floats) do not depend on the order rows came from the DB."""
    fields = ("id", "keyword", "normalized", "volume", "sector_id", "serp_urls")
    rows = [KeywordRow(*values) for values in queryset.values_list(*fields)]
    return sorted(rows, key=lambda row: row.normalized)


def _group(rows: list[KeywordRow], cluster: clustering.Cluster, target_id: int | None = None) -> Group:
    members = [rows[i] for i in cluster.members]
    sectors = Counter(row.sector_id for row in members)
    sector_id = min(sectors, key=lambda s: (-sectors[s], s or 0))
    return Group(
        keyword_ids=[row.id for row in members],
        name=rows[cluster.representative].keyword,
        sector_id=sector_id,
        target_id=target_id,
    )


def _unit(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)


def _existing_centroids(*, site: Site) -> tuple[list[int], np.ndarray, list[list[str]]]:
    """Per existing cluster of the site: id, centroid of its biggest keywords, and those keywords."""
    sample: dict[int, list[str]] = {}
    rows = (
        Keyword.objects.filter(site=site, cluster__isnull=False, cluster__locked=False)
        .order_by("cluster_id", "-volume", "normalized")
        .values_list("cluster_id", "normalized")
    )
    for cluster_id, text in rows:
        taken = sample.setdefault(cluster_id, [])
        if len(taken) < EXISTING_SAMPLE:
            taken.append(text)
    if not sample:
        return [], np.zeros((0, embeddings.DIMENSIONS), dtype=np.float32), []
    texts = sorted({text for taken in sample.values() for text in taken})
    vectors = dict(
        zip(texts, embedding_cache.vectors_for(texts=clustering.embedding_texts(texts)), strict=True)
    )
    ids = sorted(sample)
    centroids = np.stack([np.mean([vectors[t] for t in sample[i]], axis=0) for i in ids])
    return ids, _unit(centroids), [sample[i] for i in ids]


def _agrees(texts: list[str], others: list[str], *, encoder: Encoder | None = None) -> bool:
    """No keyword of one list conflicts with one of the other (intent or modifiers); both lists are
    judged together, so a need one names "charities" and the other "nonprofits" is one need."""
    signatures = clustering.classify_list([*texts, *others], encoder=encoder or _table_vectors)
    mine, theirs = signatures[: len(texts)], signatures[len(texts) :]
    return not any(clustering.conflict(a, b) for a in mine for b in theirs)


def _table_vectors(texts: Sequence[str]) -> np.ndarray:
    return embedding_cache.vectors_for(texts=list(texts))


def _read_once(encoder: Encoder) -> Encoder:
    """`encoder` with each text's vector kept after its first read: a run compares its new groups
    with many existing clusters, and the needs they name would otherwise be read from the table
    (one query each time) again and again."""
    known: dict[str, np.ndarray] = {}

    def encode(texts: Sequence[str]) -> np.ndarray:
        missing = [text for text in dict.fromkeys(texts) if text not in known]
        if missing:
            known.update(zip(missing, encoder(missing), strict=True))
        return np.stack([known[text] for text in texts])

    return encode


def semantic_groups(
    *,
    site: Site,
    rows: list[KeywordRow],
    threshold: clustering.Threshold,
    min_cluster_size: int,
    progress: embedding_cache.Progress | None = None,
    stages: clustering.StageProgress | None = None,
) -> tuple[list[Group], float]:
    """Intent-aware embedding clusters, and the similarity threshold used (the one chosen for
    "auto"); a group whose centroid is within that threshold of an existing cluster's centroid,
    and whose keywords agree with that cluster's in intent and modifiers, joins that cluster
    (re-clustering a site extends what is there). Only texts never embedded before are embedded
    (embedding_cache); `progress(n, N)` follows that work, `stages` the pair comparison and the
    clustering after it."""
    texts = [row.normalized for row in rows]
    vectors = embedding_cache.vectors_for(texts=clustering.embedding_texts(texts), progress=progress)
    needs = _read_once(_table_vectors)
    result = clustering.cluster_embeddings(
        keywords=[row.normalized for row in rows],
        vectors=vectors,
        volumes=[row.volume for row in rows],
        threshold=threshold,
        min_cluster_size=min_cluster_size,
        qualifier_encoder=needs,
        progress=stages,
    )
    used = float(result.threshold)  # a number even when "auto" was asked for
    existing_ids, centroids, samples = _existing_centroids(site=site)
    groups = []
    for cluster in result.clusters:
        target = None
        if existing_ids:
            centre = _unit(vectors[list(cluster.members)].mean(axis=0, keepdims=True))[0]
            scores = np.round(centroids @ centre, 6)
            members = [texts[i] for i in cluster.members]
            for best in np.lexsort((np.arange(len(existing_ids)), -scores)).tolist():  # ties: lower id
                if scores[best] < used:
                    break
                if _agrees(members, samples[best], encoder=needs):
                    target = existing_ids[best]
                    break
        groups.append(_group(rows, cluster, target))
    return groups, used


def serp_groups(*, rows: list[KeywordRow], mode: str, min_shared: int, min_cluster_size: int) -> list[Group]:
    """Shared-ranking-URL clusters; existing clusters are joined by name when the groups are saved."""
    result = clustering.cluster_by_serp(
        keywords=[row.normalized for row in rows],
        serps=[row.serp_urls for row in rows],
        volumes=[row.volume for row in rows],
        min_shared=min_shared,
        mode=mode,
        min_cluster_size=min_cluster_size,
    )
    return [_group(rows, cluster) for cluster in result.clusters]
