"""The similarity threshold chosen per keyword list, without labels (`threshold="auto"`, the default).

Why: the best fixed threshold differs per niche. On the labelled sets (docs/clustering.md,
"Quality") it ranges from 0.64 (the mixed original set) to 0.76-0.83 (VPNs, where every keyword
shares the head term and near-miss groups sit at 0.72-0.76 similarity); one fixed 0.70 left the
held-out VPN set at 0.532 ARI. The list itself tells how tight its groups are.

How: cluster the list at every candidate threshold and keep the one with the best

    score(t) = centroid silhouette of the clustering at t  -  PENALTY * t

The centroid ("simplified") silhouette of a keyword is (b - a) / max(a, b), with a = 1 - its
similarity to its own cluster's centroid and b = 1 - its similarity to the nearest other cluster's
centroid; outliers count 0, the mean is over every keyword. It rises with the threshold (tighter
clusters, more outliers) slowly where the groups are already apart, and steeply where a low
threshold merged near-miss groups; the penalty keeps the lowest threshold whose rise no longer pays
0.5 per 1.0 of threshold (0.005 of silhouette per 0.01). PENALTY and the candidates were chosen on
the nine labelled sets of issue 15 (0.4 and 0.5 pick the same thresholds on all nine, anything from
0.3 to 0.7 on at least six); the tenth, pm_holdout.csv, was written before and clustered with this
method only after they were fixed.

Cost: the candidates are tried on a sample of at most SAMPLE_SIZE keywords (the ones whose text has
the smallest SHA-256: order independent, no seed to keep), over one similarity graph built at the
lowest candidate and filtered per candidate; the whole list is then clustered once at the chosen
threshold. Lists below MIN_KEYWORDS keep FALLBACK_THRESHOLD: a silhouette over a handful of
keywords says nothing."""

import hashlib
from collections.abc import Sequence
from typing import Final, Literal

import numpy as np

AUTO: Final = "auto"
Threshold = float | Literal["auto"]

CANDIDATES: Final = tuple(round(0.64 + 0.01 * step, 2) for step in range(23))  # 0.64 .. 0.86
PENALTY: Final = 0.5
SAMPLE_SIZE: Final = 3_000
MIN_KEYWORDS: Final = 30
FALLBACK_THRESHOLD: Final = 0.70
# Scores are compared after rounding, so last-bit BLAS differences cannot flip a choice.
_SCORE_DECIMALS = 6


def is_auto(threshold: Threshold) -> bool:
    return isinstance(threshold, str) and threshold == AUTO


def sample_rows(texts: Sequence[str], *, size: int = SAMPLE_SIZE) -> np.ndarray:
    """Positions (ascending) of at most `size` texts: those whose SHA-256 is smallest. The same
    texts give the same sample whatever order they came in, and a text's chance of being picked
    does not depend on its spelling's place in the alphabet."""
    if len(texts) <= size:
        return np.arange(len(texts), dtype=np.int64)
    digests = [hashlib.sha256(text.encode("utf-8")).digest() for text in texts]
    picked = sorted(range(len(texts)), key=digests.__getitem__)[:size]
    return np.asarray(sorted(picked), dtype=np.int64)


def centroid_silhouette(*, labels: np.ndarray, vectors: np.ndarray) -> float:
    """Mean simplified silhouette over every keyword (outliers, label -1, count 0); 0 with fewer
    than two clusters, where "the nearest other cluster" does not exist."""
    clustered = np.flatnonzero(labels >= 0)
    names, cluster = np.unique(labels[clustered], return_inverse=True)
    if names.size < 2:
        return 0.0
    sums = np.zeros((names.size, vectors.shape[1]), dtype=np.float64)
    np.add.at(sums, cluster, vectors[clustered].astype(np.float64))
    centroids = sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12)
    similarity = vectors[clustered].astype(np.float64) @ centroids.T
    rows = np.arange(clustered.size)
    own = 1.0 - similarity[rows, cluster]
    similarity[rows, cluster] = -np.inf
    other = 1.0 - similarity.max(axis=1)
    scores = (other - own) / np.maximum(np.maximum(own, other), 1e-12)
    return float(scores.sum() / len(labels))


def score(*, labels: np.ndarray, vectors: np.ndarray, threshold: float) -> float:
    return round(centroid_silhouette(labels=labels, vectors=vectors) - PENALTY * threshold, _SCORE_DECIMALS)


def best(scores: Sequence[float]) -> int:
    """Index of the best score; ties go to the lower threshold (candidates ascend)."""
    return max(range(len(scores)), key=lambda i: (scores[i], -i))
