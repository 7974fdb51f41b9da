import pytest

from igny8.ai.models import AIRun
from igny8.planner.models import ContentIdea
from tests.planner_ai.conftest import add_cluster

pytestmark = pytest.mark.django_db
URL = "/api/v1/planner/clusters/auto_generate_ideas/"
ESPRESSO = [
    ("espresso machine", 5000, 40),
    ("breville espresso machine", 2000, 30, "commercial"),
    ("delonghi espresso machine", 1500, 28, "commercial"),
    ("how to descale an espresso machine", 800, 12),
    ("what is crema", 400, 5),
]


def test_offline_ideas_are_whole_drafts_and_skip_existing_titles(alice, run_now):
    cluster = add_cluster(alice, "Espresso machines", ESPRESSO)
    ContentIdea.objects.create(
        account=alice.account, site=alice.site, title="espresso machine -- the COMPLETE guide!"
    )

    response, run = run_now(alice.client(), URL, {"ids": [cluster.pk]})

    assert response.status_code == 202
    assert (run.status, run.provider, run.result["offline"]) == ("success", "offline", True)
    ideas = list(ContentIdea.objects.filter(cluster=cluster).order_by("pk"))
    assert [i.title for i in ideas] == [
        "Breville Espresso Machine vs Delonghi Espresso Machine: Which Should You Choose?",
        "2 Questions About Espresso Machine, Answered",
        "How to Descale an Espresso Machine: Step by Step",
        "Espresso Machine: Tips and Best Practices",
    ]
    assert [(i.content_structure, i.content_type, i.estimated_word_count) for i in ideas] == [
        ("comparison", "post", 1800),
        ("listicle", "post", 1500),
        ("how_to", "post", 1500),
        ("listicle", "post", 1200),
    ]
    assert [i.primary_keyword for i in ideas] == [
        "breville espresso machine",
        "how to descale an espresso machine",
        "how to descale an espresso machine",
        "espresso machine",
    ]
    assert ideas[3].secondary_keywords == [
        "breville espresso machine",
        "delonghi espresso machine",
        "how to descale an espresso machine",
        "what is crema",
    ]
    assert ideas[1].outline == [
        {"heading": "How to Descale an Espresso Machine?", "subsections": ["Short answer", "In more detail"]},
        {"heading": "What Is Crema?", "subsections": ["Short answer", "In more detail"]},
    ]
    assert all(i.description.startswith("[Offline draft] ") for i in ideas)
    assert run.result["items"] == [
        {
            "item": f"{cluster.pk} Espresso machines",
            "status": "success",
            "cluster": "Espresso machines",
            "created": 4,
            "idea_ids": [i.pk for i in ideas],
            "skipped_duplicates": ["Espresso Machine: The Complete Guide"],
        }
    ]
    cluster.refresh_from_db()
    assert cluster.status == "active"
    assert run.credits_used == 0  # offline runs are free


def test_offline_guide_outline_and_second_run_adds_nothing(alice, run_now):
    cluster = add_cluster(alice, "Espresso machines", ESPRESSO)
    run_now(alice.client(), URL, {"ids": [cluster.pk]})
    guide = ContentIdea.objects.get(content_structure="guide")
    assert guide.title == "Espresso Machine: The Complete Guide"
    assert guide.outline == [
        {
            "heading": "What Is Espresso Machine?",
            "subsections": ["Why espresso machine matters", "Key terms to know"],
        },
        {
            "heading": "Breville Espresso Machine",
            "subsections": ["Breville Espresso Machine basics", "Tips for breville espresso machine"],
        },
        {
            "heading": "Delonghi Espresso Machine",
            "subsections": ["Delonghi Espresso Machine basics", "Tips for delonghi espresso machine"],
        },
        {
            "heading": "Frequently Asked Questions",
            "subsections": ["How to Descale an Espresso Machine?", "What Is Crema?"],
        },
    ]
    assert ContentIdea.objects.count() == 5

    _, again = run_now(alice.client(), URL, {"ids": [cluster.pk]})
    assert ContentIdea.objects.count() == 5
    assert (again.result["items"][0]["created"], len(again.result["items"][0]["skipped_duplicates"])) == (
        0,
        5,
    )


def test_model_answer_is_stored_whole_and_held_to_cluster_keywords(alice, run_now, openai_answers):
    cluster = add_cluster(alice, "Espresso machines", ESPRESSO)
    idea = {
        "title": "Espresso at Home",
        "description": "Why and how.",
        "outline": [
            {"heading": "Beans", "subsections": ["Roast", "Grind"]},
            {"heading": "Milk", "subsections": []},
        ],
        "primary_keyword": "ESPRESSO Machine",
        "secondary_keywords": ["what is crema", "invented keyword", "espresso machine"],
        "content_type": "Blog post",
        "content_structure": "How-to",
        "estimated_word_count": 50,
    }
    too_few = {"ideas": [idea]}
    enough = {
        "ideas": [
            idea,
            {**idea, "title": "Crema Explained", "primary_keyword": "made up"},
            {**idea, "title": "espresso at home!", "content_structure": "review"},
        ]
    }
    openai_answers.extend([too_few, enough])

    _, run = run_now(alice.client(), URL, {"ids": [cluster.pk]})

    assert (run.status, run.provider, run.result["offline"]) == ("success", "openai", False)
    assert len(openai_answers.requests) == 2  # the repair call after too few ideas
    assert "Expected between 3 and 7 ideas" in openai_answers.requests[1]["messages"][-1]["content"]
    prompt = openai_answers.requests[0]["messages"][-1]["content"]
    assert "Cluster: Espresso machines" in prompt
    assert "espresso machine (volume 5000, difficulty 40)" in prompt
    ideas = list(ContentIdea.objects.filter(cluster=cluster).order_by("pk"))
    assert [
        (i.title, i.primary_keyword, i.secondary_keywords, i.content_type, i.content_structure) for i in ideas
    ] == [
        ("Espresso at Home", "espresso machine", ["what is crema"], "post", "how_to"),
        ("Crema Explained", "espresso machine", ["what is crema"], "post", "how_to"),
    ]
    assert ideas[0].outline == idea["outline"]
    assert ideas[0].estimated_word_count == 300
    assert run.result["items"][0]["skipped_duplicates"] == ["espresso at home!"]


def test_endpoint_refuses_viewer_and_other_accounts_ids(alice, bob, charlie, enqueued):
    cluster = add_cluster(alice, "Espresso machines", ESPRESSO)
    assert bob.client().post(URL, {"ids": [cluster.pk]}, format="json").status_code == 403
    response = charlie.client().post(URL, {"ids": [cluster.pk]}, format="json")
    assert response.status_code == 400
    assert response.json()["error"] == f"ids: No such record(s) in this account: {cluster.pk}."
    assert alice.client().post(URL, {"ids": []}, format="json").status_code == 400
    assert AIRun.objects.count() == 0 and enqueued == []
    response = alice.client().post(URL, {"ids": [cluster.pk]}, format="json")
    assert response.status_code == 202
    assert AIRun.objects.get().task_id == response.json()["data"]["task_id"]
