"""Intent-aware clustering: the rules (intent and modifiers per keyword) and what they do to clusters."""

import random

import numpy as np
import pytest

from igny8.planner.clustering import (
    classify,
    classify_intent,
    cluster_embeddings,
    cluster_keywords,
    conflict,
    embedding_texts,
)

pytestmark = pytest.mark.no_database  # pure computation: the PostgreSQL pass leaves it out


@pytest.mark.parametrize(
    ("keyword", "intent", "cued"),
    [
        ("how to clean running shoes", "informational", True),
        ("how long do running shoes last", "informational", True),
        ("best way to pay off credit card debt", "informational", True),  # "best way to" asks how
        ("running shoe lacing guide", "informational", True),
        ("best running shoes for flat feet", "commercial", True),
        ("hoka clifton 9 review", "commercial", True),
        ("which gaming laptop should i buy", "commercial", True),
        ("running shoe store near me", "transactional", True),
        ("where to buy running shoes", "transactional", True),
        ("running shoes coupon", "transactional", True),
        ("chase credit card login", "navigational", True),
        ("chase.com", "navigational", True),
        ("cómo limpiar zapatillas", "informational", True),
        ("mejores zapatillas de running", "commercial", True),
        ("running shoes women", "commercial", False),  # a product query, no intent word
        ("cold brew", "informational", False),
        ("", "informational", False),
        # "order", "book", "apply" are nouns as often as verbs: transactional only first or in phrases.
        ("skin care routine order", "informational", False),
        ("jump start a car order of cables", "informational", False),
        ("what order to apply skincare", "informational", True),
        ("when to apply vitamin c serum", "informational", True),
        ("order pizza online", "transactional", True),
        ("book a table near me", "transactional", True),
        ("apply for credit card", "transactional", True),
        ("how to apply for a credit card", "informational", True),
        # Asking when, or for a measure, is a question whatever "best" says.
        ("best time of day to mow the lawn", "informational", True),
        ("best mowing height for grass", "informational", True),
        ("recommended tire pressure", "informational", True),
        ("best pressure washer", "commercial", True),
        ("niacinamide benefits", "informational", True),
    ],
)
def test_intent_rules(keyword, intent, cued):
    signature = classify(keyword)
    assert (signature.intent, signature.cued) == (intent, cued)
    assert classify_intent(keyword) == intent


def test_modifiers_and_synonyms():
    assert classify("Best Women's Trail Running Shoes 2025").modifiers == (
        ("audience", frozenset({"women"})),
        ("variant", frozenset({"trail"})),
        ("year", frozenset({"2025"})),
    )
    # Synonyms name the same value; the longest phrase wins ("small business" is no size).
    assert classify("top running sneakers for ladies").values("audience") == {"women"}
    assert classify("credit cards for small business").modifiers == (("audience", frozenset({"business"})),)
    assert classify("running shoes for fallen arches").values("condition") == {"flat feet"}
    # A phone case is an accessory of the phone: another page than the phone.
    assert classify("cheap iphone cases under 50").modifiers == (
        ("accessory", frozenset({"cover"})),
        ("platform", frozenset({"iphone"})),
        ("price", frozenset({"budget"})),
    )
    # "budget" as a verb is no price tier.
    assert classify("how to budget your money").modifiers == ()
    assert classify("best running shoes for women").describe() == "commercial; audience: women"


def test_conflicts_name_the_reason():
    assert conflict(classify("best running shoes"), classify("how to clean running shoes")) == (
        "commercial vs informational intent"
    )
    assert conflict(classify("running shoes for women"), classify("mens running shoes")) == (
        "audience: women vs men"
    )
    assert conflict(classify("running shoes for flat feet"), classify("running shoes for wide feet")) == (
        "flat feet vs wide"
    )
    # No word on a dimension is no conflict: the generic query may join a specific one.
    assert conflict(classify("running shoes women"), classify("best womens running shoes 2025")) is None
    assert conflict(classify("cold brew"), classify("how to make cold brew")) is None


def test_open_ended_audiences_conditions_sizes_and_accessories():
    # The word before a kind of person names an audience, singular or plural; "for people" does not.
    assert classify("back sleeper mattress reviews").values("audience") == {"back sleepers"}
    assert classify("best auto insurance for young drivers").values("audience") == {"young drivers"}
    assert classify("mattresses for people").modifiers == ()
    assert classify("mattress for side sleepers with shoulder pain").modifiers == (
        ("audience", frozenset({"side sleepers"})),
        ("condition", frozenset({"shoulder pain"})),
    )
    # Listed phrases still win: "back pain" is the listed condition, "new runners" the beginners.
    assert classify("mattress for back pain").values("condition") == {"back pain"}
    assert classify("running shoes for new runners").values("audience") == {"beginners"}
    assert conflict(classify("mattress for side sleepers"), classify("top mattress for back sleepers")) == (
        "audience: side sleepers vs back sleepers"
    )
    queen, king = classify("queen mattress"), classify("cal king mattress")
    assert conflict(queen, king) == "size: queen vs california king"
    assert conflict(classify("memory foam mattress topper"), classify("memory foam mattress")) is None
    assert conflict(classify("mattress topper"), classify("latex mattress")) == "topper vs latex"


def test_skin_and_hair_types_comparisons_and_any_price_limit():
    assert classify("best moisturizer for oily skin").values("condition") == {"oily skin"}
    assert conflict(classify("moisturizer for oily skin"), classify("moisturiser for dry skin")) == (
        "condition: oily skin vs dry skin"
    )
    assert classify("acne prone skin routine").values("condition") == {"acne"}
    # A comparison asks for knowledge, unless a commercial word says otherwise.
    assert classify_intent("retinol vs tretinoin") == "informational"
    assert classify_intent("difference between retinol and retinoids") == "informational"
    assert classify_intent("best hoka vs brooks") == "commercial"
    # Any "under <amount>" is a budget, not only the listed ones; a bare number or year is not.
    assert classify("skincare under $20").values("price") == {"budget"}
    assert classify("lawn mowers under 300").values("price") == {"budget"}
    assert classify("mower under the deck").values("price") == frozenset()
    assert classify("2025 mowers").modifiers == (("year", frozenset({"2025"})),)


def test_a_lone_facet_leaves_a_cluster_that_does_not_share_it():
    # All five within 4 degrees: one cluster by similarity. The fallen-arches keyword names a need
    # (a condition) nobody else in it names: it leaves, and the outlier pass finds it no peer.
    keywords = [
        "how to choose running shoes",
        "how to pick running shoes",
        "choosing running shoes guide",
        "picking running shoes tips",
        "running shoes for fallen arches",
    ]
    result = cluster_embeddings(keywords=keywords, vectors=unit(0, 1, 2, 3, 4), threshold=0.9)
    assert as_texts(result, keywords) == [("choosing running shoes guide", sorted(keywords[:4]))]
    assert [keywords[i] for i in result.outliers] == ["running shoes for fallen arches"]
    # Two who share the condition stay: a cluster may hold a minority that agrees among itself.
    pair = [*keywords[:4], "running shoes for fallen arches", "running shoes for flat feet"]
    kept = cluster_embeddings(keywords=pair, vectors=unit(0, 1, 2, 3, 4, 5), threshold=0.9)
    assert [len(c.members) for c in kept.clusters] == [6]


def test_an_outlier_joins_only_a_cluster_with_a_peer():
    # The price keyword and the hotel-less card are 20 degrees (0.94) from their clusters: within
    # the attach floor (0.84), and in agreement with every member (they name nothing that clashes),
    # but no member is like them (no price named; every member names hotels), so they stay out.
    keywords = [
        "how should running shoes fit",
        "how tight should running shoes be",
        "running shoes under 100",
        "best hotel credit card",
        "top hotel credit cards",
        "first credit card",
    ]
    vectors = unit(0, 1, 21, 90, 91, 111)
    result = cluster_embeddings(keywords=keywords, vectors=vectors, threshold=0.95)
    assert [keywords[i] for i in result.outliers] == ["running shoes under 100", "first credit card"]
    # Peers in the cluster (the same price tier) let it join.
    cheap = ["cheap running shoes that fit", "affordable running shoes that fit well"]
    with_peer = [*keywords[:2], *cheap, "running shoes under 100"]
    joined = cluster_embeddings(keywords=with_peer, vectors=unit(0, 1, 2, 3, 21), threshold=0.95)
    assert joined.outliers == ()
    assert [len(c.members) for c in joined.clusters] == [5]


def test_topic_text_drops_ranking_words():
    assert embedding_texts(["best men's running shoes", "mens running shoes reviews", "best"]) == [
        "mens running shoes",
        "mens running shoes",
        "best",
    ]


def unit(*angles_deg: float) -> np.ndarray:
    radians = np.deg2rad(np.asarray(angles_deg, dtype=np.float64))
    return np.stack([np.cos(radians), np.sin(radians)], axis=1).astype(np.float32)


def as_texts(result, keywords):
    return [(c.name, sorted(keywords[i] for i in c.members)) for c in result.clusters]


def test_conflicting_neighbours_never_share_a_cluster():
    # All four within 6 degrees of each other (similarity >= 0.99): plain clustering makes one
    # cluster, the audience rule two.
    keywords = ["running shoes women", "womens running shoes", "running shoes men", "mens running shoes"]
    vectors = unit(0, 2, 4, 6)
    plain = cluster_embeddings(keywords=keywords, vectors=vectors, threshold=0.9, intent_aware=False)
    assert len(plain.clusters) == 1
    aware = cluster_embeddings(keywords=keywords, vectors=vectors, threshold=0.9)
    assert as_texts(aware, keywords) == [
        ("mens running shoes", ["mens running shoes", "running shoes men"]),
        ("running shoes women", ["running shoes women", "womens running shoes"]),
    ]


def test_outliers_attach_only_when_intent_and_modifiers_agree():
    # A women's cluster at 0-4 degrees; two keywords 30 degrees off (similarity 0.87): below the
    # threshold 0.95, above the attach threshold 0.84. The ladies' one joins; the men's one and the
    # how-to one stay out, and so does the far one (60 degrees, 0.5) whatever it says.
    keywords = [
        "best running shoes for women",
        "top womens running shoes",
        "top rated ladies running trainers",
        "best running shoes for men",
        "how to clean womens running shoes",
        "womens running shoes sale",
    ]
    vectors = unit(0, 2, 30, 32, 31, 62)
    result = cluster_embeddings(keywords=keywords, vectors=vectors, threshold=0.95)
    assert as_texts(result, keywords) == [
        (
            "top womens running shoes",  # closest to the centroid once the ladies' keyword joined
            ["best running shoes for women", "top rated ladies running trainers", "top womens running shoes"],
        )
    ]
    assert [keywords[i] for i in result.outliers] == [
        "best running shoes for men",
        "how to clean womens running shoes",
        "womens running shoes sale",
    ]
    # With a floor above 0.87 nobody is attached.
    strict = cluster_embeddings(keywords=keywords, vectors=vectors, threshold=0.95, attach_threshold=0.9)
    assert [keywords[i] for i in strict.outliers] == [
        "top rated ladies running trainers",
        "best running shoes for men",
        "how to clean womens running shoes",
        "womens running shoes sale",
    ]


def test_half_specialised_cluster_is_split():
    # Three "trail" and three plain men's keywords, all within 5 degrees: two topics.
    keywords = [
        "best mens running shoes",
        "mens running shoes",
        "running shoes for men",
        "best mens trail running shoes",
        "mens trail running shoes",
        "trail running shoes for men",
    ]
    result = cluster_embeddings(keywords=keywords, vectors=unit(0, 1, 2, 3, 4, 5), threshold=0.9)
    assert as_texts(result, keywords) == [
        ("mens running shoes", ["best mens running shoes", "mens running shoes", "running shoes for men"]),
        (
            "mens trail running shoes",
            ["best mens trail running shoes", "mens trail running shoes", "trail running shoes for men"],
        ),
    ]


NEAR_MISSES = [
    "best running shoes for women", "womens running shoes", "top rated running sneakers for ladies",
    "best running shoes for men", "mens running shoes", "running trainers for men",
    "best running shoes for kids", "kids running shoes", "childrens running sneakers",
    "best running shoes for flat feet", "running shoes for fallen arches", "flat feet running shoes",
    "best running shoes for high arches", "running shoes for high arches", "high arch running shoes",
    "how to clean running shoes", "how to wash running shoes", "cleaning running shoes",
    "running shoe store near me", "running shoes shop near me", "buy running shoes near me",
]  # fmt: skip


def test_real_near_misses_split_and_synonyms_join(model):
    result = cluster_keywords(keywords=NEAR_MISSES)
    assert sorted(sorted(NEAR_MISSES[i] for i in c.members) for c in result.clusters) == sorted(
        sorted(NEAR_MISSES[i : i + 3]) for i in range(0, len(NEAR_MISSES), 3)
    )
    assert result.outliers == ()
    # The plain method at its old default merges near misses (women/men/kids; flat/high arches).
    plain = cluster_keywords(keywords=NEAR_MISSES, threshold=0.70, intent_aware=False)
    assert len(plain.clusters) < 7


def test_shuffled_input_gives_the_same_clusters(model):
    expected = sorted(
        sorted(NEAR_MISSES[i] for i in c.members) for c in cluster_keywords(keywords=NEAR_MISSES).clusters
    )
    rng = random.Random(15)
    for _ in range(3):
        keywords = NEAR_MISSES[:]
        rng.shuffle(keywords)
        result = cluster_keywords(keywords=keywords)
        assert sorted(sorted(keywords[i] for i in c.members) for c in result.clusters) == expected
