"""Keyword clustering: pure functions over keyword lists (no Django), deterministic by construction.

- `cluster_keywords` / `cluster_embeddings`: semantic clusters from local embeddings, intent-aware
  by default (keywords whose search intent or modifiers conflict never share a cluster).
- `classify` / `classify_intent`: a keyword's search intent and modifiers, by rules;
  `classify_list` judges keywords together (which needs named after "for" are one).
- `cluster_by_serp`: clusters from shared top-10 ranking URLs (soft or hard).

Both return a `Clustering`: clusters of input indices, each named by its most representative
keyword, plus the outliers that fit nowhere. docs/clustering.md explains the parameters."""

from .adaptive import AUTO, Threshold
from .algorithms import (
    DEFAULT_MIN_CLUSTER_SIZE,
    DEFAULT_THRESHOLD,
    PLAIN_THRESHOLD,
    StageProgress,
    cluster_embeddings,
    cluster_keywords,
    embedding_texts,
)
from .canonical import normalise
from .graph import GraphTooDense
from .intent import Signature, classify, classify_intent, conflict
from .qualifiers import classify_list
from .result import Cluster, Clustering
from .serp import DEFAULT_MIN_SHARED, cluster_by_serp

__all__ = [
    "AUTO",
    "DEFAULT_MIN_CLUSTER_SIZE",
    "DEFAULT_MIN_SHARED",
    "DEFAULT_THRESHOLD",
    "PLAIN_THRESHOLD",
    "Cluster",
    "Clustering",
    "GraphTooDense",
    "Signature",
    "StageProgress",
    "Threshold",
    "classify",
    "classify_intent",
    "classify_list",
    "cluster_by_serp",
    "cluster_embeddings",
    "cluster_keywords",
    "conflict",
    "embedding_texts",
    "normalise",
]
