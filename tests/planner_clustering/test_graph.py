"""The tiled similarity graph: exactly the pairs a dense n x n comparison finds, whatever the tile
sizes, with pairs refused by the filter never stored; and on every labelled set the clusters are
the ones the dense graph with conflicting edges dropped afterwards gives (the path before tiling)."""

import numpy as np
import pytest

from igny8.planner.clustering import (
    adaptive,
    algorithms,
    cluster_embeddings,
    constraints,
    intent,
)
from igny8.planner.clustering import graph as graph_module
from igny8.planner.clustering.canonical import canonicalise
from igny8.planner.clustering.graph import Graph, GraphTooDense, similarity_graph

pytestmark = pytest.mark.no_database  # pure computation: the PostgreSQL pass leaves it out

LOWEST = adaptive.CANDIDATES[0]


def clustered_vectors(n: int, centres: int, spread: float) -> np.ndarray:
    """Unit vectors around a few random centres (a seeded generator: the same every run)."""
    rng = np.random.default_rng(15)
    middle = rng.normal(size=(centres, 32))
    vectors = middle[np.arange(n) % centres] + spread * rng.normal(size=(n, 32))
    return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


def dense_edges(vectors: np.ndarray, threshold: float) -> set[tuple[int, int]]:
    sims = vectors @ vectors.T
    rows, cols = np.nonzero(sims >= threshold)
    return {(int(i), int(j)) for i, j in zip(rows, cols, strict=True) if i != j}


def edges_of(graph: Graph) -> set[tuple[int, int]]:
    sources = np.repeat(np.arange(len(graph.indptr) - 1), graph.degree)
    return set(zip(sources.tolist(), graph.indices.tolist(), strict=True))


def assert_well_formed(graph: Graph) -> None:
    for node in range(len(graph.indptr) - 1):
        neighbours = graph.indices[graph.indptr[node] : graph.indptr[node + 1]]
        assert np.all(np.diff(neighbours) > 0), f"neighbours of {node} not strictly ascending"
    assert graph.indices.dtype == np.int32 and graph.weights.dtype == np.float32


def test_tiles_find_exactly_the_dense_pairs():
    vectors = clustered_vectors(700, centres=9, spread=0.35)
    expected = dense_edges(vectors, 0.8)
    assert 5_000 < len(expected) < 100_000  # the case is not trivial: many pairs, not all
    whole = similarity_graph(vectors=vectors, threshold=0.8)
    for block_size, column_block in ((64, 128), (50, 50), (7, 300), (700, 700), (1000, 64)):
        tiled = similarity_graph(
            vectors=vectors, threshold=0.8, block_size=block_size, column_block=column_block
        )
        assert edges_of(tiled) == expected, (block_size, column_block)
        assert_well_formed(tiled)
        assert np.array_equal(tiled.indptr, whole.indptr) and np.array_equal(tiled.indices, whole.indices)
        assert np.allclose(tiled.weights, whole.weights, atol=1e-6, rtol=0)
    # Weights are the pairs' similarities, the same from both ends.
    sources = np.repeat(np.arange(700), whole.degree)
    expected_weights = np.einsum("ij,ij->i", vectors[sources], vectors[whole.indices])
    assert np.allclose(whole.weights, expected_weights, atol=1e-6, rtol=0)


def test_refused_pairs_are_never_kept_nor_counted():
    vectors = clustered_vectors(300, centres=5, spread=0.3)
    seen: list[tuple[np.ndarray, np.ndarray]] = []

    def keep(rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        seen.append((rows.copy(), cols.copy()))
        return (rows + cols) % 3 != 0

    graph = similarity_graph(vectors=vectors, threshold=0.7, block_size=32, column_block=64, keep=keep)
    expected = {(i, j) for i, j in dense_edges(vectors, 0.7) if (i + j) % 3 != 0}
    assert edges_of(graph) == expected
    assert all(np.all(rows < cols) for rows, cols in seen)  # the filter sees each pair once, i < j
    assert sum(rows.size for rows, _ in seen) == len(dense_edges(vectors, 0.7)) // 2
    # The edge budget counts kept pairs only: refusing every pair fits a budget of zero.
    empty = similarity_graph(vectors=vectors, threshold=0.7, max_edges=0, keep=lambda r, c: r < 0)
    assert empty.indices.size == 0 and empty.indptr.tolist() == [0] * 301
    with pytest.raises(GraphTooDense):
        similarity_graph(vectors=vectors, threshold=0.7, max_edges=len(expected) // 2 - 1, keep=keep)


def test_progress_counts_pairs_to_the_end():
    vectors = clustered_vectors(250, centres=4, spread=0.3)
    heard: list[tuple[int, int]] = []
    similarity_graph(
        vectors=vectors, threshold=0.9, block_size=100, progress=lambda d, t: heard.append((d, t))
    )
    total = 250 * 249 // 2
    assert heard == [(100 * 249 - 100 * 99 // 2, total), (200 * 249 - 200 * 199 // 2, total), (total, total)]


def test_empty_and_single():
    none = similarity_graph(vectors=np.zeros((0, 8), np.float32), threshold=0.5)
    assert none.indptr.tolist() == [0] and none.indices.size == 0
    one = similarity_graph(vectors=np.ones((1, 1), np.float32), threshold=0.5)
    assert one.indptr.tolist() == [0, 0] and one.indices.size == 0


def dense_then_dropped(texts: list[str]):
    """The path before tiling: every pair of the dense matrix, conflicting edges dropped afterwards."""

    def graph(*, vectors, threshold, block_size, max_edges, keep=None, groups=None, progress=None):
        n = len(vectors)
        sims = vectors @ vectors.T
        sims[np.diag_indices(n)] = -np.inf
        rows, cols = np.nonzero(sims >= threshold)
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
        dense = Graph(
            indptr=indptr, indices=cols.astype(np.int32), weights=sims[rows, cols].astype(np.float32)
        )
        codes = constraints.encode(
            [intent.classify(text) for text in canonicalise(keywords=texts, volumes=None).texts]
        )
        return constraints.drop_conflicting_edges(graph=dense, codes=codes)

    return graph


def test_labelled_sets_keep_their_clusters(labelled_vectors, monkeypatch):
    """At LOWEST, the adaptive threshold's lowest candidate: "auto" clusters its sample at every
    candidate from the graph built there, so the same graph and clusters at LOWEST mean the same
    choice too (tests/planner_clustering/test_adaptive.py pins the choice itself)."""
    assert len(labelled_vectors) >= 4
    for name, (texts, vectors) in labelled_vectors.items():
        tiled = cluster_embeddings(keywords=texts, vectors=vectors, threshold=LOWEST)
        with monkeypatch.context() as patch:
            # Small tiles, filter calls and candidate-pair ranges: the pieces join into the same whole.
            patch.setattr(graph_module, "_FILTER_CHUNK", 97)
            patch.setattr(algorithms, "_EDGE_CHUNK", 101)
            small_tiles = cluster_embeddings(keywords=texts, vectors=vectors, block_size=37, threshold=LOWEST)
        with monkeypatch.context() as patch:
            patch.setattr(algorithms, "similarity_graph", dense_then_dropped(texts))
            before = cluster_embeddings(keywords=texts, vectors=vectors, threshold=LOWEST)
        assert len(tiled.clusters) > len(texts) // 20, name
        assert tiled == before, name
        assert small_tiles == before, name


def test_clustering_reports_its_stages():
    vectors = clustered_vectors(120, centres=6, spread=0.2)
    keywords = [f"keyword {i:03d}" for i in range(120)]
    heard: list[tuple[str, int, int]] = []
    result = cluster_embeddings(
        keywords=keywords, vectors=vectors, threshold=0.9, progress=lambda *a: heard.append(a)
    )
    assert len(result.clusters) == 6
    assert heard == [("graph", 120 * 119 // 2, 120 * 119 // 2), ("clusters", 0, 1), ("clusters", 1, 1)]
