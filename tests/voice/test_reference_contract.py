"""The reference's contract where we differed for no reason (issue 14 point 7)."""

import pytest

from igny8.ai.models import AIRun
from igny8.automation import conditions
from igny8.automation.actions.registry import validate_actions
from igny8.automation.models import ScheduledTask
from igny8.automation.selectors import task_progress
from igny8.writer.models import Content, Image
from tests.writer_ai.conftest import make_task

pytestmark = pytest.mark.django_db
RUNS = "/api/v1/ai/runs/"


def test_the_runs_endpoint_takes_the_references_function_names(alice):
    client = alice.client()
    task = make_task(alice, "Grind")
    content = Content.objects.create(account=alice.account, site=alice.site, title="C", html="<h2>A</h2>")
    image = Image.objects.create(account=alice.account, site=alice.site, content=content, prompt="a cup")
    for alias, ids, ours in [
        ("auto_generate_content", [task.pk], "generate_content"),
        ("extract_image_prompts", [content.pk], "generate_image_prompts"),
        ("generate_images_from_prompts", [image.pk], "generate_images"),
    ]:
        response = client.post(RUNS, {"function": alias, "payload": {"ids": ids}}, format="json")
        assert response.status_code == 202, response.json()
        run = AIRun.objects.get(task_id=response.json()["data"]["task_id"])
        assert run.function_name == ours
    unknown = client.post(RUNS, {"function": "auto_write", "payload": {}}, format="json")
    assert unknown.status_code == 400 and "function" in unknown.json()["errors"]


def test_image_generation_settings_carry_config_at_the_top_too(alice):
    body = alice.client().get("/api/v1/system/integrations/image_generation/").json()
    assert body["success"] is True
    assert body["config"] == body["data"]["config"]
    assert body["config"]["max_in_article_images"] == 2
    openai = alice.client().get("/api/v1/system/integrations/openai/").json()
    assert "config" not in openai and "config" in openai["data"]


@pytest.mark.parametrize(
    ("status", "state"),
    [
        ("pending", "PENDING"),
        ("running", "PROGRESS"),
        ("paused", "PROGRESS"),
        ("completed", "SUCCESS"),
        ("partially_completed", "SUCCESS"),
        ("failed", "FAILURE"),
        ("cancelled", "FAILURE"),
    ],
)
def test_automation_progress_reports_the_references_state_and_progress(status, state):
    progress = task_progress(task=ScheduledTask(status=status, percentage=40))
    assert (progress["status"], progress["state"], progress["percentage"], progress["progress"]) == (
        status,
        state,
        40,
        40,
    )


def test_actions_take_the_references_parameters():
    cleaned = validate_actions(
        [
            {"type": "cluster_keywords", "params": {"keyword_ids": [3, 4], "sector_id": 2}},
            {"type": "generate_images", "params": {"content_id": 9}},
        ]
    )
    assert [spec["params"] for spec in cleaned] == [
        {"keyword_ids": [3, 4], "sector_id": 2},
        {"content_id": 9},
    ]
    with pytest.raises(ValueError, match=r"keyword_ids must be a list of record ids; got \['a'\]"):
        validate_actions([{"type": "cluster_keywords", "params": {"keyword_ids": ["a"]}}])


def test_unprefixed_condition_fields_where_unambiguous(alice):
    rule = {
        "name": "Long ones",
        "site": alice.site.pk,
        "actions": [{"type": "generate_images", "params": {}}],
    }
    api = alice.client()
    saved = api.post(
        "/api/v1/automation/rules/",
        {
            **rule,
            "conditions": [{"any": [{"field": "word_count", "operator": "greater_than", "value": 900}]}],
        },
        format="json",
    )
    assert saved.status_code == 201, saved.json()
    assert saved.json()["data"]["conditions"] == [
        {"any": [{"field": "content.word_count", "operator": "greater_than", "value": 900}]}
    ]
    ambiguous = api.post(
        "/api/v1/automation/rules/",
        {**rule, "name": "x", "conditions": [{"field": "volume", "operator": "greater_than", "value": 1}]},
        format="json",
    )
    assert ambiguous.status_code == 400
    assert ambiguous.json()["errors"]["conditions"] == [
        "conditions[0]: Field 'volume' is ambiguous; write one of cluster.volume, keyword.volume."
    ]
    assert conditions.UNPREFIXED["keywords_count"] == "cluster.keywords_count"
    assert "status" not in conditions.UNPREFIXED


def test_every_ai_endpoint_answers_the_same_202_body(alice):
    from tests.planner_ai.conftest import add_cluster

    client = alice.client()
    task = make_task(alice, "Grind")
    cluster = add_cluster(alice, "Grinders", [("burr grinder", 900, 30)])
    content = Content.objects.create(account=alice.account, site=alice.site, title="C", html="<h2>A</h2>")
    # One run per record at a time (ai.holds): each start gets records of its own.
    other = Content.objects.create(account=alice.account, site=alice.site, title="D", html="<h2>B</h2>")
    second = make_task(alice, "Brew")
    started = [
        ("/api/v1/writer/tasks/auto_generate_content/", {"ids": [task.pk]}, "Generate content"),
        ("/api/v1/planner/clusters/auto_generate_ideas/", {"ids": [cluster.pk]}, "Generate ideas"),
        ("/api/v1/writer/content/generate_image_prompts/", {"ids": [content.pk]}, "Generate image prompts"),
        (f"/api/v1/writer/content/{other.pk}/optimize/", {}, "Optimise content"),
        (f"/api/v1/publishing/sites/{alice.site.pk}/structure/", {}, "Generate site structure"),
        (RUNS, {"function": "auto_generate_content", "payload": {"ids": [second.pk]}}, "Generate content"),
    ]
    for url, body, title in started:
        response = client.post(url, body, format="json")
        assert response.status_code == 202, (url, response.json())
        answer = response.json()
        run = AIRun.objects.get(task_id=answer["data"]["task_id"])
        assert answer == {
            "success": True,
            "data": {
                "task_id": run.task_id,
                "function": run.function_name,
                "status": "pending",
                "credits_reserved": run.credits_reserved,
            },
            "message": f"{title}: queued.",
        }, url
    refused = client.post(f"/api/v1/writer/content/{content.pk}/optimize/", {"tone": "x"}, format="json")
    assert refused.status_code == 400 and "tone" in refused.json()["errors"]
