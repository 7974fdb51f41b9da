"""The fifth round of modifier rules (docs/clustering.md, "Quality"; its intent cues are in
test_intent.py): each rule splits the near misses it names and keeps synonyms together."""

import pytest

from igny8.planner.clustering import classify, cluster_embeddings, conflict

from .test_intent import unit

pytestmark = pytest.mark.no_database  # pure computation: the PostgreSQL pass leaves it out


def groups(keywords: list[str], angles: list[float]) -> list[list[str]]:
    result = cluster_embeddings(keywords=keywords, vectors=unit(*angles), threshold=0.9)
    return sorted(sorted(keywords[i] for i in cluster.members) for cluster in result.clusters)


def test_ranking_and_intent_words_qualify_no_skin_or_person():
    # "best skin care" names no kind of skin; "oily skin" still does.
    assert classify("best skin care for teens").describe() == "commercial; audience: kids"
    assert classify("top skin care products for men").describe() == "commercial; audience: men"
    assert classify("oily skin moisturizer").describe() == "condition: oily skin"
    assert classify("what order to apply skin care products").describe() == "informational"
    assert conflict(classify("best skin care for men"), classify("good skincare for men")) is None


def test_seasons_split_and_spring_is_no_mattress_material():
    assert classify("best lawn fertilizer for spring").modifiers == (("season", frozenset({"spring"})),)
    assert conflict(classify("lawn fertilizer for spring"), classify("fall lawn fertilizer")) == (
        "season: spring vs fall"
    )
    assert conflict(classify("fall lawn fertilizer"), classify("autumn lawn fertilizer")) is None
    assert classify("innerspring mattress").values("material") == {"innerspring"}
    assert classify("pocket spring mattress").values("material") == {"innerspring"}
    assert classify("how to fall asleep fast").modifiers == ()
    # A season is no facet: "when to overseed in fall" stays with the other overseeding how-tos.
    overseed = ["how to overseed a lawn", "how to overseed your lawn", "when to overseed in fall"]
    assert groups(overseed, [0, 1, 2]) == [sorted(overseed)]


def test_power_kinds_and_growing_conditions():
    assert conflict(classify("best cordless lawn mower"), classify("electric lawn mower reviews")) is None
    assert conflict(classify("battery powered lawn mower"), classify("electric lawn mower")) is None
    assert conflict(classify("best robotic lawn mower"), classify("robot mower reviews")) is None
    assert conflict(classify("robot lawn mower"), classify("cordless lawn mower")) == (
        "variant: robotic vs electric"
    )
    assert conflict(classify("grass seed for shady areas"), classify("shade grass seed")) is None
    assert conflict(classify("grass seed for shade"), classify("grass seed for full sun")) == (
        "condition: shade vs full sun"
    )
    keywords = [
        "best cordless lawn mower",
        "electric lawn mower reviews",
        "top rated cordless lawn mowers",
        "best robotic lawn mower",
        "robot mower reviews",
    ]
    assert groups(keywords, [0, 1, 2, 3, 4]) == [sorted(keywords[:3]), sorted(keywords[3:])]


def test_customer_service_and_a_bare_service_are_no_repair():
    assert classify("sephora customer service number").describe() == "navigational"
    assert classify("plumbing service near me").values("service") == frozenset()
    assert classify("bike repair near me").values("service") == {"repair"}
    assert classify("bike tune up near me").values("service") == {"repair"}
