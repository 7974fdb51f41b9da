import random

import pytest

from igny8.planner.models import Cluster, Keyword
from tests.planner_ai.conftest import add_keywords

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("embedding_model")]
URL = "/api/v1/planner/keywords/auto_cluster/"
COFFEE = [
    ("espresso machine", 5000, 40),
    ("espresso machines", 800, 38),
    ("best espresso machine", 3000, 45),
    ("espresso maker", 900, 30),
    ("burr grinder", 1200, 20),
    ("coffee grinder", 4000, 25),
    ("best coffee grinder", 2500, 35),
    ("conical burr grinder", 300, 15),
    ("cold brew recipe", 2000, 10),
    ("how to make cold brew", 1800, 12),
    ("cold brew coffee recipe", 700, 8),
    ("pour over coffee", 1000, 22),
    ("v60 pour over", 400, 18),
    ("tax return deadline", 50, 60),
    ("dog food", 60, 70),
]
EXPECTED = {
    "coffee grinder": ["best coffee grinder", "burr grinder", "coffee grinder", "conical burr grinder"],
    "espresso machine": ["best espresso machine", "espresso machine", "espresso machines", "espresso maker"],
    "cold brew recipe": ["cold brew coffee recipe", "cold brew recipe", "how to make cold brew"],
}
# Pinned rather than the package's default, which its author tunes on a labelled set.
SEMANTIC = {"method": "semantic", "threshold": 0.8}
OUTLIERS = ["dog food", "pour over coffee", "tax return deadline", "v60 pour over"]


def groups(site) -> dict[str, list[str]]:
    return {
        c.name: sorted(c.keywords.values_list("keyword", flat=True))
        for c in Cluster.objects.filter(site=site).order_by("name")
    }


def test_semantic_offline_groups_names_metrics_and_statuses(alice, run_now):
    add_keywords(alice, COFFEE)

    response, run = run_now(alice.client(), URL, {"site_id": alice.site.pk, **SEMANTIC})

    assert response.status_code == 202
    # Offline runs are free (billing/selectors.py FREE_PROVIDERS).
    assert (run.status, run.total, run.credits_used, run.result["offline"]) == ("success", 1, 0, True)
    assert groups(alice.site) == EXPECTED
    metrics = {
        c.name: (c.keywords_count, c.volume, c.avg_difficulty, c.status, c.sector_id)
        for c in Cluster.objects.all()
    }
    assert metrics == {
        "coffee grinder": (4, 8000, 23.75, "new", alice.sector.pk),
        "espresso machine": (4, 9700, 38.25, "new", alice.sector.pk),
        "cold brew recipe": (3, 4500, 10.0, "new", alice.sector.pk),
    }
    statuses = dict(Keyword.objects.values_list("keyword", "status"))
    # Issue 15: what no cluster took is "Not grouped", so site-wide runs stop picking it.
    assert sorted(k for k, s in statuses.items() if s == "unclustered") == OUTLIERS
    assert Keyword.objects.filter(status="clustered").count() == 11
    assert run.result["keywords_not_grouped"] == 4
    assert run.result["items"] == [
        {
            "item": "batch 1",
            "status": "success",
            "clusters_created": 3,
            "clusters_extended": 0,
            "keywords_clustered": 11,
            "groups_over_plan_limit": 0,
            "created": ["coffee grinder", "espresso machine", "cold brew recipe"],
            "extended": [],
        }
    ]


def test_same_clusters_whatever_the_input_order(alice, charlie, run_now):
    add_keywords(alice, COFFEE)
    shuffled = COFFEE[:]
    random.Random(7).shuffle(shuffled)
    add_keywords(charlie, shuffled)
    run_now(alice.client(), URL, {"site_id": alice.site.pk, **SEMANTIC})
    ids = list(Keyword.objects.filter(site=charlie.site).order_by("-pk").values_list("pk", flat=True))
    run_now(charlie.client(), URL, {"ids": ids, **SEMANTIC})
    assert groups(alice.site) == groups(charlie.site) == EXPECTED


def test_reclustering_extends_existing_clusters_without_duplicates(alice, run_now):
    add_keywords(alice, COFFEE)
    run_now(alice.client(), URL, {"site_id": alice.site.pk, **SEMANTIC})
    add_keywords(
        alice,
        [
            ("home espresso machine", 600, 30),
            ("espresso machine for home", 500, 32),
            ("electric coffee grinder", 700, 20),
            ("coffee bean grinder", 650, 22),
        ],
    )

    _, run = run_now(alice.client(), URL, {"site_id": alice.site.pk, **SEMANTIC})

    assert run.status == "success", run.error
    assert groups(alice.site) == {
        "coffee grinder": sorted(
            EXPECTED["coffee grinder"] + ["coffee bean grinder", "electric coffee grinder"]
        ),
        "espresso machine": sorted(
            EXPECTED["espresso machine"] + ["espresso machine for home", "home espresso machine"]
        ),
        "cold brew recipe": EXPECTED["cold brew recipe"],
    }
    assert Cluster.objects.get(name="espresso machine").keywords_count == 6
    assert run.result["items"][0]["clusters_created"] == 0
    assert run.result["items"][0]["clusters_extended"] == 2


def test_semantic_clusters_are_named_by_the_model_when_one_is_configured(alice, run_now, openai_answers):
    add_keywords(alice, COFFEE)
    openai_answers.append(
        {
            "clusters": [
                {"number": 1, "name": "Coffee Grinders", "description": "Grinding beans at home."},
                {"number": 2, "name": "Espresso Machines", "description": ""},
            ]
        }
    )
    _, run = run_now(alice.client(), URL, {"site_id": alice.site.pk, **SEMANTIC})
    assert (run.status, run.provider, len(openai_answers.requests)) == ("success", "openai", 1)
    prompt = openai_answers.requests[0]["messages"][-1]["content"]
    assert "1. coffee grinder; best coffee grinder; burr grinder; conical burr grinder" in prompt
    # The model skipped cluster 3: it keeps its most representative keyword as its name.
    assert sorted(groups(alice.site)) == ["Coffee Grinders", "Espresso Machines", "cold brew recipe"]
    assert Cluster.objects.get(name="Coffee Grinders").description == "Grinding beans at home."


def test_the_threshold_is_auto_or_a_number_in_range(alice, run_now):
    """ "auto" is what leaving it out means (chosen per list); anything else names the field."""
    add_keywords(alice, COFFEE)
    for wrong in ("high", 1.5, 0.1, [0.7]):
        response = alice.client().post(URL, {"site_id": alice.site.pk, "threshold": wrong}, format="json")
        assert response.status_code == 400, wrong
        assert response.json()["errors"] == {
            "threshold": ['Must be "auto" (chosen for these keywords) or a number from 0.3 to 1.0.']
        }
    response, run = run_now(alice.client(), URL, {"site_id": alice.site.pk, "threshold": "auto"})
    assert (response.status_code, run.status, run.payload["threshold"]) == (202, "success", "auto")
