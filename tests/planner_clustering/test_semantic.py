"""Semantic clustering on hand-placed vectors (exact geometry) and on real keywords (determinism)."""

import random

import numpy as np
import pytest

from igny8.planner.clustering import (
    DEFAULT_MIN_CLUSTER_SIZE,
    DEFAULT_THRESHOLD,
    PLAIN_THRESHOLD,
    Clustering,
    GraphTooDense,
    cluster_embeddings,
    cluster_keywords,
)

pytestmark = pytest.mark.no_database  # pure computation: the PostgreSQL pass leaves it out


def unit(*angles_deg: float) -> np.ndarray:
    """Unit vectors in the plane at the given angles: cos(angle difference) is their similarity."""
    radians = np.deg2rad(np.asarray(angles_deg, dtype=np.float64))
    return np.stack([np.cos(radians), np.sin(radians)], axis=1).astype(np.float32)


def as_texts(clustering: Clustering, keywords: list[str]) -> list[tuple[str, list[str]]]:
    return [(c.name, [keywords[i] for i in c.members]) for c in clustering.clusters]


# a* near 0 degrees, b* near 90, o alone at 200: cos(10 deg) = 0.985, cos(25 deg) = 0.906
KEYWORDS = ["a1", "a2", "a3", "b1", "b2", "o"]
VECTORS = unit(0, 10, -10, 90, 100, 200)


def test_groups_and_outliers_stay_out():
    result = cluster_embeddings(keywords=KEYWORDS, vectors=VECTORS, threshold=0.95)
    assert as_texts(result, KEYWORDS) == [("a1", ["a1", "a2", "a3"]), ("b1", ["b1", "b2"])]
    assert result.outliers == (5,)
    assert result.labels(size=6) == [0, 0, 0, 1, 1, -1]


def test_min_cluster_size_turns_small_groups_into_outliers():
    result = cluster_embeddings(keywords=KEYWORDS, vectors=VECTORS, threshold=0.95, min_cluster_size=3)
    assert as_texts(result, KEYWORDS) == [("a1", ["a1", "a2", "a3"])]
    assert result.outliers == (3, 4, 5)


def test_threshold_effect():
    # cos(20 deg) = 0.940 between a2 and a3: still one cluster around a1 at 0.95 (each is 10 deg from it)
    loose = cluster_embeddings(keywords=KEYWORDS, vectors=VECTORS, threshold=0.0)
    assert as_texts(loose, KEYWORDS) == [("a2", ["a1", "a2", "a3", "b1", "b2"])]
    assert loose.outliers == (5,)
    strict = cluster_embeddings(keywords=KEYWORDS, vectors=VECTORS, threshold=0.999)
    assert strict.clusters == ()
    assert strict.outliers == (0, 1, 2, 3, 4, 5)


def test_no_chaining_through_a_bridge():
    # Steps of 15 deg: neighbours are 0.966 similar, but c0 and c4 are 60 deg apart (0.5).
    # Connected components would make one cluster; every member here is within the threshold of
    # its centre (the most connected keyword, c1, seeds first; c3 takes what is left).
    keywords = ["c0", "c1", "c2", "c3", "c4"]
    result = cluster_embeddings(keywords=keywords, vectors=unit(0, 15, 30, 45, 60), threshold=0.96)
    assert as_texts(result, keywords) == [("c1", ["c0", "c1", "c2"]), ("c3", ["c3", "c4"])]


def test_refinement_moves_a_member_to_its_closest_centre():
    # h at 0 has the most neighbours and seeds first, taking x at 24 (cos 0.914);
    # y at 32 seeds next with z at 40; x is closer to y (8 deg) than to h and moves there.
    keywords = ["h", "l1", "l2", "x", "y", "z"]
    vectors = unit(0, -10, -20, 24, 32, 40)
    result = cluster_embeddings(keywords=keywords, vectors=vectors, threshold=0.91)
    assert as_texts(result, keywords) == [("l1", ["h", "l1", "l2"]), ("y", ["x", "y", "z"])]


def test_representative_ties_broken_by_volume_then_text():
    keywords = ["left", "right"]
    vectors = unit(-5, 5)  # both equally close to the centroid
    assert cluster_embeddings(keywords=keywords, vectors=vectors).clusters[0].name == "left"
    named = cluster_embeddings(keywords=keywords, vectors=vectors, volumes=[10, 20]).clusters[0]
    assert (named.name, named.representative) == ("right", 1)


def test_case_duplicates_and_blanks():
    keywords = ["Best Shoes", "best  shoes", "  ", "best shoes", "x", "top shoes"]
    vectors = unit(0, 0, 90, 0, 180, 5)
    result = cluster_embeddings(keywords=keywords, vectors=vectors, volumes=[5, 70, 0, 10, 0, 60])
    # One keyword three times (volume = the largest, 70) plus "top shoes": equally close to the
    # centroid, the higher volume names the cluster, represented by the text's first index.
    assert [(c.name, c.members, c.representative) for c in result.clusters] == [
        ("best shoes", (0, 1, 3, 5), 0)
    ]
    assert result.outliers == (2, 4)
    # Duplicates count once towards min_cluster_size: alone, the triple is no cluster.
    alone = cluster_embeddings(keywords=keywords[:4], vectors=vectors[:4])
    assert (alone.clusters, alone.outliers) == ((), (0, 1, 2, 3))


def test_block_size_does_not_change_the_result():
    angles = [i * 7.3 % 360 for i in range(40)]
    keywords = [f"k{i:02d}" for i in range(40)]
    whole = cluster_embeddings(keywords=keywords, vectors=unit(*angles), threshold=0.99)
    blocked = cluster_embeddings(keywords=keywords, vectors=unit(*angles), threshold=0.99, block_size=3)
    assert whole == blocked
    # The outlier pass (attach threshold 0.88) gives the five keywords the star seeding left out
    # a cluster each; without it (the plain method) they stay outliers.
    assert (len(whole.clusters), whole.outliers) == (15, ())
    plain = cluster_embeddings(keywords=keywords, vectors=unit(*angles), threshold=0.99, intent_aware=False)
    assert plain == cluster_embeddings(
        keywords=keywords, vectors=unit(*angles), threshold=0.99, block_size=3, intent_aware=False
    )
    assert (len(plain.clusters), plain.outliers) == (15, (7, 13, 17, 25, 39))


def test_edge_budget():
    with pytest.raises(GraphTooDense):
        cluster_embeddings(keywords=KEYWORDS, vectors=VECTORS, threshold=0.0, max_edges=5)


def test_bad_arguments():
    with pytest.raises(ValueError, match="threshold"):
        cluster_embeddings(keywords=KEYWORDS, vectors=VECTORS, threshold=1.5)
    with pytest.raises(ValueError, match="min_cluster_size"):
        cluster_embeddings(keywords=KEYWORDS, vectors=VECTORS, min_cluster_size=0)
    with pytest.raises(ValueError, match="6 vectors for 2 keywords"):
        cluster_embeddings(keywords=["a", "b"], vectors=VECTORS)


def test_defaults():
    assert (DEFAULT_THRESHOLD, PLAIN_THRESHOLD, DEFAULT_MIN_CLUSTER_SIZE) == ("auto", 0.70, 2)


REAL = [
    "best running shoes for women", "womens running shoes", "top rated running sneakers for ladies",
    "best running shoes for men", "mens running shoes", "running trainers for men",
    "how to make cold brew coffee", "cold brew recipe", "cold brew coffee at home",
    "how to fix a leaking faucet", "dripping tap repair", "how to stop a faucet from dripping",
    "plumber near me", "emergency plumber", "24 hour plumber near me",
    "python list comprehension", "list comprehension in python example",
    "quantum chromodynamics lecture notes", "Best Running Shoes For Women",
]  # fmt: skip


def test_same_keywords_in_any_order_give_the_same_clusters(model):
    baseline = cluster_keywords(keywords=REAL, volumes=list(range(len(REAL))))
    expected = sorted((c.name, sorted(REAL[i] for i in c.members)) for c in baseline.clusters)
    # "dripping tap repair" names a repair service, which no keyword of the faucet how-tos names:
    # the outlier pass finds it no peer there (before the peer rule it joined them).
    assert [REAL[i] for i in baseline.outliers] == [
        "dripping tap repair",
        "quantum chromodynamics lecture notes",
    ]
    # Pinned so a model or algorithm change shows up here. The plain method merged the women's and
    # men's running shoes (MiniLM puts them 0.76 apart); the audience rule keeps them apart.
    assert [(c.name, len(c.members)) for c in baseline.clusters] == [
        ("best running shoes for women", 4),
        ("best running shoes for men", 3),
        ("how to make cold brew coffee", 3),
        ("plumber near me", 3),
        ("how to stop a faucet from dripping", 2),
        ("list comprehension in python example", 2),
    ]
    plain = cluster_keywords(keywords=REAL, volumes=list(range(len(REAL))), intent_aware=False)
    assert (plain.clusters[0].name, len(plain.clusters[0].members)) == ("best running shoes for men", 7)
    rng = random.Random(7)
    for _ in range(3):
        order = list(range(len(REAL)))
        rng.shuffle(order)
        keywords = [REAL[i] for i in order]
        result = cluster_keywords(keywords=keywords, volumes=order)
        assert sorted((c.name, sorted(keywords[i] for i in c.members)) for c in result.clusters) == expected
