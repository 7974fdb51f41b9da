"""Keyword clustering: pure functions over keyword lists (no Django), deterministic by construction.

- `cluster_keywords` / `cluster_embeddings`: semantic clusters from local embeddings.
- `cluster_by_serp`: clusters from shared top-10 ranking URLs (soft or hard).

Both return a `Clustering`: clusters of input indices, each named by its most representative
keyword, plus the outliers that fit nowhere. docs/clustering.md explains the parameters."""

from .algorithms import (
    DEFAULT_MIN_CLUSTER_SIZE,
    DEFAULT_THRESHOLD,
    cluster_embeddings,
    cluster_keywords,
)
from .canonical import normalise
from .graph import GraphTooDense
from .result import Cluster, Clustering
from .serp import DEFAULT_MIN_SHARED, cluster_by_serp

__all__ = [
    "DEFAULT_MIN_CLUSTER_SIZE",
    "DEFAULT_MIN_SHARED",
    "DEFAULT_THRESHOLD",
    "Cluster",
    "Clustering",
    "GraphTooDense",
    "cluster_by_serp",
    "cluster_embeddings",
    "cluster_keywords",
    "normalise",
]
