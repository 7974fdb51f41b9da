"""The whole pipeline in a real browser (Debian's chromium through Playwright) against the live
server: sign in, import, cluster, ideas, queue, content, image prompts, images through the queue
modal. There is no worker here: a thread of this process executes each run the pages start, as a
worker would (claim, then the engine). No JavaScript error may reach the console."""

import re

from tests.web.browser import BROWSER_MARKS, run_in_modal, shot, sign_in

KEYWORDS = [
    "best espresso machine",
    "cheap espresso machine",
    "espresso machine reviews",
    "espresso machine for home",
    "espresso machine under 200",
    "espresso machine with grinder",
]
IN_DIALOG = "document.querySelector('[role=dialog]').contains(document.activeElement)"

pytestmark = BROWSER_MARKS


def assert_focus_trapped(page, presses: int = 8) -> None:
    for key in ["Tab"] * presses + ["Shift+Tab"] * presses:
        page.keyboard.press(key)
        assert page.evaluate(IN_DIALOG), f"focus left the dialog after {key}"


def test_pipeline_in_the_browser(
    transactional_db, live_server, settings, alice, executor, browser_page, tmp_path
):
    settings.OPENAI_API_KEY = settings.RUNWARE_API_KEY = settings.OPENAI_BASE_URL = ""
    page, url = browser_page, live_server.url
    sign_in(page, url)
    shot(page, "dashboard")

    csv = tmp_path / "keywords.csv"
    csv.write_text("keyword,volume\n" + "\n".join(f"{k},{100 + i}" for i, k in enumerate(KEYWORDS)) + "\n")
    page.goto(f"{url}/planner/keywords/")
    page.get_by_label("CSV file").set_input_files(str(csv))
    page.get_by_role("button", name="Import").click()
    assert "6 created, 0 duplicate(s), 0 skipped" in page.get_by_role("status").first.inner_text()
    shot(page, "keywords")

    # A refused start: the modal says why, and closing it gives focus back to the button.
    page.get_by_role("button", name="Auto-cluster", exact=True).click()
    page.get_by_role("dialog").get_by_text("Select at least one row.").wait_for()
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Auto-cluster"

    page.get_by_label("Select all 6 matching the filter").check()
    page.get_by_label("Method").select_option("semantic")
    text = run_in_modal(page, "Auto-cluster", "modal-auto-cluster")
    assert re.search(r"Created \d+ clusters? from \d+ keywords?\.", text), text

    page.goto(f"{url}/planner/clusters/")
    page.get_by_label("Select all on this page").check()
    assert re.search(
        r"Generated \d+ ideas? for \d+ clusters?\.", run_in_modal(page, "Generate ideas", "modal-ideas")
    )
    shot(page, "clusters")

    page.goto(f"{url}/planner/ideas/")
    page.get_by_label("Select all on this page").check()
    page.get_by_role("button", name="Queue to writer").click()
    queued = page.get_by_text("idea(s) as writer tasks")
    asked = page.get_by_role("button", name="Queue the ticked ideas")
    queued.or_(asked).wait_for()
    if asked.is_visible():  # the ideas form cannibalisation pairs: the modal names them first
        shot(page, "modal-queue-confirm")
        asked.click()
    queued.wait_for()

    page.goto(f"{url}/writer/tasks/")
    page.get_by_label("Status").select_option("queued")  # htmx swaps the table only
    page.wait_for_url(re.compile(r"status=queued"))
    page.get_by_label("Select all on this page").check()
    text = run_in_modal(page, "Generate content", "modal-content")
    assert re.search(r"Wrote \d+ articles? \([\d,]+ words?\)\.", text), text

    page.goto(f"{url}/writer/content/")
    shot(page, "content-list")
    page.get_by_label("Select all on this page").check()
    text = run_in_modal(page, "Generate image prompts", "modal-image-prompts")
    assert re.search(r"Generated \d+ image prompts?\.", text), text

    page.goto(f"{url}/writer/images/")
    assert page.locator("ul.images img.thumb").count() == 0
    page.get_by_role("button", name="Generate Images for all").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("table").wait_for()
    queued = dialog.locator("tbody tr").count()
    assert queued >= 1
    dialog.locator("[data-finished]").wait_for(timeout=60_000)
    assert f"Generated {queued} of {queued} image" in dialog.inner_text()
    assert f"{queued} of {queued} image(s) generated." in dialog.inner_text()
    assert_focus_trapped(page)
    shot(page, "modal-image-queue")
    with page.expect_navigation():
        page.keyboard.press("Escape")
    # The page behind the modal now shows the run's work (plus desktop/mobile variants, if enabled).
    assert page.locator("ul.images img.thumb").count() >= queued
    shot(page, "images")
    page.goto(f"{url}/runs/")
    shot(page, "runs")

    # A phone-sized window: one column, nothing wider than the screen (wide tables scroll inside).
    page.set_viewport_size({"width": 390, "height": 844})
    for path in (
        "/",
        "/planner/keywords/",
        "/writer/images/",
        "/automation/new/",
        "/publishing/",
        "/settings/",
    ):
        page.goto(f"{url}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    shot(page, "narrow-settings")
    page.goto(f"{url}/planner/keywords/")
    shot(page, "narrow-keywords")
    assert page.js_errors == []


def test_cancel_a_queued_run_in_the_browser(transactional_db, live_server, settings, alice, browser_page):
    """No executor: the run stays queued, so its Cancel button is there to press."""
    from igny8.ai import services as ai_services
    from igny8.planner.models import Cluster

    settings.OPENAI_API_KEY = settings.RUNWARE_API_KEY = settings.OPENAI_BASE_URL = ""
    cluster = Cluster.objects.create(account=alice.account, site=alice.site, name="Espresso")
    run = ai_services.run_start(
        account=alice.account,
        function_name="auto_generate_ideas",
        payload={"ids": [cluster.pk]},
        site=alice.site,
        user=alice.user,
    )
    page, url = browser_page, live_server.url
    sign_in(page, url)
    page.goto(f"{url}/runs/")
    page.get_by_role("link", name="Open").click()
    dialog = page.get_by_role("dialog")
    cancel = dialog.get_by_role("button", name="Cancel run")
    cancel.wait_for()
    assert dialog.get_by_role("button", name="Close").is_disabled()
    assert_focus_trapped(page, presses=4)
    cancel.click()
    dialog.get_by_text("Cancelled before it started.").first.wait_for()
    assert dialog.get_by_role("button", name="Cancel run").count() == 0
    shot(page, "modal-cancelled")
    with page.expect_navigation():  # it watched the run end: the page behind reloads
        dialog.get_by_role("button", name="Close").click()
    run.refresh_from_db()
    assert run.status == "cancelled"
    assert page.js_errors == []
