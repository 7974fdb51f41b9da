"""Shared pieces of the browser tests (Playwright driving Debian's chromium against live_server):
the run executor thread standing in for a worker, the page fixture collecting console errors
(and failing the test on any Content-Security-Policy violation), screenshots and the
progress-modal helper. Test modules set `pytestmark = BROWSER_MARKS`; the fixtures reach them
through tests/web/conftest.py."""

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

CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (event) {
  window.igny8CspViolation(event.effectiveDirective + " refused " + (event.blockedURI || "?") +
    " in " + event.sourceFile + ":" + event.lineNumber + " (" + event.sample + ")");
});
"""

BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"needs {CHROMIUM}: apt-get install chromium"),
]


class RunExecutor(threading.Thread):
    """Executes every pending AI run until stopped: the worker this test has not got."""

    def __init__(self):
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.errors: list[BaseException] = []

    def run(self):
        from django.db import connections

        from igny8.ai import engine
        from igny8.ai.models import AIRun, RunStatus

        try:
            while not self.stop.wait(0.2):
                for run in AIRun.objects.filter(status=RunStatus.PENDING).order_by("id"):
                    engine.claim_and_execute(run)
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


class PublishExecutor(RunExecutor):
    """Publishes every queued publish record, as the publish_records task would: the worker
    behind Publish now and Retry. `halt()` stops it (a test that wants a record to stay queued)."""

    def run(self):
        from django.db import connections

        from igny8.publishing.models import PublishRecord, PublishStatus
        from igny8.publishing.services import records_publish

        try:
            while not self.stop.wait(0.2):
                queued = PublishRecord.objects.filter(status=PublishStatus.QUEUED)
                ids = list(queued.order_by("pk").values_list("pk", flat=True))
                if ids:
                    records_publish(record_ids=ids)
        except BaseException as error:
            self.errors.append(error)
        finally:
            connections.close_all()

    def halt(self) -> None:
        self.stop.set()
        self.join(timeout=30)


@pytest.fixture
def publish_executor():
    thread = PublishExecutor()
    thread.start()
    yield thread
    thread.halt()
    assert not thread.errors, thread.errors


class AutomationExecutor(RunExecutor):
    """Executes every pending automation execution, oldest first, as the Celery task would
    (execution.execute: claim with the site lock, then its actions and their AI runs on this
    thread). Use it instead of `executor`, not with it: both would claim the same AI runs."""

    def run(self):
        from django.db import connections

        from igny8.automation import execution
        from igny8.automation.models import ScheduledTask, TaskStatus

        try:
            while not self.stop.wait(0.2):
                pending = ScheduledTask.objects.filter(status=TaskStatus.PENDING)
                for task_id in list(pending.order_by("scheduled_at", "pk").values_list("pk", flat=True)):
                    execution.execute(task_id=task_id, worker="browser-test")
        except BaseException as error:
            self.errors.append(error)
        finally:
            connections.close_all()


@pytest.fixture
def automation_executor(settings):
    settings.AUTOMATION_AI_THREADED = False  # the AI runs go inline on the executor's thread
    thread = AutomationExecutor()
    thread.start()
    yield thread
    thread.stop.set()
    thread.join(timeout=30)
    assert not thread.errors, thread.errors


@pytest.fixture
def browser_page():
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright_api = pytest.importorskip("playwright.sync_api", reason="needs playwright (dev extra)")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(30_000)
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.js_errors = errors
        # Anything the Content-Security-Policy refuses (inline script or style, eval, a foreign
        # address) fails the test, whether or not the test looks at js_errors. The listener is
        # Playwright's own init script, which the page's policy does not apply to.
        violations: list[str] = []
        page.expose_function("igny8CspViolation", lambda text: violations.append(text))
        page.add_init_script(CSP_LISTENER)
        page.csp_violations = violations
        yield page
        if not page.is_closed():
            page.evaluate("0")  # a round trip, so a violation reported just now has arrived
        browser.close()
        assert violations == [], violations


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


PASSWORD = "correct-horse-battery"


def sign_in(page, url: str, *, email: str = "alice@example.com", password: str = PASSWORD) -> None:
    page.goto(f"{url}/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Dashboard").wait_for()
