"""The automation pages: rules list, editor (builders, cron preview, inline errors), the rule's
workflow, the execution monitor and the history; executions run in-process as a worker would."""

from datetime import UTC, datetime
from html import unescape

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from igny8.accounts.models import Account
from igny8.automation import execution, services
from igny8.automation.models import AutomationRule, ScheduledTask
from igny8.planner.models import Cluster, ContentIdea, Keyword

CLUSTER = {"type": "cluster_keywords", "params": {}}
IDEAS = {"type": "generate_ideas", "params": {"max_items": 5}}
WORDS = ("espresso machine", "espresso grinder", "moka pot", "pour over kettle", "french press", "cold brew")


@pytest.fixture(autouse=True)
def _inline_ai(settings):
    """The AI runs of an execution run on the executing thread (the test database is one transaction)."""
    settings.AUTOMATION_AI_THREADED = False


@pytest.fixture
def rule(alice):
    return services.rule_create(
        account=alice.account, name="Nightly", site=alice.site, actions=[CLUSTER, IDEAS]
    )


def keywords(alice, *words):
    return [
        Keyword.objects.create(account=alice.account, site=alice.site, keyword=w, normalized=w, volume=100)
        for w in words
    ]


def text(response) -> str:
    return unescape(response.content.decode())


def form(**extra) -> dict:
    """The editor's POST for a manual rule of alice's site with one action."""
    body = {
        "name": "From the form",
        "description": "",
        "site": "",
        "trigger": "manual",
        "schedule": "",
        "timezone": "UTC",
        "event_type": "",
        "status": "active",
        "is_active": "on",
        "max_credits_per_run": "",
        "step_delay_seconds": "0",
        "order": ["0"],
        "actions-0-type": "cluster_keywords",
        "actions-0-param-batch_size": "0",
        "actions-0-param-max_items": "1000",
        "actions-0-param-item_delay_seconds": "0",
    }
    body.update(extra)
    return body


# -- pages -----------------------------------------------------------------------------------------
def test_rules_list_shows_each_rule(web, alice, rule):
    services.rule_create(
        account=alice.account,
        name="Weekdays",
        trigger="schedule",
        schedule="0 9 * * 1-5",
        actions=[CLUSTER],
    )
    response = web.get("/automation/")
    page = text(response)
    assert response.status_code == 200
    assert "2 rule(s)." in page
    assert (
        '<code>0 9 * * 1-5</code> <small class="muted">At 09:00, Monday through Friday (UTC)</small>' in page
    )
    assert "Any site" in page and "Alice Site" in page
    assert page.count(">Never<") == 2
    assert f'action="/automation/{rule.pk}/execute/"' in page
    assert f'href="/automation/{rule.pk}/edit/"' in page
    assert f'href="/automation/{rule.pk}/delete/"' in page
    assert '<a href="/automation/" aria-current="page">Rules</a>' in page


def test_new_rule_page_offers_sites_actions_and_fields(web, alice):
    page = text(web.get("/automation/new/"))
    assert "New automation rule" in page
    assert f'<option value="{alice.site.pk}" selected>Alice Site</option>' in page
    assert '<option value="cluster_keywords">Cluster keywords (10 credit(s) per unit)</option>' in page
    assert '<optgroup label="Keyword"><option value="keyword.keyword">keyword.keyword (text)</option>' in page
    assert 'data-action-template="generate_ideas"' in page
    assert 'name="actions-__K__-param-queue_to_writer" value="true" checked' in page
    assert "Type a 5-field cron expression" in page


def test_rule_detail_and_workflow_before_any_run(web, rule):
    page = text(web.get(f"/automation/{rule.pk}/"))
    assert "<h1>Nightly</h1>" in page
    assert "Not run yet." in page
    assert '<span class="wf-no">1</span> Cluster keywords' in page
    assert '<span class="wf-no">2</span> Generate ideas' in page
    assert "max_items=5" in page
    assert page.count('data-state="pending"') == 2
    assert f"/api/v1/automation/webhooks/{rule.public_id}/" in page
    # How to sign, with the replay window (docs/automation.md#webhooks).
    assert "<code>sha256=</code> followed by the hex HMAC-SHA256 of <code>{timestamp}.{body}</code>" in page
    assert "A timestamp more than 300 seconds from the server's clock is refused (401)" in page
    assert f'-d "$body" http://testserver/api/v1/automation/webhooks/{rule.public_id}/</code>' in page
    assert "data-finished" in page and "hx-trigger" not in page.split('id="workflow"')[1].split(">")[0]


def test_edit_page_shows_the_rule_in_the_builders(web, alice):
    rule = services.rule_create(
        account=alice.account,
        name="Filtered",
        site=alice.site,
        conditions=[
            {"field": "keyword.volume", "operator": "greater_than", "value": 100},
            {
                "any": [
                    {"field": "keyword.intent", "operator": "in", "value": ["commercial", "informational"]}
                ]
            },
        ],
        actions=[IDEAS],
    )
    page = text(web.get(f"/automation/{rule.pk}/edit/"))
    assert 'name="conditions-0-value" value="100"' in page
    assert '<option value="greater_than" selected>greater than</option>' in page
    assert (
        'name="conditions-1-kind"' in page
        and '<option value="any" selected>any of these (OR)</option>' in page
    )
    assert 'name="conditions-1-0-value" value="commercial, informational"' in page
    assert 'id="a0-max_items" name="actions-0-param-max_items" value="5"' in page
    assert "Rotate secret" in page


# -- saving ----------------------------------------------------------------------------------------
def test_create_rule_through_the_form(web, alice):
    body = form(
        name="Weekday mornings",
        site=str(alice.site.pk),
        trigger="schedule",
        schedule="0 9 * * 1-5",
        timezone="Europe/Berlin",
        max_credits_per_run="200",
        step_delay_seconds="1.5",
        condition=["0", "3"],
        **{
            "conditions-0-kind": "condition",
            "conditions-0-field": "keyword.volume",
            "conditions-0-operator": "greater_than",
            "conditions-0-value": "100",
            "conditions-3-kind": "any",
            "conditions-3-child": ["0", "2"],
            "conditions-3-0-field": "keyword.intent",
            "conditions-3-0-operator": "in",
            "conditions-3-0-value": "commercial, informational",
            "conditions-3-2-field": "keyword.difficulty",
            "conditions-3-2-operator": "less_than",
            "conditions-3-2-value": "30.5",
            # The cards' order in the form, not their keys, is the order saved.
            "order": ["4", "0"],
            "actions-4-type": "generate_ideas",
            "actions-4-param-batch_size": "2",
            "actions-4-param-max_items": "5",
            "actions-4-param-item_delay_seconds": "0",
            "actions-4-param-queue_to_writer": ["false"],
        },
    )
    response = web.post("/automation/new/", body)
    rule = AutomationRule.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/automation/{rule.pk}/"
    assert (rule.account, rule.site, rule.name) == (alice.account, alice.site, "Weekday mornings")
    assert (rule.trigger, rule.schedule, rule.timezone) == ("schedule", "0 9 * * 1-5", "Europe/Berlin")
    assert (rule.max_credits_per_run, rule.step_delay_seconds, rule.status, rule.is_active) == (
        200,
        1.5,
        "active",
        True,
    )
    assert rule.conditions == [
        {"field": "keyword.volume", "operator": "greater_than", "value": 100},
        {
            "any": [
                {"field": "keyword.intent", "operator": "in", "value": ["commercial", "informational"]},
                {"field": "keyword.difficulty", "operator": "less_than", "value": 30.5},
            ]
        },
    ]
    assert rule.actions == [
        {
            "type": "generate_ideas",
            "params": {"batch_size": 2, "max_items": 5, "item_delay_seconds": 0, "queue_to_writer": False},
        },
        {"type": "cluster_keywords", "params": {"batch_size": 0, "max_items": 1000, "item_delay_seconds": 0}},
    ]
    assert rule.next_run_at is not None
    secret = rule.webhook_secret["secret"]
    first = text(web.get(response["Location"]))
    assert f'<code class="wrap" data-secret>{secret}</code>' in first
    assert "At 09:00, Monday through Friday" in first
    assert secret not in text(web.get(response["Location"]))  # shown once


def test_checkbox_param_ticked_is_true(web, alice):
    body = form(
        order=["0"],
        **{
            "actions-0-type": "generate_ideas",
            "actions-0-param-queue_to_writer": ["false", "true"],
            "actions-0-param-batch_size": "",
            "actions-0-param-max_items": "",
            "actions-0-param-item_delay_seconds": "",
        },
    )
    assert web.post("/automation/new/", body).status_code == 302
    assert AutomationRule.objects.get().actions == [
        {"type": "generate_ideas", "params": {"queue_to_writer": True}}
    ]


def test_edit_reorders_actions(web, rule):
    body = form(
        name="Nightly",
        site=str(rule.site_id),
        order=["1", "0"],
        **{
            "actions-0-type": "cluster_keywords",
            "actions-1-type": "generate_ideas",
            "actions-1-param-max_items": "7",
        },
    )
    del body["actions-0-param-batch_size"], body["actions-0-param-item_delay_seconds"]
    response = web.post(f"/automation/{rule.pk}/edit/", body)
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.actions == [
        {"type": "generate_ideas", "params": {"max_items": 7}},
        {"type": "cluster_keywords", "params": {"max_items": 1000}},
    ]
    assert AutomationRule.objects.count() == 1


def test_bad_cron_is_shown_on_its_field(web, alice):
    response = web.post("/automation/new/", form(trigger="schedule", schedule="0 9 * *"))
    page = text(response)
    assert response.status_code == 400
    assert (
        '<p class="error" id="id_schedule-error" role="alert">'
        "'0 9 * *' is not a 5-field cron expression (minute hour day month weekday).</p>"
    ) in page
    assert 'value="0 9 * *"' in page  # what was typed stays
    event = web.post("/automation/new/", form(trigger="event"))
    assert event.status_code == 400
    assert 'id="id_event_type-error" role="alert">An event rule needs an event_type.</p>' in text(event)
    assert AutomationRule.objects.count() == 0


def test_bad_condition_value_is_shown_on_its_row(web, alice):
    body = form(
        condition=["0", "1"],
        **{
            "conditions-0-kind": "condition",
            "conditions-0-field": "keyword.intent",
            "conditions-0-operator": "equals",
            "conditions-0-value": "commercial",
            "conditions-1-kind": "any",
            "conditions-1-child": ["0"],
            "conditions-1-0-field": "keyword.volume",
            "conditions-1-0-operator": "greater_than",
            "conditions-1-0-value": "lots",
        },
    )
    response = web.post("/automation/new/", body)
    page = text(response)
    assert response.status_code == 400
    assert (
        '<p class="error" id="conditions-1-0-error" role="alert">'
        "conditions[1].any[0]: keyword.volume is a number; got 'lots'.</p>"
    ) in page
    assert 'name="conditions-1-0-value" value="lots" placeholder="e.g. 100, or a, b for one of"' in page
    assert 'for one of" aria-invalid="true" aria-describedby="conditions-1-0-error">' in page
    assert AutomationRule.objects.count() == 0


def test_unknown_action_param_is_shown_on_its_card(web, alice):
    response = web.post("/automation/new/", form(**{"actions-0-param-speed": "3"}))
    page = text(response)
    assert response.status_code == 400
    assert (
        '<p class="error" id="actions-0-error" role="alert">'
        # cluster_keywords also takes the reference's keyword_ids and sector_id (issue 14)
        "actions[0].params: unknown speed; known: batch_size, max_items, item_delay_seconds, keyword_ids, "
        "sector_id.</p>"
    ) in page
    assert "Not a parameter of this action." in page
    assert AutomationRule.objects.count() == 0


def test_out_of_range_param_and_missing_name(web, alice):
    response = web.post("/automation/new/", form(**{"actions-0-param-max_items": "0"}))
    page = text(response)
    assert response.status_code == 400
    assert 'role="alert">actions[0].params.max_items must be at least 1; got 0.</p>' in page
    assert 'id="a0-max_items" name="actions-0-param-max_items" value="0"' in page
    # Like the API: the rule-wide checks run once the fields themselves are valid.
    unnamed = web.post("/automation/new/", form(name=""))
    assert unnamed.status_code == 400
    assert '<p class="error" id="id_name-error" role="alert">This field is required.</p>' in text(unnamed)
    assert AutomationRule.objects.count() == 0


def test_negative_step_delay_is_refused_not_a_crash(web, alice):
    response = web.post("/automation/new/", form(step_delay_seconds="-1"))
    assert response.status_code == 400
    assert "Ensure this value is greater than or equal to 0." in text(response)
    assert AutomationRule.objects.count() == 0


def test_builder_buttons_work_without_javascript(web, rule):
    body = form(
        name="Nightly",
        order=["0", "1"],
        op="move-up:1",
        **{"actions-1-type": "generate_ideas", "actions-1-param-max_items": "5"},
    )
    page = text(web.post(f"/automation/{rule.pk}/edit/", body))
    assert page.index('data-action="1"') < page.index('data-action="0"')
    added = text(web.post("/automation/new/", form(op="add-action", add_type="generate_content")))
    assert 'name="actions-1-type" value="generate_content"' in added
    grouped = text(web.post("/automation/new/", form(op="add-group")))
    assert 'name="conditions-0-kind"' in grouped and 'name="conditions-0-child" value="0"' in grouped
    removed = text(web.post("/automation/new/", form(op="remove-action:0")))
    assert 'name="order" value="0"' not in removed
    rule.refresh_from_db()
    assert rule.actions == [CLUSTER, IDEAS] and AutomationRule.objects.count() == 1


# -- schedule preview ------------------------------------------------------------------------------
def test_schedule_preview_description_and_next_runs(web):
    with time_machine.travel(datetime(2025, 1, 1, 12, tzinfo=UTC), tick=False):
        response = web.get("/automation/schedule-preview/", {"schedule": "0 9 * * 1-5", "timezone": "UTC"})
    page = text(response)
    assert response.status_code == 200 and "<html" not in page
    assert '<strong class="schedule-description">At 09:00, Monday through Friday</strong>' in page
    assert [line.split(">")[-1] for line in page.split("</time>")[:-1]] == [
        "Thu 2025-01-02 09:00 UTC",
        "Fri 2025-01-03 09:00 UTC",
        "Mon 2025-01-06 09:00 UTC",
        "Tue 2025-01-07 09:00 UTC",
        "Wed 2025-01-08 09:00 UTC",
    ]
    assert '<time datetime="2025-01-02T09:00:00+00:00">' in page


def test_schedule_preview_in_a_time_zone_and_errors(web):
    with time_machine.travel(datetime(2025, 1, 1, 12, tzinfo=UTC), tick=False):
        berlin = text(
            web.get("/automation/schedule-preview/", {"schedule": "0 9 * * 1-5", "timezone": "Europe/Berlin"})
        )
    assert "Thu 2025-01-02 09:00 Europe/Berlin (08:00 UTC)" in berlin
    bad = text(web.get("/automation/schedule-preview/", {"schedule": "61 * * * *", "timezone": "UTC"}))
    assert "'61 * * * *' is not a valid cron expression" in bad
    zone = text(web.get("/automation/schedule-preview/", {"schedule": "0 9 * * *", "timezone": "Mars/Base"}))
    assert "Unknown time zone 'Mars/Base'; use an IANA name like Europe/Berlin." in zone


# -- executions ------------------------------------------------------------------------------------
def test_execute_then_run_then_monitor_workflow_and_history(web, alice, rule, monkeypatch):
    monkeypatch.setattr("igny8.billing.selectors.FREE_PROVIDERS", ())  # priced, though offline
    keywords(alice, *WORDS)  # auto_cluster needs at least 5
    response = web.post(f"/automation/{rule.pk}/execute/")
    task = ScheduledTask.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/automation/executions/{task.pk}/"
    assert (task.status, task.source, task.site, task.created_by) == (
        "pending",
        "manual",
        alice.site,
        alice.user,
    )
    # 1 clustering run (10) + ideas for ceil(6 / 5) = 2 clusters (2 x 15).
    assert (task.total_actions, task.credits_estimated) == (2, 40)
    pending = text(web.get(response["Location"]))
    assert '0%</strong> · <span class="phase">Queued.</span>' in pending
    assert "data-running" in pending and 'id="btn-cancel"' in pending

    assert execution.execute(task_id=task.pk) == "completed"
    task.refresh_from_db()
    page = text(web.get(f"/automation/executions/{task.pk}/progress/"))
    assert "<html" not in page and "data-finished" in page and "hx-trigger" not in page
    assert '100%</strong> · <span class="phase">Completed.</span>' in page
    assert page.count('data-state="completed"') == 2
    clusters = Cluster.objects.filter(site=alice.site).count()
    clustered = Keyword.objects.filter(site=alice.site, cluster__isnull=False).count()
    assert f"{clusters} clusters · 6 keywords · {clustered} keywords clustered" in page
    ideas = ContentIdea.objects.filter(site=alice.site).count()
    assert f"{clusters} clusters · {ideas} ideas · {ideas} tasks queued" in page
    assert f"<dt>Credits used</dt><dd>{task.credits_used}</dd>" in page
    assert 'id="btn-rerun"' in page and 'id="btn-cancel"' not in page

    workflow = text(web.get(f"/automation/{rule.pk}/workflow/"))
    assert workflow.count('data-state="completed"') == 2 and "data-finished" in workflow
    listing = text(web.get("/automation/"))
    last_run = f'<a href="/automation/executions/{task.pk}/"><span class="status status-completed">'
    assert f"{last_run}Completed</span></a>" in listing
    history = text(web.get(f"/automation/history/?rule={rule.pk}"))
    assert "1 execution(s)." in history
    assert f"<td>{task.credits_used} / 40</td>" in history
    assert f'aria-label="Re-run execution {task.pk}"' in history


def test_running_execution_shows_its_current_action(web, alice, rule):
    task = services.rule_execute(rule=rule, user=alice.user)
    ScheduledTask.objects.filter(pk=task.pk).update(
        status="running",
        current_index=2,
        current_action="generate_ideas",
        percentage=60,
        message="Executing action 2/2: Generate ideas",
        results=[{"index": 0, "type": "cluster_keywords", "status": "success", "counts": {"clusters": 1}}],
    )
    page = text(web.get(f"/automation/executions/{task.pk}/"))
    assert "<dd>2/2 Generate ideas</dd>" in page
    assert 'data-step="1" data-state="completed"' in page
    assert 'data-step="2" data-state="running" aria-current="step"' in page
    assert f'hx-get="/automation/executions/{task.pk}/progress/" hx-trigger="every 1s"' in page
    assert 'id="btn-pause"' in page and 'id="btn-cancel"' in page
    workflow = text(web.get(f"/automation/{rule.pk}/workflow/"))
    assert f'hx-get="/automation/{rule.pk}/workflow/" hx-trigger="every 1s"' in workflow


def test_execute_refusals_are_readable(web, alice, rule, monkeypatch):
    monkeypatch.setattr("igny8.billing.selectors.FREE_PROVIDERS", ())  # priced, though offline
    keywords(alice, "espresso machine")
    Account.objects.filter(pk=alice.account.pk).update(credits=1)
    response = web.post(f"/automation/{rule.pk}/execute/")
    assert response.status_code == 402
    assert "Nightly: This needs 28 credits; the account holds 1. Add credits or select fewer items." in text(
        response
    )
    AutomationRule.objects.filter(pk=rule.pk).update(status="paused")
    paused = web.post(f"/automation/{rule.pk}/execute/")
    assert paused.status_code == 409
    assert "Nightly: This rule is paused; activate it first." in text(paused)
    assert ScheduledTask.objects.count() == 0


def test_rule_without_site_runs_for_the_current_site(web, alice):
    rule = services.rule_create(account=alice.account, name="Anywhere", actions=[CLUSTER])
    assert f'<input type="hidden" name="site_id" value="{alice.site.pk}">' in text(web.get("/automation/"))
    response = web.post(f"/automation/{rule.pk}/execute/", {"site_id": alice.site.pk})
    assert response.status_code == 302
    assert ScheduledTask.objects.get().site == alice.site
    missing = web.post(f"/automation/{rule.pk}/execute/")
    assert missing.status_code == 400
    assert "Anywhere: Site: This rule is bound to no site: name one." in text(missing)


def test_cancel_pause_resume_a_pending_execution(web, alice, rule):
    task = services.rule_execute(rule=rule, user=alice.user)
    assert web.post(f"/automation/executions/{task.pk}/pause/").status_code == 302
    task.refresh_from_db()
    assert task.status == "paused"
    page = text(web.get(f"/automation/executions/{task.pk}/"))
    assert 'id="btn-resume"' in page and 'id="btn-pause"' not in page and "data-finished" in page
    assert web.post(f"/automation/executions/{task.pk}/resume/").status_code == 302
    task.refresh_from_db()
    assert task.status == "pending"
    response = web.post(f"/automation/executions/{task.pk}/cancel/")
    assert response.status_code == 302 and response["Location"] == f"/automation/executions/{task.pk}/"
    task.refresh_from_db()
    assert (task.status, task.message) == ("cancelled", "Cancelled.")
    again = web.post(f"/automation/executions/{task.pk}/cancel/")
    assert again.status_code == 409
    assert "This execution already ended (cancelled)." in text(again)
    assert web.post(f"/automation/executions/{task.pk}/explode/").status_code == 404


def test_rerun_an_ended_execution(web, alice, rule):
    task = services.rule_execute(rule=rule, user=alice.user)
    running = web.post(f"/automation/executions/{task.pk}/rerun/")
    assert running.status_code == 409
    assert "Only an ended execution can run again; this one is pending." in text(running)
    services.execution_cancel(task=task)
    response = web.post(f"/automation/executions/{task.pk}/rerun/")
    again = ScheduledTask.objects.exclude(pk=task.pk).get()
    assert response.status_code == 302 and response["Location"] == f"/automation/executions/{again.pk}/"
    assert (again.status, again.source, again.rerun_of) == ("pending", "rerun", task)
    assert f're-run of <a href="/automation/executions/{task.pk}/">' in text(web.get(response["Location"]))


def test_delete_asks_then_deletes(web, alice, rule):
    services.rule_execute(rule=rule, user=alice.user)
    confirm = text(web.get(f"/automation/{rule.pk}/delete/"))
    assert "The rule and its 1 execution(s) are deleted." in confirm
    assert AutomationRule.objects.count() == 1
    response = web.post(f"/automation/{rule.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == f"/automation/?deleted={rule.pk}"
    assert AutomationRule.objects.count() == 0 and ScheduledTask.objects.count() == 0


def test_rotate_secret_shows_the_new_one_once(web, rule):
    old = rule.webhook_secret["secret"]
    response = web.post(f"/automation/{rule.pk}/secret/", {"next": "edit"})
    assert response["Location"] == f"/automation/{rule.pk}/edit/#webhook"
    rule.refresh_from_db()
    new = rule.webhook_secret["secret"]
    assert new != old and len(new) == 64
    assert new in text(web.get(f"/automation/{rule.pk}/edit/"))
    assert new not in text(web.get(f"/automation/{rule.pk}/edit/"))


# -- tenancy and roles -----------------------------------------------------------------------------
def test_other_account_gets_404(other, alice, rule):
    task = services.rule_execute(rule=rule, user=alice.user)
    for url in (
        f"/automation/{rule.pk}/",
        f"/automation/{rule.pk}/edit/",
        f"/automation/{rule.pk}/workflow/",
        f"/automation/{rule.pk}/delete/",
        f"/automation/executions/{task.pk}/",
        f"/automation/executions/{task.pk}/progress/",
    ):
        assert other.get(url).status_code == 404, url
    for url in (
        f"/automation/{rule.pk}/edit/",
        f"/automation/{rule.pk}/execute/",
        f"/automation/{rule.pk}/delete/",
        f"/automation/{rule.pk}/secret/",
        f"/automation/executions/{task.pk}/cancel/",
        f"/automation/executions/{task.pk}/pause/",
        f"/automation/executions/{task.pk}/rerun/",
    ):
        assert other.post(url, form()).status_code == 404, url
    assert "Nightly" not in text(other.get("/automation/"))
    assert "0 execution(s)." in text(other.get("/automation/history/"))
    assert ScheduledTask.objects.get().status == "pending" and AutomationRule.objects.count() == 1


def test_viewer_sees_pages_without_buttons_and_cannot_write(viewer, alice, rule):
    task = services.rule_execute(rule=rule, user=alice.user)
    services.execution_cancel(task=task)
    secret = rule.webhook_secret["secret"]
    listing = text(viewer.get("/automation/"))
    assert "Nightly" in listing
    for word in ("New rule", "Execute", ">Edit<", ">Delete<"):
        assert word not in listing
    monitor = text(viewer.get(f"/automation/executions/{task.pk}/"))
    assert "btn-rerun" not in monitor and "Rotate secret" not in text(viewer.get(f"/automation/{rule.pk}/"))
    assert "Re-run" not in text(viewer.get("/automation/history/"))
    for url in ("/automation/new/", f"/automation/{rule.pk}/edit/", f"/automation/{rule.pk}/delete/"):
        assert viewer.get(url).status_code == 403, url
    for url in (
        "/automation/new/",
        f"/automation/{rule.pk}/edit/",
        f"/automation/{rule.pk}/execute/",
        f"/automation/{rule.pk}/delete/",
        f"/automation/{rule.pk}/secret/",
        f"/automation/executions/{task.pk}/cancel/",
        f"/automation/executions/{task.pk}/pause/",
        f"/automation/executions/{task.pk}/resume/",
        f"/automation/executions/{task.pk}/rerun/",
    ):
        assert viewer.post(url, form(name="Changed")).status_code == 403, url
    rule.refresh_from_db()
    assert (rule.name, rule.webhook_secret["secret"]) == ("Nightly", secret)
    assert AutomationRule.objects.count() == 1
    assert list(ScheduledTask.objects.values_list("status", flat=True)) == ["cancelled"]


# -- queries ---------------------------------------------------------------------------------------
def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_rules_list_and_history_queries_do_not_grow(web, alice):
    def add(count):
        for n in range(count):
            rule = services.rule_create(
                account=alice.account, name=f"Rule {n}", site=alice.site, actions=[CLUSTER]
            )
            task = services.rule_execute(rule=rule, user=alice.user)
            services.execution_cancel(task=task)

    add(2)
    few = (_queries(web, "/automation/"), _queries(web, "/automation/history/"))
    add(18)
    many = (_queries(web, "/automation/"), _queries(web, "/automation/history/"))
    assert few == many
    assert "20 rule(s)." in text(web.get("/automation/"))
