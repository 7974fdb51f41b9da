"""The progress modal tells the truth at a glance (issue 13, point 8): a failed run red and
stopped with the reason first (no green phase after the failure, no Done, no bar); a partial run
amber with "N of M failed" first; the prep phase says what it reads."""

import pytest
from bs4 import BeautifulSoup

from igny8.ai import registry
from igny8.ai.base import AIFunction
from igny8.ai.models import AIRun
from igny8.planner.models import Cluster
from tests.web.helpers import execute, latest_run

HX = {"HTTP_HX_REQUEST": "true"}


def modal(web, run: AIRun) -> BeautifulSoup:
    return BeautifulSoup(web.get(f"/runs/{run.task_id}/progress/", **HX).content.decode(), "html.parser")


def phases(soup) -> list[tuple[str, str]]:
    return [
        (li.get_text(" ", strip=True), " ".join(li.get("class", []))) for li in soup.select("ol.phases li")
    ]


@pytest.fixture
def ideas(monkeypatch):
    """The ideas function, with its save failing for the clusters named in `failing`."""
    function = registry.get_function("auto_generate_ideas")
    failing: set[str] = set()
    real = function.save_output

    def save_output(self, ctx, item, output):
        if item.name in failing:
            raise RuntimeError(f"Disk full while saving {item.name}")
        return real(self, ctx, item, output)

    monkeypatch.setattr(function, "save_output", save_output)
    return failing


def start_ideas(web, clusters) -> AIRun:
    web.post("/planner/clusters/ideas/", {"ids": [c.pk for c in clusters]}, **HX)
    return execute(latest_run())


def test_a_failed_run_is_red_and_stopped_with_the_reason_first(web, data, ideas):
    ideas.add("Espresso")
    run = start_ideas(web, [data["cluster"]])
    assert (run.status, run.phase) == ("failed", "DONE")

    soup = modal(web, run)
    root = soup.select_one("#run-progress")
    assert root["class"] == ["run-state-failed"]
    first = root.find(["p", "ol", "div"])
    assert first.get("data-run-state") == "failed"
    assert first.get_text(" ", strip=True) == f"Failed: {run.error}"
    assert "Disk full while saving Espresso" in run.error
    # Done up to the phase that failed (saving), red there, nothing after it: no Done highlight.
    assert phases(soup) == [
        ("Starting", "done"),
        ("Preparing", "done"),
        ("Asking the AI", "done"),
        ("Reading the answer", "done"),
        ("Saving (failed here)", "failed"),
        ("Done", ""),
    ]
    assert soup.select(".bar") == []  # no bar stopped at 98 %
    assert soup.select_one("[data-run-stopped]").get_text(strip=True) == "Stopped."
    assert soup.select(".success") == []
    assert root["data-announce-text"] == run.error


def test_a_partial_run_is_amber_with_n_of_m_failed_first(web, data, alice, ideas):
    other = Cluster.objects.create(account=alice.account, site=alice.site, sector=alice.sector, name="Grind")
    ideas.add("Grind")
    run = start_ideas(web, [data["cluster"], other])
    assert (run.status, run.items_succeeded, run.items_failed) == ("success", 1, 1)

    soup = modal(web, run)
    root = soup.select_one("#run-progress")
    assert root["class"] == ["run-state-partial"]
    first = root.find(["p", "ol", "div"])
    assert first.get("data-run-state") == "partial"
    assert first.get_text(" ", strip=True).startswith("1 of 2 failed.")
    assert {cls for _, cls in phases(soup)} == {"partial"}
    assert soup.select_one(".bar")["class"] == ["bar", "partial"]
    assert soup.select(".success") == []
    assert root["data-announce-text"].startswith("1 of 2 failed. ")


def test_a_run_that_succeeds_whole_stays_green(web, data):
    run = start_ideas(web, [data["cluster"]])
    soup = modal(web, run)
    assert soup.select_one("#run-progress")["class"] == ["run-state-success"]
    assert {cls for _, cls in phases(soup)} == {"done"}
    assert soup.select_one(".success") is not None


def test_a_failure_before_any_item_fails_at_preparing(web, data, monkeypatch):
    function = registry.get_function("auto_generate_ideas")

    def broken(self, ctx):
        raise RuntimeError("The cluster table is locked")

    monkeypatch.setattr(function, "prepare", broken)
    run = start_ideas(web, [data["cluster"]])
    assert run.status == "failed"
    assert phases(modal(web, run))[:3] == [
        ("Starting", "done"),
        ("Preparing (failed here)", "failed"),
        ("Asking the AI", ""),
    ]


@pytest.mark.parametrize(
    ("function_name", "payload", "said"),
    [
        ("auto_cluster", {"ids": list(range(1, 1201))}, "Reading 1,200 keywords..."),
        ("auto_cluster", {}, "Reading the site's keywords..."),
        ("generate_content", {"ids": [4]}, "Reading 1 task..."),
        ("generate_images", {"ids": [1, 2]}, "Reading 2 images..."),
        ("optimize_content", {"ids": [3, 5]}, "Reading 2 articles..."),
        ("auto_generate_ideas", {"ids": [7, 8, 9]}, "Reading 3 clusters..."),
    ],
)
def test_the_prep_phase_says_what_it_reads(function_name, payload, said):
    from types import SimpleNamespace

    function: AIFunction = registry.get_function(function_name)()
    assert function.prep_message(SimpleNamespace(payload=payload)) == said


def test_the_engine_reports_prep_before_prepare_runs(web, data, monkeypatch):
    function = registry.get_function("auto_generate_ideas")
    real = function.prepare
    seen = []

    def prepare(self, ctx):
        run = AIRun.objects.get(task_id=ctx.run_id)
        seen.append((run.phase, run.message))
        return real(self, ctx)

    monkeypatch.setattr(function, "prepare", prepare)
    start_ideas(web, [data["cluster"]])
    assert seen == [("PREP", "Reading 1 cluster...")]
