"""SERP-overlap clustering: soft vs hard on hand-made SERPs with exact expectations."""

import random

import pytest

from igny8.planner.clustering import cluster_by_serp
from igny8.planner.clustering.serp import normalise_url

pytestmark = pytest.mark.no_database  # pure computation: the PostgreSQL pass leaves it out


def urls(*names: str) -> list[str]:
    return [f"https://site.example/{name}" for name in names]


# P shares u1-u3 with A and u4-u6 with B; A and B share nothing; C shares c1-c3 with B only.
KEYWORDS = ["pivot", "alpha", "beta", "gamma", "lonely", "no serp"]
SERPS = [
    urls("u1", "u2", "u3", "u4", "u5", "u6", "p7", "p8", "p9", "p10"),
    urls("u1", "u2", "u3", "a4", "a5", "a6", "a7", "a8", "a9", "a10"),
    urls("u4", "u5", "u6", "c1", "c2", "c3", "b7", "b8", "b9", "b10"),
    urls("c1", "c2", "c3", "g4", "g5", "g6", "g7", "g8", "g9", "g10"),
    urls("l1", "l2", "l3", "l4", "l5", "l6", "l7", "l8", "l9", "l10"),
    None,
]
VOLUMES = [100, 50, 40, 10, 500, 1000]


def named(result, keywords=KEYWORDS):
    return [(c.name, [keywords[i] for i in c.members]) for c in result.clusters]


def test_soft_joins_everything_overlapping_the_pivot():
    result = cluster_by_serp(keywords=KEYWORDS, serps=SERPS, volumes=VOLUMES, mode="soft")
    assert named(result) == [("pivot", ["pivot", "alpha", "beta"])]
    assert [KEYWORDS[i] for i in result.outliers] == ["gamma", "lonely", "no serp"]


def test_hard_needs_every_pair_to_overlap():
    result = cluster_by_serp(keywords=KEYWORDS, serps=SERPS, volumes=VOLUMES, mode="hard")
    # beta overlaps the pivot but not alpha, so it waits and then pivots its own cluster with gamma.
    assert named(result) == [("beta", ["beta", "gamma"]), ("pivot", ["pivot", "alpha"])]
    assert [KEYWORDS[i] for i in result.outliers] == ["lonely", "no serp"]


def test_min_shared_and_min_cluster_size():
    assert cluster_by_serp(keywords=KEYWORDS, serps=SERPS, volumes=VOLUMES, min_shared=4).clusters == ()
    soft_three = cluster_by_serp(keywords=KEYWORDS, serps=SERPS, volumes=VOLUMES, min_cluster_size=3)
    assert named(soft_three) == [("pivot", ["pivot", "alpha", "beta"])]
    hard_three = cluster_by_serp(
        keywords=KEYWORDS, serps=SERPS, volumes=VOLUMES, mode="hard", min_cluster_size=3
    )
    assert hard_three.clusters == ()


def test_shuffled_input_gives_the_same_clusters():
    expected = named(cluster_by_serp(keywords=KEYWORDS, serps=SERPS, volumes=VOLUMES, mode="hard"))
    order = list(range(len(KEYWORDS)))
    random.Random(3).shuffle(order)
    keywords = [KEYWORDS[i] for i in order]
    result = cluster_by_serp(
        keywords=keywords, serps=[SERPS[i] for i in order], volumes=[VOLUMES[i] for i in order], mode="hard"
    )
    assert named(result, keywords) == expected


def test_url_forms_and_top_ten_only():
    assert normalise_url("https://www.Example.com/Best-Shoes/") == "example.com/Best-Shoes"
    assert normalise_url("http://example.com/Best-Shoes#reviews") == "example.com/Best-Shoes"
    assert normalise_url(" example.com/x?a=1 ") == "example.com/x?a=1"
    same = ["https://www.a.com/1/", "http://b.com/2", "https://c.com/3"]
    shifted = ["https://a.com/1", "https://b.com/2/", "https://www.c.com/3"]
    assert len(cluster_by_serp(keywords=["x", "y"], serps=[same, shifted]).clusters) == 1
    # The shared URLs sit at positions 11-13 of y's list: beyond the top 10 they do not count.
    late = [f"https://filler.com/{n}" for n in range(10)] + shifted
    assert cluster_by_serp(keywords=["x", "y"], serps=[same, late]).clusters == ()


def test_bad_arguments():
    with pytest.raises(ValueError, match="mode"):
        cluster_by_serp(keywords=["x"], serps=[[]], mode="medium")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="1 SERPs for 2 keywords"):
        cluster_by_serp(keywords=["x", "y"], serps=[[]])
