"""The whole pipeline in a real browser (Debian's chromium through Playwright) against the live
server: sign in, import, cluster, ideas, queue, content, image prompts, images through the queue
modal. There is no worker here: a thread of this process executes each run the pages start, as a
worker would (claim, then the engine). No JavaScript error may reach the console."""

from tests.web.browser import BROWSER_MARKS, run_in_modal, shot, sign_in

KEYWORDS = [
    "best espresso machine",
    "cheap espresso machine",
    "espresso machine reviews",
    "espresso machine for home",
    "espresso machine under 200",
    "espresso machine with grinder",
]

pytestmark = BROWSER_MARKS


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

    page.get_by_label("Select all 6 matching the filter").check()
    assert "Done." in run_in_modal(page, "Auto-cluster", "modal-auto-cluster")

    page.goto(f"{url}/planner/clusters/")
    page.get_by_label("Select all on this page").check()
    assert "Done." in run_in_modal(page, "Generate ideas", "modal-ideas")
    shot(page, "clusters")

    page.goto(f"{url}/planner/ideas/")
    page.get_by_label("Select all on this page").check()
    page.get_by_role("button", name="Queue to writer").click()
    page.get_by_text("idea(s) as writer tasks").wait_for()

    page.goto(f"{url}/writer/tasks/")
    page.get_by_label("Select all on this page").check()
    assert "Done." in run_in_modal(page, "Generate content", "modal-content")

    page.goto(f"{url}/writer/content/")
    shot(page, "content-list")
    page.get_by_label("Select all on this page").check()
    assert "Done." in run_in_modal(page, "Generate image prompts", "modal-image-prompts")

    page.goto(f"{url}/writer/images/")
    page.get_by_role("button", name="Generate Images for all").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("table").wait_for()
    assert dialog.locator("tbody tr").count() >= 1
    dialog.locator("[data-finished]").wait_for(timeout=60_000)
    assert "image(s) generated." in dialog.inner_text()
    shot(page, "modal-image-queue")
    with page.expect_navigation():
        page.keyboard.press("Escape")
    shot(page, "images")
    page.goto(f"{url}/runs/")
    shot(page, "runs")
    assert page.js_errors == []
