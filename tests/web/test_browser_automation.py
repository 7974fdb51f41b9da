"""Automation in a real browser (Debian's chromium through Playwright) against the live server:
build a rule with the action builder (reordered by drag and drop), watch the cron preview, execute
the rule from the list, follow the monitor until it completes while a thread of this process runs
the execution as a worker would, then find it in the workflow and the history. No JavaScript error
may reach the console."""

import pytest

from igny8.automation.models import AutomationRule, ScheduledTask
from igny8.planner.models import Keyword
from tests.web.browser import BROWSER_MARKS, automation_executor, shot, sign_in  # noqa: F401

pytestmark = BROWSER_MARKS

WORDS = [
    "best espresso machine",
    "cheap espresso machine",
    "espresso machine reviews",
    "espresso machine for home",
    "espresso machine under 200",
    "espresso machine with grinder",
]


def card_order(page) -> list[str]:
    return page.locator("[data-actions] input[name$='-type']").evaluate_all("els => els.map(e => e.value)")


@pytest.mark.usefixtures("automation_executor")  # a worker for the executions the page starts
def test_create_execute_and_monitor_a_rule(
    transactional_db,
    live_server,
    settings,
    alice,
    browser_page,
):
    settings.OPENAI_API_KEY = settings.RUNWARE_API_KEY = settings.OPENAI_BASE_URL = ""
    for word in WORDS:
        Keyword.objects.create(
            account=alice.account, site=alice.site, keyword=word, normalized=word, volume=100
        )
    page, url = browser_page, live_server.url
    sign_in(page, url)

    page.goto(f"{url}/automation/new/")
    page.get_by_label("Name", exact=True).fill("Keywords to ideas")
    # The cron preview answers as one types; only the chosen trigger's fields are shown.
    assert page.get_by_label("Cron expression").is_hidden()
    page.get_by_label("Trigger").select_option("schedule")
    page.get_by_label("Cron expression").fill("0 9 * * 1-5")
    preview = page.locator("#schedule-preview")
    preview.get_by_text("At 09:00, Monday through Friday").wait_for()
    assert preview.locator("time").count() == 5
    page.get_by_label("Cron expression").fill("0 9 * *")
    preview.get_by_text("is not a 5-field cron expression").wait_for()
    page.get_by_label("Cron expression").fill("")
    page.get_by_label("Trigger").select_option("manual")

    page.get_by_label("Action to add").select_option("generate_ideas")
    page.get_by_role("button", name="Add action").click()
    page.get_by_label("Action to add").select_option("cluster_keywords")
    page.get_by_role("button", name="Add action").click()
    assert card_order(page) == ["generate_ideas", "cluster_keywords"]
    ideas_card = page.locator("[data-actions] > li").nth(0)
    ideas_card.get_by_label("max_items").fill("5")
    # Drag cluster_keywords by its handle above generate_ideas.
    handle = page.locator("[data-actions] > li").nth(1).locator(".drag-handle")
    handle.drag_to(ideas_card, target_position={"x": 40, "y": 5})
    assert card_order(page) == ["cluster_keywords", "generate_ideas"]
    # The keyboard alternative: down and back up again.
    page.get_by_role("button", name="Move Cluster keywords down").click()
    assert card_order(page) == ["generate_ideas", "cluster_keywords"]
    page.get_by_role("button", name="Move Cluster keywords up").click()
    assert card_order(page) == ["cluster_keywords", "generate_ideas"]
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Move Cluster keywords up"
    page.get_by_role("button", name="Add condition").click()
    row = page.locator("[data-conditions] > li").first
    row.get_by_label("Field").select_option("keyword.volume")
    row.get_by_label("Operator").select_option("greater_than")
    row.get_by_label("Value").fill("10")
    shot(page, "automation-editor")
    page.get_by_role("button", name="Save rule").click()
    page.get_by_role("heading", name="Keywords to ideas").wait_for()

    rule = AutomationRule.objects.get()
    assert (rule.trigger, rule.schedule) == ("manual", "")
    assert rule.conditions == [{"field": "keyword.volume", "operator": "greater_than", "value": 10}]
    assert [(a["type"], a["params"]["max_items"]) for a in rule.actions] == [
        ("cluster_keywords", 1000),
        ("generate_ideas", 5),
    ]

    page.goto(f"{url}/automation/")
    shot(page, "automation-rules")
    page.get_by_role("button", name="Execute Keywords to ideas").click()
    page.get_by_role("heading", name="Execution of “Keywords to ideas”").wait_for()
    monitor = page.locator("#monitor")
    page.locator("#monitor[data-finished]").wait_for(timeout=60_000)
    assert "Completed" in monitor.locator(".monitor-status").inner_text()
    assert monitor.locator("[data-state=completed]").count() == 2
    assert "100%" in monitor.inner_text()
    shot(page, "automation-monitor")
    task = ScheduledTask.objects.get()
    assert (task.status, task.source) == ("completed", "manual")

    page.get_by_role("link", name="Open the rule").click()
    workflow = page.locator("#workflow")
    assert workflow.locator("[data-state=completed]").count() == 2
    assert "Completed" in workflow.locator(".workflow-status").inner_text()

    page.get_by_role("link", name="History", exact=True).click()
    history_row = page.locator(f"tr[data-execution-id='{task.pk}']")
    assert "Keywords to ideas" in history_row.inner_text()
    assert "Completed" in history_row.inner_text()
    assert f"{task.credits_used} / {task.credits_estimated}" in history_row.inner_text()
    shot(page, "automation-history")
    assert page.js_errors == []
