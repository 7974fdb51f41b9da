"""Semantic keyword clustering: deterministic threshold clustering over local embeddings.

Method (see docs/adr/0003-deterministic-keyword-clustering.md for why this one):

1. Canonicalise: distinct normalised keywords in sorted order (input order cannot matter).
2. Embed with all-MiniLM-L6-v2 (unit vectors, so dot product = cosine similarity).
3. Build the graph of pairs with similarity >= threshold, block by block (no n x n matrix).
4. Seed: visit keywords by most neighbours, then highest volume, then text. An unassigned keyword
   whose unassigned neighbours bring the group to min_cluster_size becomes a centre and takes
   them (a star: every member within the threshold of the centre, so no chaining
   "women" -> "unisex" -> "men" the way connected components do).
5. Refine: each keyword moves to its most similar neighbouring centre (dissolving stars left
   below min_cluster_size); then every keyword joins the cluster whose centroid it is most
   similar to, if that similarity is at least the threshold (ties: earlier seed). A cluster left
   below min_cluster_size is dissolved and its keywords try their other candidates; whoever is
   within the threshold of no centroid is an outlier.
6. Intent-aware (the default; ADR 0010): every keyword gets a signature by rules (intent.py:
   search intent, audience, condition, size, platform, ...); the text embedded is the keyword
   without ranking words ("best", "top rated", "reviews"); conflicting pairs are no edges;
   clusters are split until their members agree pairwise; then each outlier joins the most
   similar agreeing cluster within the attach threshold (constraints.py).
7. Threshold "auto" (the default): steps 3-6 run on a sample at each candidate threshold and the
   one with the best centroid silhouette less a penalty per unit of threshold is used (adaptive.py).
8. Name: the member closest to the final cluster centroid (ties: higher volume, then text).

There is no cluster count to guess and no randomness anywhere."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from . import adaptive, backends, constraints, intent, partition, qualifiers
from .adaptive import Threshold
from .canonical import Canonical, canonicalise, to_clustering
from .graph import (
    DEFAULT_BLOCK_SIZE,
    DEFAULT_MAX_EDGES,
    EdgeFilter,
    Graph,
    GraphProgress,
    at_least,
    similarity_graph,
)
from .result import Clustering

# progress(stage, done, total): "graph" counts keyword pairs compared, "clusters" the steps after it.
StageProgress = Callable[[str, int, int], None]

# bench/cluster_quality.py over the labelled sets (docs/clustering.md, "Quality"): no fixed
# threshold suits every niche (0.64 was best on the mixed original set, 0.76-0.83 on VPNs), so the
# default chooses one per keyword list from the list itself (adaptive.py; 0.64-0.86). A number
# fixes it: 0.70 was the default before (best mean of the eight tuned sets, 0.532 on held-out VPN).
# Higher splits paraphrases, lower merges topics. PLAIN_THRESHOLD is the plain method's
# (intent_aware=False) default, ADR 0003.
DEFAULT_THRESHOLD: Threshold = adaptive.AUTO
PLAIN_THRESHOLD = 0.70
DEFAULT_MIN_CLUSTER_SIZE = 2
# The second pass attaches an outlier to an agreeing cluster this much below the threshold.
ATTACH_MARGIN = 0.11
# Similarities are compared after rounding so that last-bit BLAS differences between machines do
# not reorder representatives whose scores are equal for all practical purposes.
_SCORE_DECIMALS = 6
# Keyword-centroid pairs scored per step: bounds the gathered rows to about 100 MB.
_PAIR_CHUNK = 65_536
# Graph edges turned into candidate pairs per step (about 100 MB of temporaries).
_EDGE_CHUNK = 4_000_000

Encoder = qualifiers.Encoder


def _default_encoder(texts: Sequence[str]) -> np.ndarray:
    """The configured inference backend (IGNY8_EMBEDDINGS, ONNX Runtime unless set), as the app's
    runs use: the same vectors, so the same clusters, from the library and from the app."""
    encode, _ = backends.active_encoder()
    return encode(texts=texts)


def cluster_keywords(
    *,
    keywords: Sequence[str],
    volumes: Sequence[int | None] | None = None,
    threshold: Threshold = DEFAULT_THRESHOLD,
    min_cluster_size: int = DEFAULT_MIN_CLUSTER_SIZE,
    encoder: Encoder | None = None,
    intent_aware: bool = True,
    attach_threshold: float | None = None,
) -> Clustering:
    """Embed and cluster `keywords`. `encoder` maps texts to unit vectors (default: the local model
    through the configured backend, as the app embeds)."""
    canonical = canonicalise(keywords=keywords, volumes=volumes)
    # Embedding the sorted distinct texts keeps the batches, and so the floats, order independent.
    texts = embedding_texts(canonical.texts) if intent_aware else canonical.texts
    encode = encoder or _default_encoder
    return _cluster(
        canonical=canonical,
        vectors=encode(texts),
        qualifier_encoder=encode,
        threshold=threshold,
        min_cluster_size=min_cluster_size,
        intent_aware=intent_aware,
        attach_threshold=attach_threshold,
    )


def embedding_texts(keywords: Sequence[str]) -> list[str]:
    """The texts the intent-aware method embeds for these keywords (see intent.topic_text); pass
    their vectors to cluster_embeddings to get what cluster_keywords gives."""
    return [intent.topic_text(keyword) for keyword in keywords]


def cluster_embeddings(
    *,
    keywords: Sequence[str],
    vectors: np.ndarray,
    volumes: Sequence[int | None] | None = None,
    threshold: Threshold = DEFAULT_THRESHOLD,
    min_cluster_size: int = DEFAULT_MIN_CLUSTER_SIZE,
    block_size: int = DEFAULT_BLOCK_SIZE,
    max_edges: int = DEFAULT_MAX_EDGES,
    intent_aware: bool = True,
    attach_threshold: float | None = None,
    qualifier_encoder: Encoder | None = None,
    progress: StageProgress | None = None,
) -> Clustering:
    """Cluster keywords whose unit vectors are already known (row i belongs to keywords[i]).
    The intent-aware default expects the vectors of `embedding_texts(keywords)` and embeds the
    few open-ended needs the keywords name ("for charities") with `qualifier_encoder`, to tell
    which are synonyms (qualifiers.py; without one only plurals join). `progress` hears how far
    the pair comparison is (most of the time after embedding) and the steps after it."""
    if len(vectors) != len(keywords):
        raise ValueError(f"{len(vectors)} vectors for {len(keywords)} keywords")
    canonical = canonicalise(keywords=keywords, volumes=volumes)
    rows = [indices[0] for indices in canonical.inputs]
    return _cluster(
        canonical=canonical,
        vectors=np.asarray(vectors, dtype=np.float32)[rows],
        threshold=threshold,
        min_cluster_size=min_cluster_size,
        block_size=block_size,
        max_edges=max_edges,
        intent_aware=intent_aware,
        attach_threshold=attach_threshold,
        qualifier_encoder=qualifier_encoder,
        progress=progress,
    )


def _cluster(
    *,
    canonical: Canonical,
    vectors: np.ndarray,
    threshold: Threshold,
    min_cluster_size: int,
    block_size: int = DEFAULT_BLOCK_SIZE,
    max_edges: int = DEFAULT_MAX_EDGES,
    intent_aware: bool = True,
    attach_threshold: float | None = None,
    qualifier_encoder: Encoder | None = None,
    progress: StageProgress | None = None,
) -> Clustering:
    if not adaptive.is_auto(threshold) and not (
        isinstance(threshold, int | float) and -1.0 <= threshold <= 1.0
    ):
        raise ValueError(f"threshold must be a cosine similarity in [-1, 1] or 'auto', not {threshold!r}")
    if min_cluster_size < 1:
        raise ValueError(f"min_cluster_size must be at least 1, not {min_cluster_size}")
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    codes = None
    if intent_aware:
        codes = constraints.encode(qualifiers.classify_list(canonical.texts, encoder=qualifier_encoder))
    run = _Run(
        vectors=vectors,
        volumes=canonical.volumes,
        codes=codes,
        min_cluster_size=min_cluster_size,
        attach_threshold=attach_threshold,
        block_size=block_size,
        max_edges=max_edges,
    )
    labels = None
    if adaptive.is_auto(threshold):
        threshold, labels = _choose_threshold(run=run, texts=canonical.texts, progress=progress)
    if labels is None:
        graph = run.graph(
            threshold=threshold,
            progress=None if progress is None else lambda done, total: progress("graph", done, total),
        )
        if progress is not None:
            progress("clusters", 0, 1)
        labels = run.labels(graph=graph, threshold=threshold)
    groups, representatives = _groups_and_representatives(
        labels=labels, vectors=vectors, volumes=canonical.volumes
    )
    if progress is not None:
        progress("clusters", 1, 1)
    return to_clustering(
        canonical=canonical, groups=groups, representatives=representatives, threshold=threshold
    )


@dataclass(frozen=True, slots=True)
class _Run:
    """One clustering's fixed inputs, so the graph and the labels can be made at any threshold (and
    on any subset of rows, for the adaptive threshold's sample)."""

    vectors: np.ndarray
    volumes: np.ndarray
    codes: constraints.Codes | None
    min_cluster_size: int
    attach_threshold: float | None
    block_size: int = DEFAULT_BLOCK_SIZE
    max_edges: int = DEFAULT_MAX_EDGES

    def subset(self, rows: np.ndarray) -> "_Run":
        codes = None if self.codes is None else self.codes.subset(rows)
        return replace(self, vectors=self.vectors[rows], volumes=self.volumes[rows], codes=codes)

    def graph(self, *, threshold: float, progress: GraphProgress | None = None) -> Graph:
        return similarity_graph(
            vectors=self.vectors,
            threshold=threshold,
            block_size=self.block_size,
            max_edges=self.max_edges,
            keep=None if self.codes is None else _agreeing(self.codes),
            # Conflicting pairs are skipped by signature group instead of compared and refused.
            groups=None if self.codes is None else partition.signature_groups(self.codes),
            progress=progress,
        )

    def labels(self, *, graph: Graph, threshold: float) -> np.ndarray:
        labels = threshold_clusters(
            graph=graph,
            vectors=self.vectors,
            volumes=self.volumes,
            threshold=threshold,
            min_cluster_size=self.min_cluster_size,
        )
        if self.codes is None:
            return labels
        labels = constraints.split_clusters(
            labels=labels, vectors=self.vectors, codes=self.codes, min_cluster_size=self.min_cluster_size
        )
        attach = threshold - ATTACH_MARGIN if self.attach_threshold is None else self.attach_threshold
        return constraints.attach_outliers(
            labels=labels, vectors=self.vectors, codes=self.codes, threshold=attach
        )


def _choose_threshold(
    *, run: _Run, texts: Sequence[str], progress: StageProgress | None
) -> tuple[float, np.ndarray | None]:
    """adaptive.py: the candidate with the best score on a sample; when the sample is the whole
    list, its labels at that candidate are the result (returned, so nothing is clustered twice)."""
    if len(texts) < adaptive.MIN_KEYWORDS:
        return adaptive.FALLBACK_THRESHOLD, None
    rows = adaptive.sample_rows(texts)
    sample = run.subset(rows) if rows.size < len(texts) else run
    lowest = sample.graph(threshold=adaptive.CANDIDATES[0])
    scores: list[float] = []
    tried: list[np.ndarray] = []
    for step, candidate in enumerate(adaptive.CANDIDATES):
        if progress is not None:
            progress("threshold", step, len(adaptive.CANDIDATES))
        labels = sample.labels(graph=at_least(graph=lowest, threshold=candidate), threshold=candidate)
        scores.append(adaptive.score(labels=labels, vectors=sample.vectors, threshold=candidate))
        tried.append(labels)
    chosen = adaptive.best(scores)
    return adaptive.CANDIDATES[chosen], tried[chosen] if sample is run else None


def _agreeing(codes: constraints.Codes) -> EdgeFilter:
    """Conflicting pairs are dropped as each tile is scanned: the graph constraints.drop_conflicting_edges
    would leave afterwards, without ever storing the pairs it drops."""

    def keep(rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        return ~codes.conflicts(rows, cols)

    return keep


def threshold_clusters(
    *, graph: Graph, vectors: np.ndarray, volumes: np.ndarray, threshold: float, min_cluster_size: int
) -> np.ndarray:
    """Cluster label per node (-1 = outlier) from the thresholded graph; nodes are in canonical
    order, so node index is the final tie-break. Labels are seed ranks, not compacted."""
    centres = _seed(graph=graph, volumes=volumes, min_cluster_size=min_cluster_size)
    seeds = _nearest_centre(graph=graph, centres=centres, min_cluster_size=min_cluster_size)
    return _refine(
        graph=graph, vectors=vectors, seeds=seeds, threshold=threshold, min_cluster_size=min_cluster_size
    )


def _seed(*, graph: Graph, volumes: np.ndarray, min_cluster_size: int) -> np.ndarray:
    """Centres of greedy star clusters, in seeding order: most neighbours, then volume, then text."""
    n = len(graph.indptr) - 1
    degree = graph.degree
    visit = np.lexsort((np.arange(n), -volumes, -degree))
    assigned = np.full(n, -1, dtype=np.int64)
    centres: list[int] = []
    for node in visit.tolist():
        if degree[node] + 1 < min_cluster_size:
            break  # visited by falling degree: nobody after this can seed a cluster either
        if assigned[node] >= 0:
            continue
        neighbours = graph.indices[graph.indptr[node] : graph.indptr[node + 1]]
        free = neighbours[assigned[neighbours] < 0]
        if free.size + 1 < min_cluster_size:
            continue
        assigned[node] = len(centres)
        assigned[free] = len(centres)
        centres.append(node)
    return np.asarray(centres, dtype=np.int64)


def _nearest_centre(*, graph: Graph, centres: np.ndarray, min_cluster_size: int) -> np.ndarray:
    """Star clusters again, but each keyword joins its most similar neighbouring centre rather
    than the first that reached it; stars left too small are dissolved. Labels = seeding rank."""
    n = len(graph.indptr) - 1
    rank = np.full(n, -1, dtype=np.int64)
    rank[centres] = np.arange(centres.size)
    sources = np.repeat(np.arange(n, dtype=np.int32), graph.degree)  # int32: half the memory of int64
    while True:
        is_centre = rank >= 0
        keep = is_centre[graph.indices] & ~is_centre[sources]
        source, target, weight = sources[keep], graph.indices[keep], graph.weights[keep]
        order = np.lexsort((rank[target], -weight, source))
        source, target = source[order], target[order]
        first = np.ones(source.size, dtype=bool)
        first[1:] = source[1:] != source[:-1]
        labels = np.full(n, -1, dtype=np.int64)
        labels[is_centre] = rank[is_centre]
        labels[source[first]] = rank[target[first]]
        sizes = np.bincount(labels[labels >= 0], minlength=centres.size)
        too_small = centres[(sizes < min_cluster_size) & (rank[centres] >= 0)]
        if too_small.size == 0:
            return labels
        rank[too_small] = -1


def _refine(
    *, graph: Graph, vectors: np.ndarray, seeds: np.ndarray, threshold: float, min_cluster_size: int
) -> np.ndarray:
    """Every keyword joins the seed cluster whose centroid it is most similar to, if that is at
    least the threshold. Only clusters of its graph neighbours (and its own) are candidates: a
    centroid further than the threshold from all of a keyword's neighbours is rarely within it.
    This fixes the seeding's order effects (a keyword stranded because its neighbours were taken
    first, a member closer to another cluster) at the cost of one dot product per candidate."""
    n = len(seeds)
    count = int(seeds.max()) + 1 if n else 0
    if count == 0:
        return seeds
    centroids = _centroids(labels=seeds, vectors=vectors, count=count)
    clustered = np.flatnonzero(seeds >= 0)
    source, label = _candidate_pairs(graph=graph, seeds=seeds, count=count)
    score = np.empty(source.size, dtype=np.float32)
    for start in range(0, source.size, _PAIR_CHUNK):
        part = slice(start, start + _PAIR_CHUNK)
        score[part] = np.einsum("ij,ij->i", vectors[source[part]], centroids[label[part]])
    score = np.round(score, _SCORE_DECIMALS)
    live = np.bincount(seeds[clustered], minlength=count) > 0
    while True:
        ok = live[label] & (score >= threshold)
        src, lab, sco = source[ok], label[ok], score[ok]
        order = np.lexsort((lab, -sco, src))  # best centroid per keyword; ties: earlier seed
        src, lab = src[order], lab[order]
        first = np.ones(src.size, dtype=bool)
        first[1:] = src[1:] != src[:-1]
        labels = np.full(n, -1, dtype=np.int64)
        labels[src[first]] = lab[first]
        too_small = live & (np.bincount(labels[labels >= 0], minlength=count) < min_cluster_size)
        if not too_small.any():
            return labels
        live[too_small] = False  # dissolve; its keywords try their other candidates next pass


def _candidate_pairs(*, graph: Graph, seeds: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (keyword, seed label) pairs: the labels of its neighbours and its own, sorted by
    keyword then label. Built over ranges of keywords holding about _EDGE_CHUNK edges each: the
    ranges are in keyword order, so their sorted pieces concatenate into the sorted whole, and
    memory stays a few arrays of one range rather than of every edge."""
    n = len(seeds)
    sources: list[np.ndarray] = []
    labels: list[np.ndarray] = []
    start = 0
    while start < n:
        stop = max(
            int(np.searchsorted(graph.indptr, graph.indptr[start] + _EDGE_CHUNK, side="right")) - 1, start + 1
        )
        stop = min(stop, n)
        edges = slice(int(graph.indptr[start]), int(graph.indptr[stop]))
        nodes = np.arange(start, stop, dtype=np.int64)
        src = np.r_[np.repeat(nodes, graph.degree[start:stop]), nodes]
        candidates = np.r_[seeds[graph.indices[edges]], seeds[start:stop]]
        keep = candidates >= 0
        pairs = np.unique(src[keep] * count + candidates[keep])  # sorted, so deterministic
        sources.append(pairs // count)
        labels.append(pairs % count)
        start = stop
    return np.concatenate(sources), np.concatenate(labels)


def _centroids(*, labels: np.ndarray, vectors: np.ndarray, count: int) -> np.ndarray:
    members = np.flatnonzero(labels >= 0)
    members = members[np.argsort(labels[members], kind="stable")]
    starts = np.flatnonzero(np.r_[True, labels[members][1:] != labels[members][:-1]])
    sums = np.zeros((count, vectors.shape[1]), dtype=np.float32)
    sums[labels[members][starts]] = np.add.reduceat(vectors[members], starts, axis=0)
    return sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12)


def _groups_and_representatives(
    *, labels: np.ndarray, vectors: np.ndarray, volumes: np.ndarray
) -> tuple[list[np.ndarray], list[int]]:
    members = np.flatnonzero(labels >= 0)
    if members.size == 0:
        return [], []
    # Sort members by label so each cluster is one contiguous run.
    members = members[np.argsort(labels[members], kind="stable")]
    member_labels = labels[members]
    starts = np.flatnonzero(np.r_[True, member_labels[1:] != member_labels[:-1]])
    sums = np.add.reduceat(vectors[members], starts, axis=0)
    centroids = sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12)
    run = np.repeat(np.arange(starts.size), np.diff(np.r_[starts, members.size]))
    scores = np.round(np.einsum("ij,ij->i", vectors[members], centroids[run]), _SCORE_DECIMALS)
    # Within each run: closest to the centroid, then higher volume, then canonical (text) order.
    order = np.lexsort((members, -volumes[members], -scores, run))
    ordered_run = run[order]
    firsts = order[np.r_[True, ordered_run[1:] != ordered_run[:-1]]]
    groups = np.split(members, starts[1:])
    return groups, [int(members[i]) for i in firsts]
