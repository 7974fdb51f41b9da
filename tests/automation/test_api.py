import pytest

from igny8.automation.models import AutomationRule, ScheduledTask, SiteLock
from igny8.writer.models import Task
from tests.automation.conftest import CHAIN, run_pending

RULES = "/api/v1/automation/rules/"
TASKS = "/api/v1/automation/scheduled-tasks/"


def create(api, alice, **extra):
    body = {"name": "Nightly", "site": alice.site.pk, "actions": CHAIN, **extra}
    return api.post(RULES, body, format="json")


def test_crud_with_schedule_description_and_next_runs(api, alice):
    response = create(api, alice, trigger="schedule", schedule="0 9 * * 1-5", timezone="Europe/Berlin")
    assert response.status_code == 201, response.content
    data = response.json()["data"]
    assert len(data["webhook_secret"]) == 64
    assert data["schedule_description"] == "At 09:00, Monday through Friday"
    assert len(data["next_runs"]) == 5 and data["next_run_at"] is not None
    assert data["webhook_url"] == f"/api/v1/automation/webhooks/{data['public_id']}/"
    detail = api.get(f"{RULES}{data['id']}/").json()["data"]
    assert "webhook_secret" not in detail
    patched = api.patch(f"{RULES}{data['id']}/", {"status": "paused"}, format="json")
    assert patched.json()["data"]["status"] == "paused"
    assert api.get(RULES).json()["count"] == 1
    assert api.delete(f"{RULES}{data['id']}/").status_code == 204
    assert AutomationRule.objects.count() == 0


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        (
            {"conditions": [{"field": "content.wordcount", "operator": "greater_than", "value": 1}]},
            "conditions",
            "conditions[0]: Unknown field 'content.wordcount'",
        ),
        (
            {"conditions": [{"field": "content.word_count", "operator": "greater_than", "value": "many"}]},
            "conditions",
            "conditions[0]: content.word_count is a number; got 'many'.",
        ),
        ({"trigger": "schedule", "schedule": "every day"}, "schedule", "'every day' is not a 5-field"),
        ({"trigger": "event"}, "event_type", "An event rule needs an event_type."),
        (
            {"actions": [{"type": "publish_to_facebook"}]},
            "actions",
            "actions[0]: Unknown action 'publish_to_facebook'; known: cluster_keywords,",
        ),
        (
            {"actions": [{"type": "publish_to_wordpress", "params": {"wp_status": "live"}}]},
            "actions",
            "actions[0].params.wp_status must be one of draft, publish, future; got 'live'.",
        ),
    ],
)
def test_bad_rules_are_refused_when_saved(api, alice, extra, field, message):
    response = create(api, alice, **extra)
    assert response.status_code == 400
    assert response.json()["errors"][field][0].startswith(message)
    assert AutomationRule.objects.count() == 0


def test_update_is_validated_against_the_whole_rule(api, alice):
    rule_id = create(api, alice).json()["data"]["id"]
    response = api.patch(f"{RULES}{rule_id}/", {"trigger": "schedule"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["schedule"] == [
        "A scheduled rule needs a cron expression, e.g. '0 9 * * 1-5'."
    ]


def test_action_types_lists_all_eight_with_costs_and_availability(api):
    rows = api.get(f"{RULES}action-types/").json()["data"]
    assert [(r["type"], r["available"], r["credits"]) for r in rows] == [
        ("cluster_keywords", True, 10),
        ("generate_ideas", True, 15),
        ("generate_content", True, 50),
        ("generate_images", True, 1),
        ("generate_site_structure", True, 20),
        ("generate_page_content", True, 30),
        ("optimize_content", True, 10),
        ("publish_to_wordpress", True, 5),
    ]
    assert {r["unavailable_reason"] for r in rows} == {""}
    # Issue 14: a batch's generation settings (content), the reference's ids (clustering, images).
    assert [p["name"] for p in rows[2]["params"]] == [
        "batch_size",
        "max_items",
        "item_delay_seconds",
        "author_profile_id",
        "content_structure",
        "word_count",
        "include_faq",
    ]
    assert [p["name"] for p in rows[0]["params"]][3:] == ["keyword_ids", "sector_id"]
    assert [p["name"] for p in rows[3]["params"]][3:] == ["content_id"]


def test_execute_progress_history_and_task_actions(api, alice, sent):
    rule_id = create(api, alice, actions=[{"type": "generate_content", "params": {}}]).json()["data"]["id"]
    Task.objects.create(account=alice.account, site=alice.site, title="T")
    assert api.get(f"{RULES}{rule_id}/progress/").json()["data"] == {"status": "idle"}
    response = api.post(f"{RULES}{rule_id}/execute/", {"context": {"note": "x"}}, format="json")
    assert response.status_code == 202
    queued = response.json()["data"]
    assert (queued["status"], queued["credits_estimated"], queued["source"]) == ("pending", 50, "manual")
    assert sent == [queued["id"]]
    run_pending()
    progress = api.get(f"{RULES}{rule_id}/progress/").json()["data"]
    assert (progress["status"], progress["percentage"], progress["current_action"]) == (
        "completed",
        100,
        "generate_content",
    )
    assert progress["phase"] == "Completed."
    history = api.get(f"{RULES}execution-history/").json()
    assert [row["id"] for row in history["results"]] == [queued["id"]]
    assert api.post(f"{TASKS}{queued['id']}/cancel/").status_code == 409
    rerun = api.post(f"{TASKS}{queued['id']}/rerun/")
    assert rerun.status_code == 202 and rerun.json()["data"]["rerun_of"] == queued["id"]
    again = rerun.json()["data"]["id"]
    assert api.post(f"{TASKS}{again}/pause/").json()["data"]["status"] == "paused"
    assert api.post(f"{TASKS}{again}/resume/").json()["data"]["status"] == "pending"
    assert api.post(f"{TASKS}{again}/cancel/").json()["data"]["status"] == "cancelled"
    assert api.get(f"{TASKS}?status=cancelled").json()["count"] == 1


def test_execute_a_rule_without_site_needs_one_of_the_account(api, alice, charlie, sent):
    rule_id = create(api, alice, site=None).json()["data"]["id"]
    missing = api.post(f"{RULES}{rule_id}/execute/", {}, format="json")
    assert missing.json()["errors"] == {"site_id": ["This rule is bound to no site: name one."]}
    other = api.post(f"{RULES}{rule_id}/execute/", {"site_id": charlie.site.pk}, format="json")
    assert other.status_code == 404
    ok = api.post(f"{RULES}{rule_id}/execute/", {"site_id": alice.site.pk}, format="json")
    assert ok.status_code == 202


def test_execute_refuses_without_credits(api, alice, sent):
    from igny8.accounts.models import Account

    rule_id = create(api, alice, actions=[{"type": "generate_content", "params": {}}]).json()["data"]["id"]
    Task.objects.create(account=alice.account, site=alice.site, title="T")
    Account.objects.filter(pk=alice.account.pk).update(credits=54)
    response = api.post(f"{RULES}{rule_id}/execute/", {}, format="json")
    assert response.status_code == 402
    assert response.json()["error"] == (
        "This needs 55 credits; the account holds 54. Add credits or select fewer items."
    )


def test_outsider_and_viewer_cannot_touch_rules_or_executions(api, alice, bob, charlie, sent):
    rule_id = create(api, alice).json()["data"]["id"]
    task_id = api.post(f"{RULES}{rule_id}/execute/", {}, format="json").json()["data"]["id"]
    outsider, viewer = charlie.client(), bob.client()
    for path in (f"{RULES}{rule_id}/execute/", f"{TASKS}{task_id}/cancel/", f"{TASKS}{task_id}/rerun/"):
        assert outsider.post(path, {}, format="json").status_code == 404
        assert viewer.post(path, {}, format="json").status_code == 403
    assert outsider.get(f"{RULES}{rule_id}/progress/").status_code == 404
    assert viewer.get(f"{RULES}{rule_id}/progress/").status_code == 200
    assert ScheduledTask.objects.get().status == "pending" and SiteLock.objects.count() == 0
