"""Canonical form of a keyword list, so the same keywords in any order cluster the same way.

Every method clusters the distinct normalised texts in sorted order and maps the result back to
the caller's indices; input order therefore cannot influence a tie-break or an embedding batch."""

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .result import Cluster, Clustering


def normalise(text: str) -> str:
    """Case-folded, NFKC, single-spaced: 'Best  Running Shoes' and 'best running shoes' are one keyword."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


@dataclass(frozen=True, slots=True)
class Canonical:
    texts: list[str]  # distinct non-empty normalised keywords, sorted
    volumes: np.ndarray  # int64 per text: the largest volume among its duplicates
    inputs: list[list[int]]  # per text, the caller's indices carrying it, ascending
    blank: list[int]  # caller's indices whose keyword is empty once normalised
    size: int  # length of the caller's list


def canonicalise(*, keywords: Sequence[str], volumes: Sequence[int | None] | None = None) -> Canonical:
    if volumes is not None and len(volumes) != len(keywords):
        raise ValueError(f"{len(volumes)} volumes for {len(keywords)} keywords")
    by_text: dict[str, list[int]] = {}
    blank: list[int] = []
    for index, keyword in enumerate(keywords):
        text = normalise(keyword)
        if text:
            by_text.setdefault(text, []).append(index)
        else:
            blank.append(index)
    texts = sorted(by_text)
    inputs = [by_text[text] for text in texts]
    best = np.zeros(len(texts), dtype=np.int64)
    if volumes is not None:
        for position, indices in enumerate(inputs):
            best[position] = max(int(volumes[i] or 0) for i in indices)
    return Canonical(texts=texts, volumes=best, inputs=inputs, blank=blank, size=len(keywords))


def to_clustering(
    *,
    canonical: Canonical,
    groups: Sequence[Sequence[int]],
    representatives: Sequence[int],
    threshold: float | None = None,
) -> Clustering:
    """Map clusters of canonical positions back to the caller's indices.

    Clusters are ordered largest first, then by name, so the output order is canonical too."""
    clusters: list[Cluster] = []
    clustered = np.zeros(len(canonical.texts), dtype=bool)
    for group, representative in zip(groups, representatives, strict=True):
        members = sorted(i for position in group for i in canonical.inputs[position])
        clustered[list(group)] = True
        clusters.append(
            Cluster(
                members=tuple(members),
                representative=canonical.inputs[representative][0],
                name=canonical.texts[representative],
            )
        )
    clusters.sort(key=lambda cluster: (-len(cluster.members), cluster.name))
    outliers = list(canonical.blank)
    for position in np.flatnonzero(~clustered):
        outliers.extend(canonical.inputs[position])
    return Clustering(clusters=tuple(clusters), outliers=tuple(sorted(outliers)), threshold=threshold)
