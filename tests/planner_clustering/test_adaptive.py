"""threshold="auto" (the default): the threshold is chosen per keyword list from its own vectors
(clustering/adaptive.py), deterministically, higher where near-miss groups sit close together and
lower where paraphrases are loose; the pieces (sample, graph filter, silhouette) exactly."""

import random

import numpy as np
import pytest

from igny8.planner.clustering import AUTO, DEFAULT_THRESHOLD, adaptive, cluster_embeddings, graph

pytestmark = pytest.mark.no_database  # pure computation: the PostgreSQL pass leaves it out

LETTERS = "abcdefghij"


def keywords_of(groups: int, members: int) -> list[str]:
    # Made-up words: no intent cue or modifier, so only the vectors decide.
    return [f"topic{LETTERS[g]} variant{LETTERS[i]}" for g in range(groups) for i in range(members)]


def grouped_vectors(*, groups: int, members: int, shared: float, within: float) -> np.ndarray:
    """Unit vectors with exact similarities: `shared` between keywords of different groups (one
    head direction common to all, like "vpn" in every VPN query) and `within` inside a group."""
    n = groups * members
    dims = 1 + groups + n
    vectors = np.zeros((n, dims))
    for row in range(n):
        vectors[row, 0] = np.sqrt(shared)
        vectors[row, 1 + row // members] = np.sqrt(within - shared)
        vectors[row, 1 + groups + row] = np.sqrt(1 - within)
    return vectors.astype(np.float32)


def group_of(clustering, keywords: list[str]) -> list[list[str]]:
    return sorted(sorted(keywords[i] for i in cluster.members) for cluster in clustering.clusters)


def test_auto_is_the_default_and_reports_the_threshold_it_used():
    assert DEFAULT_THRESHOLD == AUTO == "auto"
    keywords = keywords_of(8, 5)
    vectors = grouped_vectors(groups=8, members=5, shared=0.0, within=0.9)
    assert cluster_embeddings(keywords=keywords, vectors=vectors).threshold == 0.64
    assert cluster_embeddings(keywords=keywords, vectors=vectors, threshold=0.75).threshold == 0.75


def test_groups_close_together_get_a_threshold_above_070():
    # Every pair of groups is 0.72 similar (everything shares the head term): at 0.70 the list is
    # one blob; from 0.73 up the eight groups stand apart, and 0.73 is the lowest such candidate.
    keywords = keywords_of(8, 5)
    vectors = grouped_vectors(groups=8, members=5, shared=0.72, within=0.92)
    fixed = cluster_embeddings(keywords=keywords, vectors=vectors, threshold=0.70)
    assert group_of(fixed, keywords) == [sorted(keywords)]
    auto = cluster_embeddings(keywords=keywords, vectors=vectors)
    assert auto.threshold == 0.73
    assert group_of(auto, keywords) == [keywords[g * 5 : g * 5 + 5] for g in range(8)]


def test_loose_paraphrases_get_a_threshold_below_070():
    # Groups far apart whose keywords are only 0.67 alike: nothing forms at 0.70; the lowest
    # candidate keeps the eight groups (higher ones score no better and pay the penalty).
    keywords = keywords_of(8, 5)
    vectors = grouped_vectors(groups=8, members=5, shared=0.0, within=0.67)
    fixed = cluster_embeddings(keywords=keywords, vectors=vectors, threshold=0.70)
    assert fixed.clusters == ()
    auto = cluster_embeddings(keywords=keywords, vectors=vectors)
    assert auto.threshold == 0.64
    assert group_of(auto, keywords) == [keywords[g * 5 : g * 5 + 5] for g in range(8)]
    assert auto.outliers == ()


def test_the_same_clusters_on_every_run_and_in_any_order():
    keywords = keywords_of(8, 5)
    vectors = grouped_vectors(groups=8, members=5, shared=0.72, within=0.92)
    first = cluster_embeddings(keywords=keywords, vectors=vectors)
    assert cluster_embeddings(keywords=keywords, vectors=vectors) == first
    order = list(range(len(keywords)))
    random.Random(15).shuffle(order)
    shuffled = cluster_embeddings(keywords=[keywords[i] for i in order], vectors=vectors[order])
    assert shuffled.threshold == first.threshold == 0.73
    assert group_of(shuffled, [keywords[i] for i in order]) == group_of(first, keywords)


def test_short_lists_keep_070():
    # Below MIN_KEYWORDS a silhouette is noise: 29 keywords whose best threshold would be 0.73.
    keywords = keywords_of(8, 5)[:29]
    vectors = grouped_vectors(groups=8, members=5, shared=0.72, within=0.92)[:29]
    assert adaptive.MIN_KEYWORDS == 30
    assert cluster_embeddings(keywords=keywords, vectors=vectors).threshold == 0.70


def test_a_long_list_is_judged_on_a_sample_then_clustered_whole(monkeypatch):
    keywords = keywords_of(10, 6)
    vectors = grouped_vectors(groups=10, members=6, shared=0.72, within=0.92)
    monkeypatch.setattr(adaptive, "SAMPLE_SIZE", 40)
    sample = adaptive.sample_rows(sorted(keywords), size=40)
    assert sample.size == 40
    auto = cluster_embeddings(keywords=keywords, vectors=vectors)
    assert auto.threshold == 0.73
    assert auto == cluster_embeddings(keywords=keywords, vectors=vectors, threshold=0.73)
    assert len(auto.clusters) == 10


def test_sample_is_the_smallest_digests_whatever_the_order():
    texts = [f"keyword {n}" for n in range(50)]
    picked = adaptive.sample_rows(texts, size=7)
    assert picked.tolist() == sorted(picked.tolist()) and picked.size == 7
    reversed_pick = adaptive.sample_rows(texts[::-1], size=7)
    assert sorted(texts[i] for i in picked) == sorted(texts[::-1][i] for i in reversed_pick)
    assert adaptive.sample_rows(texts, size=50).tolist() == list(range(50))


def test_filtering_the_graph_equals_building_it_at_the_higher_threshold():
    rng = np.random.default_rng(15)
    vectors = rng.normal(size=(300, 16))
    vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
    low = graph.similarity_graph(vectors=vectors, threshold=0.3)
    for threshold in (0.3, 0.45, 0.6, 0.99):
        filtered = graph.at_least(graph=low, threshold=threshold)
        direct = graph.similarity_graph(vectors=vectors, threshold=threshold)
        assert np.array_equal(filtered.indptr, direct.indptr)
        assert np.array_equal(filtered.indices, direct.indices)
        assert np.array_equal(filtered.weights, direct.weights)
    assert graph.at_least(graph=low, threshold=0.99).indices.size == 0


def test_centroid_silhouette_exact_values():
    # Two clusters on orthogonal axes, each of two identical vectors, and one outlier: the four
    # members score (1 - 0) / 1 = 1, the outlier 0: mean 4 / 5.
    vectors = np.array([[1, 0], [1, 0], [0, 1], [0, 1], [0.6, 0.8]], dtype=np.float32)
    labels = np.array([0, 0, 1, 1, -1])
    assert adaptive.centroid_silhouette(labels=labels, vectors=vectors) == pytest.approx(0.8)
    # One cluster: no "nearest other cluster", so 0.
    assert adaptive.centroid_silhouette(labels=np.array([0, 0, 0, 0, -1]), vectors=vectors) == 0.0
    assert adaptive.score(labels=labels, vectors=vectors, threshold=0.7) == pytest.approx(0.8 - 0.35)
    assert adaptive.best([0.1, 0.3, 0.3, 0.2]) == 1  # ties: the lower threshold


def test_a_bad_threshold_names_what_is_allowed():
    keywords = keywords_of(1, 2)
    vectors = grouped_vectors(groups=1, members=2, shared=0.0, within=0.9)
    with pytest.raises(ValueError, match="cosine similarity in \\[-1, 1\\] or 'auto', not 'loose'"):
        cluster_embeddings(keywords=keywords, vectors=vectors, threshold="loose")


def test_progress_names_each_candidate_tried():
    keywords = keywords_of(8, 5)
    vectors = grouped_vectors(groups=8, members=5, shared=0.72, within=0.92)
    heard = []
    cluster_embeddings(keywords=keywords, vectors=vectors, progress=lambda *a: heard.append(a))
    tried = [(stage, done, total) for stage, done, total in heard if stage == "threshold"]
    assert tried == [("threshold", n, 23) for n in range(23)]
    # The sample was the whole list: its labels at 0.73 are the result, nothing is clustered again.
    assert [a for a in heard if a[0] != "threshold"] == [("clusters", 1, 1)]
