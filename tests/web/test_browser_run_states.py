"""A failed run in a real browser (issue 13, point 8): the progress modal turns red and stops with
the reason first, no phase after the failure is green and there is no bar; a partial run is amber.
Screenshots: run-failed.png, run-partial.png."""

import pytest

from igny8.ai import registry
from igny8.planner.models import Cluster
from tests.web.browser import BROWSER_MARKS, shot, sign_in

pytestmark = BROWSER_MARKS


@pytest.fixture
def failing(monkeypatch):
    """Clusters named here fail while their ideas are saved (the executor thread runs them)."""
    function = registry.get_function("auto_generate_ideas")
    names: set[str] = set()
    real = function.save_output

    def save_output(self, ctx, item, output):
        if item.name in names:
            raise RuntimeError(f"Disk full while saving ideas for {item.name}")
        return real(self, ctx, item, output)

    monkeypatch.setattr(function, "save_output", save_output)
    return names


def generate_ideas(page, shot_name: str) -> str:
    page.get_by_label("Select all on this page").check()
    page.get_by_role("button", name="Generate ideas", exact=True).first.click()
    dialog = page.get_by_role("dialog")
    dialog.locator("[data-finished]").wait_for(timeout=60_000)
    shot(page, shot_name)
    return dialog.locator("#run-progress").evaluate("e => e.className")


def outcome_colour(page) -> str:
    return page.locator("[data-run-state]").evaluate("e => getComputedStyle(e).backgroundColor")


def test_failed_run_is_red_and_stopped_partial_is_amber(
    transactional_db, live_server, settings, alice, executor, browser_page, failing
):
    settings.OPENAI_API_KEY = settings.RUNWARE_API_KEY = settings.OPENAI_BASE_URL = ""
    common = {"account": alice.account, "site": alice.site, "sector": alice.sector}
    Cluster.objects.create(name="Espresso", **common)
    page, url = browser_page, live_server.url
    sign_in(page, url)

    failing.add("Espresso")
    page.goto(f"{url}/planner/clusters/")
    assert generate_ideas(page, "run-failed") == "run-state-failed"
    dialog = page.get_by_role("dialog")
    first = dialog.locator("#run-progress > *").first
    assert first.get_attribute("data-run-state") == "failed"
    assert first.inner_text().strip().startswith("Failed: ")
    assert "Disk full while saving ideas for Espresso" in first.inner_text()
    assert outcome_colour(page) == "rgb(253, 232, 230)"
    assert dialog.locator("ol.phases li.failed").inner_text().startswith("Saving")
    assert dialog.locator("ol.phases li.done").count() == 4
    assert dialog.locator("ol.phases li.current").count() == 0
    assert dialog.locator(".bar").count() == 0
    assert dialog.locator(".success").count() == 0
    page.keyboard.press("Escape")

    Cluster.objects.create(name="Grind", **common)
    failing.clear()
    failing.add("Grind")
    page.goto(f"{url}/planner/clusters/")
    assert generate_ideas(page, "run-partial") == "run-state-partial"
    first = page.get_by_role("dialog").locator("#run-progress > *").first
    assert first.inner_text().strip().startswith("1 of 2 failed.")
    assert outcome_colour(page) == "rgb(253, 240, 213)"
    assert page.js_errors == []
