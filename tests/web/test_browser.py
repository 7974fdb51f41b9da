"""The whole pipeline in a real browser (Debian's chromium through Playwright) against the live
server: sign in, import, cluster, ideas, queue, content, image prompts, images through the queue
modal. There is no worker here: a thread of this process executes each run the pages start, as a
worker would (claim, then the engine). No JavaScript error may reach the console."""

import os
import threading
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
KEYWORDS = [
    "best espresso machine",
    "cheap espresso machine",
    "espresso machine reviews",
    "espresso machine for home",
    "espresso machine under 200",
    "espresso machine with grinder",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"needs {CHROMIUM}: apt-get install chromium"),
]
playwright_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package (dev extra)")


class RunExecutor(threading.Thread):
    """Executes every pending AI run until stopped: the worker this test has not got."""

    def __init__(self):
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.errors: list[BaseException] = []

    def run(self):
        from django.db import connections

        from igny8.ai import engine
        from igny8.ai import services as ai_services
        from igny8.ai.models import AIRun, RunStatus

        try:
            while not self.stop.wait(0.2):
                for run in AIRun.objects.filter(status=RunStatus.PENDING).order_by("id"):
                    claimed = ai_services.run_claim(
                        task_id=run.task_id,
                        function_name=run.function_name,
                        payload=run.payload,
                        account_id=run.account_id,
                    )
                    if claimed is not None:
                        engine.execute(claimed)
        except BaseException as error:
            self.errors.append(error)
        finally:
            connections.close_all()


@pytest.fixture
def executor():
    thread = RunExecutor()
    thread.start()
    yield thread
    thread.stop.set()
    thread.join(timeout=30)
    assert not thread.errors, thread.errors


@pytest.fixture
def browser_page():
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(30_000)
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.js_errors = errors
        yield page
        browser.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def run_in_modal(page, button_name: str, shot_name: str) -> str:
    page.get_by_role("button", name=button_name, exact=True).first.click()
    dialog = page.get_by_role("dialog")
    dialog.wait_for()
    assert page.evaluate("document.activeElement.getAttribute('role')") == "dialog"
    dialog.locator("[data-finished]").wait_for(timeout=60_000)
    text = dialog.inner_text()
    shot(page, shot_name)
    with page.expect_navigation():
        dialog.get_by_role("button", name="Close").click()
    return text


def test_pipeline_in_the_browser(
    transactional_db, live_server, settings, alice, executor, browser_page, tmp_path
):
    settings.OPENAI_API_KEY = settings.RUNWARE_API_KEY = settings.OPENAI_BASE_URL = ""
    page, url = browser_page, live_server.url
    page.goto(f"{url}/login/")
    page.get_by_label("Email").fill("alice@example.com")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Dashboard").wait_for()
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
