"""auto_cluster's LLM and SERP methods, its refusals (400/402) and the endpoint's tenancy."""

import pytest

from igny8.ai.models import AIRun
from igny8.planner.models import Cluster, Keyword
from tests.planner_ai.conftest import add_keywords
from tests.planner_ai.test_auto_cluster import COFFEE, SEMANTIC, URL, groups

pytestmark = pytest.mark.django_db
SIX = COFFEE[:6]  # espresso x4, burr grinder, coffee grinder


def test_llm_method_matches_back_case_insensitively_and_ignores_invented(alice, run_now, openai_answers):
    add_keywords(alice, SIX)
    openai_answers.extend(
        [
            {
                "clusters": [
                    {
                        "name": "Espresso Machines",
                        "description": "Machines for espresso.",
                        "keywords": ["ESPRESSO machine", "Best  Espresso Machine", "made-up keyword"],
                    },
                    {
                        "name": "Grinders",
                        "description": "",
                        "keywords": ["coffee grinder", "espresso machine"],
                    },
                ]
            },
            # The second batch names the same cluster in other case: it joins, never a duplicate.
            {"clusters": [{"name": "espresso machines", "description": "", "keywords": ["Espresso Maker"]}]},
        ]
    )

    _, run = run_now(
        alice.client(),
        URL,
        {"site_id": alice.site.pk, "method": "llm", "batch_size": 5, "min_cluster_size": 1},
    )

    assert (run.status, run.total, run.provider, run.credits_used) == ("success", 2, "openai", 20)
    first_prompt = openai_answers.requests[0]["messages"][-1]["content"]
    assert "Keywords (one per line):\nbest espresso machine\nburr grinder\ncoffee grinder\n" in first_prompt
    assert "website about Coffee" in first_prompt
    assert groups(alice.site) == {
        "Espresso Machines": ["best espresso machine", "espresso machine", "espresso maker"],
        "Grinders": ["coffee grinder"],
    }
    assert [(i["keywords_ignored"], i["keywords_left_unclustered"]) for i in run.result["items"]] == [
        (1, 2),
        (0, 0),
    ]
    assert Cluster.objects.get(name="Espresso Machines").description == "Machines for espresso."
    assert set(Keyword.objects.filter(status="new").values_list("keyword", flat=True)) == {
        "burr grinder",
        "espresso machines",
    }


def test_llm_method_offline_is_refused_with_the_way_out(alice, enqueued):
    add_keywords(alice, SIX)
    response = alice.client().post(URL, {"site_id": alice.site.pk, "method": "llm"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"].startswith("method: The llm method needs an AI provider")
    assert "add an OpenAI API key" in response.json()["error"]
    assert "use the semantic method" in response.json()["error"]
    assert AIRun.objects.count() == 0


SERP = [
    (
        "a keyword",
        100,
        10,
        "informational",
        ["https://u/1", "https://u/2", "https://u/3", "https://u/4", "https://u/5"],
    ),
    (
        "b keyword",
        90,
        20,
        "informational",
        ["https://u/1", "https://u/2", "https://u/3", "https://u/6", "https://u/7"],
    ),
    (
        "c keyword",
        80,
        30,
        "informational",
        ["https://u/3", "https://u/4", "https://u/5", "https://u/8", "https://u/9"],
    ),
    (
        "d keyword",
        70,
        40,
        "informational",
        ["https://u/3", "https://u/4", "https://u/5", "https://u/8", "https://u/x"],
    ),
    ("e keyword", 60, 50, "informational", []),
]


def add_serp(tenant):
    for text, volume, difficulty, intent, urls in SERP:
        add_keywords(tenant, [(text, volume, difficulty, intent)], serp_urls=urls)


def test_serp_soft_and_hard(alice, charlie, run_now):
    add_serp(alice)
    add_serp(charlie)
    _, soft = run_now(alice.client(), URL, {"site_id": alice.site.pk, "method": "serp"})
    _, hard = run_now(
        charlie.client(), URL, {"site_id": charlie.site.pk, "method": "serp", "serp_mode": "hard"}
    )
    assert (soft.status, hard.status) == ("success", "success")
    assert groups(alice.site) == {"a keyword": ["a keyword", "b keyword", "c keyword", "d keyword"]}
    assert groups(charlie.site) == {
        "a keyword": ["a keyword", "b keyword"],
        "c keyword": ["c keyword", "d keyword"],
    }
    # Shares no URLs: marked Not grouped (issue 15), not left "new" for every later run.
    assert Keyword.objects.get(site=alice.site, keyword="e keyword").status == "unclustered"
    assert Cluster.objects.get(site=charlie.site, name="c keyword").volume == 150


def test_too_few_keywords_is_a_clear_400(alice, enqueued):
    add_keywords(alice, SIX[:4])
    response = alice.client().post(URL, {"site_id": alice.site.pk}, format="json")
    assert (response.status_code, response.json()["error"]) == (
        400,
        "site_id: Auto-clustering needs at least 5 keywords; 4 are unclustered in this site.",
    )


@pytest.mark.parametrize(
    ("limit", "message"),
    [
        ("max_clusters", "allows 1 clusters (max_clusters); this would make 2 (now 1, adding 1)"),
        ("daily_cluster_limit", "allows 1 new clusters per day (daily_cluster_limit); this would make 2"),
    ],
)
def test_plan_limits_are_402(alice, enqueued, limit, message):
    add_keywords(alice, SIX)
    Cluster.objects.create(account=alice.account, site=alice.site, name="existing")
    setattr(alice.account.plan, limit, 1)
    alice.account.plan.save()
    response = alice.client().post(URL, {"site_id": alice.site.pk}, format="json")
    assert response.status_code == 402
    assert message in response.json()["error"]
    assert AIRun.objects.count() == 0


def test_daily_limit_caps_new_clusters_and_leaves_the_rest_new(alice, run_now, embedding_model):
    add_keywords(alice, COFFEE)
    alice.account.plan.daily_cluster_limit = 1
    alice.account.plan.save()
    _, run = run_now(alice.client(), URL, {"site_id": alice.site.pk, **SEMANTIC})
    assert list(Cluster.objects.values_list("name", flat=True)) == ["coffee grinder"]
    assert run.result["items"][0]["groups_over_plan_limit"] == 2
    assert Keyword.objects.filter(status="clustered").count() == 4


def test_endpoint_tenancy_and_202(alice, bob, charlie, enqueued):
    made = add_keywords(alice, SIX)
    ids = [k.pk for k in made]
    assert bob.client().post(URL, {"ids": ids}, format="json").status_code == 403
    assert charlie.client().post(URL, {"ids": ids}, format="json").status_code == 400
    assert charlie.client().post(URL, {"site_id": alice.site.pk}, format="json").status_code == 404
    both = alice.client().post(URL, {"ids": ids, "site_id": alice.site.pk}, format="json")
    assert both.status_code == 400
    assert AIRun.objects.count() == 0
    response = alice.client().post(URL, {"ids": ids, "method": "semantic"}, format="json")
    assert response.status_code == 202
    run = AIRun.objects.get(task_id=response.json()["data"]["task_id"])
    assert (run.function_name, run.site_id, run.payload["site_id"], run.credits_reserved) == (
        "auto_cluster",
        alice.site.pk,
        alice.site.pk,
        0,  # offline runs are free
    )
    assert Keyword.objects.filter(status="new").count() == 6  # nothing runs until a worker takes it
