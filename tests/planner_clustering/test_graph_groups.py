"""The grouped scan (graph.Groups, partition.signature_groups) and the scan on several threads: the
same graph as the pairwise filter gives (the same pairs, weights within float32 rounding) and the
same clusters, on every labelled set, whatever the tiles."""

import threading

import numpy as np
import pytest

from igny8.planner.clustering import (
    algorithms,
    cluster_embeddings,
    constraints,
    intent,
    partition,
)
from igny8.planner.clustering import graph as graph_module
from igny8.planner.clustering.graph import CHECK, KEEP, SKIP, Graph, GraphTooDense, Groups, similarity_graph

from .conftest import labelled_sets, texts_of
from .test_graph import LOWEST, assert_well_formed, clustered_vectors, dense_edges, edges_of

pytestmark = pytest.mark.no_database  # pure computation: the PostgreSQL pass leaves it out


def on_threads(patch: pytest.MonkeyPatch) -> None:
    """Every scan on three threads, however small (the default: as many as BLAS uses, from 4M pairs),
    and the CSR assembled in ranges of 97 entries (2M by default)."""
    patch.setattr(graph_module, "_PARALLEL_PAIRS", 0)
    patch.setattr(graph_module, "_workers", lambda: 3)
    patch.setattr(graph_module, "_CSR_RANGE", 97)


@pytest.fixture
def threads(monkeypatch):
    on_threads(monkeypatch)


def same_graph(a: Graph, b: Graph) -> bool:
    """Identical CSR; float32 weights within 1e-6. OpenBLAS's kernels for products of other shapes
    may round the last bits differently: bit for bit on AVX-512 (the grouped products are padded to
    64 x 64 for that), up to 5.4e-7 apart on an AVX2-only CPU, with the same pairs and clusters."""
    return (
        np.array_equal(a.indptr, b.indptr)
        and np.array_equal(a.indices, b.indices)
        and np.allclose(a.weights, b.weights, atol=1e-6, rtol=0)
    )


def random_groups(n: int, count: int) -> Groups:
    rng = np.random.default_rng(7)
    pairs = rng.choice(np.array([SKIP, KEEP, CHECK], dtype=np.uint8), size=(count, count))
    return Groups(of=rng.integers(0, count, size=n).astype(np.int32), pairs=pairs)


def expected_pairs(vectors: np.ndarray, threshold: float, groups: Groups, keep) -> set[tuple[int, int]]:
    found = set()
    for i, j in dense_edges(vectors, threshold):
        low, high = min(i, j), max(i, j)
        known = groups.pairs[groups.of[low], groups.of[high]]
        if known == KEEP or (known == CHECK and keep(np.array([low]), np.array([high]))[0]):
            found.add((i, j))
    return found


@pytest.mark.parametrize("parallel", [False, True])
def test_groups_skip_keep_and_check_exactly(parallel, request):
    if parallel:
        request.getfixturevalue("threads")
    vectors = clustered_vectors(700, centres=9, spread=0.35)
    groups = random_groups(700, count=6)  # asymmetric: pairs[g, h] != pairs[h, g] for some g, h
    asked: list[tuple[np.ndarray, np.ndarray]] = []
    lock = threading.Lock()

    def keep(rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        with lock:
            asked.append((rows.copy(), cols.copy()))
        return (rows + cols) % 3 != 0

    expected = expected_pairs(vectors, 0.8, groups, lambda r, c: (r + c) % 3 != 0)
    assert 2_000 < len(expected) < 50_000
    plain = similarity_graph(vectors=vectors, threshold=0.8)
    for block_size, column_block in ((1024, 8192), (64, 128), (7, 50), (100, 100)):
        asked.clear()
        graph = similarity_graph(
            vectors=vectors,
            threshold=0.8,
            block_size=block_size,
            column_block=column_block,
            keep=keep,
            groups=groups,
        )
        assert edges_of(graph) == expected, (block_size, column_block)
        assert_well_formed(graph)
        # The filter hears only pairs of CHECK groups, each once, lower row first.
        rows = np.concatenate([r for r, _ in asked]) if asked else np.zeros(0, np.int64)
        cols = np.concatenate([c for _, c in asked]) if asked else np.zeros(0, np.int64)
        assert np.all(rows < cols)
        assert np.all(groups.pairs[groups.of[rows], groups.of[cols]] == CHECK)
        assert len(set(zip(rows.tolist(), cols.tolist(), strict=True))) == rows.size
        # Weights are the pairs' similarities (this test's 32 dimensions let BLAS pick other
        # kernels for other tile shapes: within 1e-6, as for the real vectors below).
        sources = np.repeat(np.arange(700), plain.degree)
        pairs = zip(sources.tolist(), plain.indices.tolist(), strict=True)
        plain_weight = dict(zip(pairs, plain.weights, strict=True))
        sources = np.repeat(np.arange(700), graph.degree)
        weights = [plain_weight[pair] for pair in zip(sources.tolist(), graph.indices.tolist(), strict=True)]
        assert np.allclose(graph.weights, weights, atol=1e-6, rtol=0)


def test_groups_without_keep_keep_check_pairs():
    vectors = clustered_vectors(300, centres=5, spread=0.3)
    groups = random_groups(300, count=4)
    graph = similarity_graph(vectors=vectors, threshold=0.7, groups=groups, block_size=64)
    assert edges_of(graph) == expected_pairs(vectors, 0.7, groups, lambda r, c: np.ones(r.size, bool))


def test_groups_budget_progress_and_edge_cases(threads):
    vectors = clustered_vectors(250, centres=4, spread=0.3)
    groups = random_groups(250, count=3)
    heard: list[tuple[int, int, bool]] = []
    graph = similarity_graph(
        vectors=vectors,
        threshold=0.9,
        block_size=100,
        groups=groups,
        progress=lambda d, t: heard.append((d, t, threading.current_thread() is threading.main_thread())),
    )
    total = 250 * 249 // 2
    # As the ungrouped scan: pairs of the triangle accounted for (skipped ones too), on the caller's thread.
    assert heard == [
        (100 * 249 - 100 * 99 // 2, total, True),
        (200 * 249 - 200 * 199 // 2, total, True),
        (total, total, True),
    ]
    kept = graph.indices.size // 2
    assert kept > 0
    # The budget counts kept pairs over every thread: exactly `kept` fits, one less raises.
    fits = similarity_graph(vectors=vectors, threshold=0.9, block_size=10, groups=groups, max_edges=kept)
    assert edges_of(fits) == edges_of(graph)
    with pytest.raises(GraphTooDense):
        similarity_graph(vectors=vectors, threshold=0.9, block_size=10, groups=groups, max_edges=kept - 1)
    with pytest.raises(GraphTooDense):
        similarity_graph(vectors=vectors, threshold=0.9, block_size=10, max_edges=kept * 2 // 3)
    # Nothing to scan, one row, and every pair refused.
    none = similarity_graph(
        vectors=np.zeros((0, 8), np.float32),
        threshold=0.5,
        groups=Groups(of=np.zeros(0, np.int32), pairs=np.zeros((0, 0), np.uint8)),
    )
    assert none.indptr.tolist() == [0] and none.indices.size == 0
    one = similarity_graph(
        vectors=np.ones((1, 1), np.float32),
        threshold=0.5,
        groups=Groups(of=np.zeros(1, np.int32), pairs=np.full((1, 1), KEEP, np.uint8)),
    )
    assert one.indptr.tolist() == [0, 0] and one.indices.size == 0
    refused = Groups(of=groups.of, pairs=np.full((3, 3), SKIP, np.uint8))
    empty = similarity_graph(vectors=vectors, threshold=0.5, groups=refused, max_edges=0)
    assert empty.indices.size == 0 and empty.indptr.tolist() == [0] * 251


def codes_of(texts: list[str]) -> constraints.Codes:
    return constraints.encode([intent.classify(text) for text in texts])


def test_signature_groups_are_the_conflicts(monkeypatch):
    """On every labelled set the group table says KEEP for exactly the pairs that do not conflict."""
    for path in labelled_sets():
        codes = codes_of(texts_of(path))
        n = len(codes.intent)
        rows, cols = np.triu_indices(n, k=1)
        agree = ~codes.conflicts(rows, cols)
        groups = partition.signature_groups(codes)
        assert len(groups.pairs) < n, path.name  # keywords share signatures
        known = groups.pairs[groups.of[rows], groups.of[cols]]
        assert np.array_equal(known == KEEP, agree) and np.all(known != CHECK), path.name
        # Beyond MAX_GROUPS the rarest signatures share a group whose pairs are CHECKed.
        with monkeypatch.context() as patch:
            patch.setattr(partition, "MAX_GROUPS", 5)
            few = partition.signature_groups(codes)
        assert len(few.pairs) == 5
        shared = (few.of[rows] == 4) | (few.of[cols] == 4)
        known = few.pairs[few.of[rows], few.of[cols]]
        assert np.all(known[shared] == CHECK), path.name
        assert np.array_equal(known[~shared] == KEEP, agree[~shared]), path.name
        assert np.all(known[~shared] != CHECK), path.name


def test_no_keyword_and_one_keyword():
    empty = partition.signature_groups(codes_of([]))
    assert empty.of.size == 0 and empty.pairs.shape == (0, 0)
    one = partition.signature_groups(codes_of(["best running shoes"]))
    assert one.of.tolist() == [0] and one.pairs.tolist() == [[KEEP]]
    assert cluster_embeddings(keywords=[], vectors=np.zeros((0, 8), np.float32)).clusters == ()
    single = cluster_embeddings(keywords=["running shoes"], vectors=np.ones((1, 8), np.float32) / np.sqrt(8))
    assert single.clusters == () and single.outliers == (0,)


def test_labelled_sets_same_graph_and_clusters_on_every_path(labelled_vectors, monkeypatch):
    """Groups or the filter alone, one thread or three, any tiles, the shared group: the same graph
    at the adaptive threshold's lowest candidate (same_graph), and the same clusters there ("auto"
    chooses from that graph: see test_graph.test_labelled_sets_keep_their_clusters)."""
    for name, (texts, vectors) in labelled_vectors.items():
        codes = codes_of(texts)
        keep = algorithms._agreeing(codes)
        filtered = similarity_graph(vectors=vectors, threshold=LOWEST, keep=keep)
        grouped = similarity_graph(
            vectors=vectors, threshold=LOWEST, keep=keep, groups=partition.signature_groups(codes)
        )
        assert same_graph(grouped, filtered), name
        clusters = cluster_embeddings(keywords=texts, vectors=vectors, threshold=LOWEST)
        with monkeypatch.context() as patch:
            on_threads(patch)
            patch.setattr(partition, "MAX_GROUPS", 8)
            threaded = similarity_graph(
                vectors=vectors,
                threshold=LOWEST,
                keep=keep,
                groups=partition.signature_groups(codes),
                block_size=37,
                column_block=90,
            )
            assert same_graph(threaded, filtered), name
            again = cluster_embeddings(keywords=texts, vectors=vectors, block_size=37, threshold=LOWEST)
            assert again == clusters, name
        with monkeypatch.context() as patch:
            patch.setattr(partition, "signature_groups", lambda codes: None)  # the filter alone
            assert cluster_embeddings(keywords=texts, vectors=vectors, threshold=LOWEST) == clusters, name


def test_plain_scan_on_threads_finds_the_dense_pairs(threads):
    vectors = clustered_vectors(700, centres=9, spread=0.35)
    expected = dense_edges(vectors, 0.8)
    for block_size, columns in ((64, 128), (1000, 64), (7, 300)):
        graph = similarity_graph(vectors=vectors, threshold=0.8, block_size=block_size, column_block=columns)
        assert edges_of(graph) == expected, (block_size, columns)
        assert_well_formed(graph)
        sources = np.repeat(np.arange(700), graph.degree)
        weights = np.einsum("ij,ij->i", vectors[sources], vectors[graph.indices])
        assert np.allclose(graph.weights, weights, atol=1e-6, rtol=0)
