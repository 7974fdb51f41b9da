"""The open-ended need after "for" (intent._use_of) and which needs of a list are one
(qualifiers.unify_uses): issue 15 round 6."""

import numpy as np
import pytest

from igny8.planner.clustering import cluster_embeddings, intent
from igny8.planner.clustering.intent import classify, conflict
from igny8.planner.clustering.qualifiers import SAME_NEED, unify_uses

pytestmark = pytest.mark.no_database  # pure computation: the PostgreSQL pass leaves it out


def test_the_words_after_for_name_a_need_when_no_list_does():
    assert classify("best project management software for charities").values("use") == {"charities"}
    assert classify("vpn for netflix").values("use") == {"netflix"}
    assert classify("coffee grinder for pour over").values("use") == {"pour over"}
    assert classify("project management tools for a marketing agency in 2025").values("use") == {
        "marketing agency"
    }
    # A word list names it already, or it is no need at all.
    assert classify("best running shoes for women").values("use") == frozenset()
    assert classify("running shoes for flat feet").values("use") == frozenset()
    assert classify("is coffee good for you").values("use") == frozenset()
    assert classify("mattresses for people").modifiers == ()
    assert classify("houses for sale").values("use") == frozenset()
    assert classify("for charities").values("use") == frozenset()  # "for" first: no head to qualify
    assert classify("what to look for").values("use") == frozenset()


def test_two_different_needs_conflict_and_a_need_against_none_does_not():
    charities = classify("project management software for charities")
    consultants = classify("project management software for consultants")
    assert conflict(charities, consultants) == "use: charities vs consultants"
    assert conflict(charities, classify("best project management software")) is None
    # A need is not a facet across dimensions: "cheap" and "for charities" may share a page.
    assert conflict(charities, classify("cheap project management software")) is None


def test_needs_of_a_list_join_by_meaning_and_by_plural():
    signatures = [
        classify(text)
        for text in (
            "pm software for charities",
            "pm software for nonprofits",
            "pm software for consultants",
            "pm software for teams",
            "pm software for team",
        )
    ]
    above, below = SAME_NEED + 0.01, SAME_NEED - 0.01
    vectors = {  # nonprofits is just similar enough to charities, consultants just not
        "charities": [1.0, 0.0, 0.0, 0.0, 0.0],
        "nonprofits": [above, (1 - above**2) ** 0.5, 0.0, 0.0, 0.0],
        "consultants": [below, 0.0, (1 - below**2) ** 0.5, 0.0, 0.0],
        "team": [0.0, 0.0, 0.0, 1.0, 0.0],
        "teams": [0.0, 0.0, 0.0, 0.0, 1.0],
    }
    asked = []

    def encoder(texts):
        asked.append(list(texts))
        return np.array([vectors[text] for text in texts], dtype=np.float32)

    named = [next(iter(s.values("use"))) for s in unify_uses(signatures, encoder=encoder)]
    assert asked == [["charities", "consultants", "nonprofits", "team", "teams"]]  # sorted, each once
    assert named == ["charities", "charities", "consultants", "team", "team"]
    # Without an encoder only plurals join; the order of the keywords changes nothing.
    plain = [next(iter(s.values("use"))) for s in unify_uses(signatures[::-1], encoder=None)]
    assert plain == ["team", "team", "consultants", "nonprofits", "charities"]


def test_keywords_whose_head_term_dominates_split_by_their_needs():
    # Every keyword is 0.9 similar to every other (one head term): only the needs tell them apart.
    keywords = [
        "project management software for charities",
        "project management tools for nonprofits",
        "project management software for consultants",
        "project management tools for consultants",
    ]
    vectors = np.full((4, 4), 0.0, dtype=np.float32)
    vectors[:, 0] = 0.9**0.5
    vectors[np.arange(4), np.arange(4) % 3 + 1] = 0.1**0.5
    need_vectors = {"charities": [1, 0, 0], "nonprofits": [0.8, 0, 0.6], "consultants": [0, 1, 0]}

    def encoder(texts):
        return np.array([need_vectors[text] for text in texts], dtype=np.float32)

    result = cluster_embeddings(keywords=keywords, vectors=vectors, threshold=0.7, qualifier_encoder=encoder)
    assert sorted(sorted(c.members) for c in result.clusters) == [[0, 1], [2, 3]]
    blind = cluster_embeddings(keywords=keywords, vectors=vectors, threshold=0.7)  # no encoder
    assert sorted(sorted(c.members) for c in blind.clusters) == [[2, 3]]


def test_a_domain_is_navigational_only_alone():
    assert intent.classify("monday.com").intent == "navigational"
    assert intent.classify("monday.com official site").intent == "navigational"
    assert intent.classify("monday.com cost").intent == "commercial"
    assert intent.classify("asana vs monday.com").intent == "informational"
    assert intent.classify("chase.com login").intent == "navigational"


def test_cheapest_is_a_budget():
    assert classify("cheapest project management software").values("price") == {"budget"}
    assert classify("lowest cost car insurance").values("price") == {"budget"}


def test_recluster_match_judges_both_lists_needs_together(monkeypatch):
    # Re-clustering joins a new group to an existing cluster only when they agree; a need named
    # "nonprofits" in one and "charities" in the other is one need when their vectors say so.
    from igny8.planner import cluster_methods

    needs = {"charities": [1.0, 0.0, 0.0], "nonprofits": [0.8, 0.0, 0.6], "consultants": [0.0, 1.0, 0.0]}
    monkeypatch.setattr(
        cluster_methods,
        "_table_vectors",
        lambda texts: np.array([needs[text] for text in texts], dtype=np.float32),
    )
    new = ["project management tools for nonprofits"]
    assert cluster_methods._agrees(new, ["project management software for charities"])
    assert not cluster_methods._agrees(new, ["project management software for consultants"])
