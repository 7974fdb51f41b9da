"""Cannot-link constraints from keyword signatures (intent.py), applied to the semantic clustering.

Three steps, all in canonical order and so deterministic:
1. `drop_conflicting_edges`: a pair whose signatures conflict is no edge of the similarity graph,
   so it can never seed or pull a keyword into the other's star.
2. `split_clusters`: the centroid refinement can still put two conflicting keywords in one
   cluster (each agrees with the members that brought it in); every cluster is split greedily into
   groups whose members all agree pairwise, most central member first; then a cluster that is
   half "X" and half "trail X" is split in two (`SPECIALISED`).
3. `attach_outliers`: a keyword left alone joins the most similar cluster centroid at or above
   the attach threshold whose every member it agrees with; otherwise it stays an outlier.

Signatures are packed into integer codes so the checks are numpy operations: intent code (0 = no
cue) and, per modifier dimension, a bitmask of the values named (0 = none). Two keywords conflict
when both have an intent code and they differ, when on some dimension both name values and no
value is shared, or when both name facets (audience, condition, size, ...) and share none."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .graph import Graph
from .intent import FACETS, INTENTS, Signature

# A cluster with at least this many members naming a value of one of these dimensions and as
# many naming none is split in two ("men's running shoes" / "men's trail running shoes").
SPECIALISED = frozenset({"variant", "accessory"})
SPECIALISE_MIN = 3
_BITS = 63  # values per dimension in one run; more (rare) share the last bit, i.e. may mix


@dataclass(frozen=True, slots=True)
class Codes:
    intent: np.ndarray  # int8 per keyword, 0 = no intent cue
    masks: np.ndarray  # uint64, keywords x dimensions
    facets: np.ndarray  # uint64, keywords x words: one bit per facet value named (any facet dimension)
    specialised: tuple[int, ...] = ()  # columns of `masks` that are SPECIALISED dimensions

    def subset(self, rows: np.ndarray) -> Codes:
        """The codes of these keywords only (bits keep their meaning: conflicts are unchanged)."""
        return Codes(
            intent=self.intent[rows],
            masks=self.masks[rows],
            facets=self.facets[rows],
            specialised=self.specialised,
        )

    def conflicts(self, a: np.ndarray | int, b: np.ndarray) -> np.ndarray:
        """Bool per pair (a[k], b[k]) (or a against every b): True when they may not share a cluster."""
        ia, ib = self.intent[a], self.intent[b]
        ma, mb = self.masks[a], self.masks[b]
        clash = (ia > 0) & (ib > 0) & (ia != ib)
        modifier = ((ma != 0) & (mb != 0) & ((ma & mb) == 0)).any(axis=-1)
        # Facets across dimensions: "running shoes for flat feet" and "... for wide feet" name
        # different needs (condition vs size) and share none, so they are different pages.
        fa, fb = self.facets[a], self.facets[b]
        facet = (fa != 0).any(axis=-1) & (fb != 0).any(axis=-1) & ~((fa & fb) != 0).any(axis=-1)
        return clash | modifier | facet


def encode(signatures: Sequence[Signature]) -> Codes:
    dimensions = sorted({dimension for s in signatures for dimension, _ in s.modifiers})
    column = {dimension: i for i, dimension in enumerate(dimensions)}
    values: dict[str, list[str]] = {d: [] for d in dimensions}
    for dimension in dimensions:
        values[dimension] = sorted({v for s in signatures for v in s.values(dimension)})
    bit = {
        (d, v): np.uint64(1) << np.uint64(min(i, _BITS)) for d in dimensions for i, v in enumerate(values[d])
    }
    facet_values = sorted(
        {(d, v) for s in signatures for d, named in s.modifiers if d in FACETS for v in named}
    )
    facet_bit = {key: i for i, key in enumerate(facet_values)}
    facets = np.zeros((len(signatures), max(1, -(-len(facet_values) // 64))), dtype=np.uint64)
    intent = np.zeros(len(signatures), dtype=np.int8)
    masks = np.zeros((len(signatures), max(1, len(dimensions))), dtype=np.uint64)
    for row, signature in enumerate(signatures):
        if signature.cued:
            intent[row] = INTENTS.index(signature.intent) + 1
        for dimension, named in signature.modifiers:
            for value in named:
                masks[row, column[dimension]] |= bit[(dimension, value)]
                if (dimension, value) in facet_bit:
                    index = facet_bit[(dimension, value)]
                    facets[row, index // 64] |= np.uint64(1) << np.uint64(index % 64)
    columns = tuple(column[d] for d in dimensions if d in SPECIALISED)
    return Codes(intent=intent, masks=masks, facets=facets, specialised=columns)


def drop_conflicting_edges(*, graph: Graph, codes: Codes) -> Graph:
    n = len(graph.indptr) - 1
    sources = np.repeat(np.arange(n, dtype=np.int64), graph.degree)
    keep = ~codes.conflicts(sources, graph.indices.astype(np.int64))
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(sources[keep], minlength=n), out=indptr[1:])
    return Graph(indptr=indptr, indices=graph.indices[keep], weights=graph.weights[keep])


def _agrees_with_all(*, codes: Codes, node: int, members: list[int]) -> bool:
    return not codes.conflicts(node, np.asarray(members, dtype=np.int64)).any()


def split_clusters(
    *, labels: np.ndarray, vectors: np.ndarray, codes: Codes, min_cluster_size: int
) -> np.ndarray:
    """Labels with every cluster made pairwise conflict-free; parts below min_cluster_size
    become outliers (-1). New parts get labels after the existing ones."""
    labels = labels.copy()
    next_label = int(labels.max()) + 1 if labels.size else 0
    for label in np.unique(labels[labels >= 0]).tolist():
        members = np.flatnonzero(labels == label)
        centroid = vectors[members].sum(axis=0)
        centroid /= max(float(np.linalg.norm(centroid)), 1e-12)
        scores = np.round(vectors[members] @ centroid, 6)
        parts: list[list[int]] = []
        for node in members[np.lexsort((members, -scores))].tolist():  # most central first
            for part in parts:
                if _agrees_with_all(codes=codes, node=node, members=part):
                    part.append(node)
                    break
            else:
                parts.append([node])
        parts = [piece for part in parts for piece in _specialise(part=part, codes=codes)]
        for number, part in enumerate(parts):
            if len(part) < min_cluster_size:
                labels[part] = -1
            elif number > 0:
                labels[part] = next_label
                next_label += 1
    return eject_strays(labels=labels, codes=codes, min_cluster_size=min_cluster_size)


def _specialise(*, part: list[int], codes: Codes) -> list[list[int]]:
    """A cluster where at least SPECIALISE_MIN members name a specialised dimension and as many do
    not is two topics ("men's running shoes" and "men's trail running shoes"): split it. Fewer
    stay together ("waterproof women's hiking boots" among a dozen "women's hiking boots")."""
    pieces = [part]
    for column in codes.specialised:
        next_pieces = []
        for piece in pieces:
            named = codes.masks[piece, column] != 0
            if SPECIALISE_MIN <= named.sum() <= len(piece) - SPECIALISE_MIN:
                next_pieces.append([node for node, says in zip(piece, named, strict=True) if not says])
                next_pieces.append([node for node, says in zip(piece, named, strict=True) if says])
            else:
                next_pieces.append(piece)
        pieces = next_pieces
    return pieces


def _peers(*, codes: Codes, node: int, members: np.ndarray) -> np.ndarray:
    """Bool per member: it is like `node` on what makes a page: when `node` names facets, the member
    shares one of them; when it names none, the member names none either; when `node` has an
    intent cue, the member has the same one."""
    mine = codes.facets[node]
    theirs = codes.facets[members]
    names = (mine != 0).any()
    like = ((theirs & mine) != 0).any(axis=-1) if names else ~(theirs != 0).any(axis=-1)
    if codes.intent[node] > 0:
        like &= codes.intent[members] == codes.intent[node]
    return like


def _has_peer(*, codes: Codes, node: int, members: list[int]) -> bool:
    """Agreeing is not enough for a keyword left alone to join a cluster: "running shoes under 100"
    agrees with every "how should running shoes fit" (they name nothing it contradicts) but is not
    one of them; "first credit card" agrees with "best hotel credit card" but that cluster is about
    hotels. It joins only where some member is its peer (`_peers`)."""
    return bool(_peers(codes=codes, node=node, members=np.asarray(members, dtype=np.int64)).any())


def eject_strays(*, labels: np.ndarray, codes: Codes, min_cluster_size: int) -> np.ndarray:
    """A member that names facets none of the other members shares ("running shoes for fallen
    arches" in a cluster of "how to choose running shoes") is another need that the embedding put
    nearby: it leaves as an outlier (the outlier pass may still place it with its peers)."""
    labels = labels.copy()
    for label in np.unique(labels[labels >= 0]).tolist():
        members = np.flatnonzero(labels == label)
        strays = []
        for position, node in enumerate(members.tolist()):
            if not (codes.facets[node] != 0).any():
                continue
            others = np.delete(members, position)
            if not ((codes.facets[others] & codes.facets[node]) != 0).any():
                strays.append(node)
        if strays and len(members) - len(strays) >= max(min_cluster_size, 2):
            labels[strays] = -1
    return labels


def attach_outliers(*, labels: np.ndarray, vectors: np.ndarray, codes: Codes, threshold: float) -> np.ndarray:
    """Each outlier joins its most similar agreeing cluster (centroid similarity >= threshold).
    Outliers are placed most similar first (then canonical order), against the centroids as they
    were before this pass, so no placement depends on input order."""
    labels = labels.copy()
    outliers = np.flatnonzero(labels < 0)
    clustered = np.unique(labels[labels >= 0])
    if outliers.size == 0 or clustered.size == 0:
        return labels
    centroids = np.stack([vectors[labels == label].sum(axis=0) for label in clustered.tolist()])
    centroids /= np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12)
    scores = np.round(vectors[outliers] @ centroids.T, 6)
    best = scores.max(axis=1)
    members = {label: np.flatnonzero(labels == label).tolist() for label in clustered.tolist()}
    for row in np.lexsort((outliers, -best)).tolist():
        if best[row] < threshold:
            continue
        node = int(outliers[row])
        order = np.lexsort((clustered, -scores[row]))
        for column in order.tolist():
            if scores[row, column] < threshold:
                break
            label = int(clustered[column])
            if _agrees_with_all(codes=codes, node=node, members=members[label]) and _has_peer(
                codes=codes, node=node, members=members[label]
            ):
                labels[node] = label
                members[label].append(node)
                break
    return labels
