"""The progress modal: cancelling a run (the API's cancel service), the completion sentence per
function, and the image queue's estimated per-image progress."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup

from igny8.accounts.models import Account
from igny8.ai import services as ai_services
from igny8.ai.models import AIRun
from igny8.planner.models import Cluster
from igny8.web.progress import estimated_image_progress, image_queue_rows, success_sentence
from igny8.writer.ai.generate_images import GenerateImagesFunction
from tests.web.helpers import execute, latest_run

HX = {"HTTP_HX_REQUEST": "true"}


def credits(account) -> int:
    return Account.objects.values_list("credits", flat=True).get(pk=account.pk)


def ideas_run(client, data, cluster=None) -> AIRun:
    client.post("/planner/clusters/ideas/", {"ids": [(cluster or data["cluster"]).pk]}, **HX)
    return latest_run()


def test_pending_run_shows_a_cancel_button(web, data):
    page = web.post("/planner/clusters/ideas/", {"ids": [data["cluster"].pk]}, **HX).content.decode()
    run = latest_run()
    button = (
        f'<button type="submit" id="run-cancel" class="danger" hx-post="/runs/{run.task_id}/cancel/" '
        'hx-target="#run-progress" hx-swap="outerHTML">'
    )
    assert button in page
    assert button in web.get(f"/runs/{run.task_id}/").content.decode()


def test_cancelling_a_pending_run_is_the_apis_cancel(web, alice, data, monkeypatch):
    monkeypatch.setattr("igny8.billing.selectors.FREE_PROVIDERS", ())  # priced, though offline
    before = credits(alice.account)
    # Two clusters: a second run on the first one's cluster is refused while it holds it (ai.holds).
    other = Cluster.objects.create(account=alice.account, site=alice.site, sector=alice.sector, name="Grind")
    by_page, by_api = ideas_run(web, data), ideas_run(web, data, other)
    assert by_page.credits_reserved > 0
    assert credits(alice.account) == before - by_page.credits_reserved - by_api.credits_reserved

    partial = web.post(f"/runs/{by_page.task_id}/cancel/", **HX).content.decode()
    api = alice.client().post(f"/api/v1/ai/runs/{by_api.task_id}/cancel/").json()["data"]

    by_page.refresh_from_db()
    fields = ("status", "phase", "message", "credits_reserved", "credits_used", "cancel_requested")
    assert [getattr(by_page, name) for name in fields] == [
        "cancelled",
        "DONE",
        "Cancelled before it started.",
        0,
        0,
        True,
    ]
    assert [by_page.status, by_page.message, by_page.credits_reserved] == [
        api["status"],
        api["message"],
        api["credits_reserved"],
    ]
    assert credits(alice.account) == before  # both reservations refunded
    assert "data-finished" in partial and "every 1s" not in partial
    assert 'role="status">' in partial and "Cancelled before it started.</p>" in partial
    assert 'id="run-cancel"' not in partial
    assert '<button type="button" id="run-close" data-close-modal>Close</button>' in partial


def test_cancelling_a_running_run_says_cancelling_until_the_engine_stops(web, data):
    run = ideas_run(web, data)
    claimed = ai_services.run_claim(
        task_id=run.task_id, function_name=run.function_name, payload=run.payload, account_id=run.account_id
    )
    assert claimed.status == "running"
    partial = web.post(f"/runs/{run.task_id}/cancel/", **HX).content.decode()
    run.refresh_from_db()
    assert (run.status, run.cancel_requested, run.message) == (
        "running",
        True,
        "Cancelling after the current item...",
    )
    assert "data-running" in partial
    assert "Cancelling… the current item finishes first." in partial
    assert 'id="run-cancel" class="danger"' in partial and " disabled>" in partial
    assert 'data-close-modal disabled title="Wait until the run finishes"' in partial


def test_cancel_without_htmx_redirects_to_the_run(web, data):
    run = ideas_run(web, data)
    response = web.post(f"/runs/{run.task_id}/cancel/")
    assert (response.status_code, response["Location"]) == (302, f"/runs/{run.task_id}/")
    run.refresh_from_db()
    assert run.status == "cancelled"


def test_cancel_is_refused_to_a_viewer_and_another_account(web, viewer, other, data):
    run = ideas_run(web, data)
    assert viewer.post(f"/runs/{run.task_id}/cancel/", **HX).status_code == 403
    assert other.post(f"/runs/{run.task_id}/cancel/", **HX).status_code == 404
    run.refresh_from_db()
    assert (run.status, run.cancel_requested) == ("pending", False)
    page = viewer.get(f"/runs/{run.task_id}/").content.decode()
    assert 'id="run-cancel"' not in page


def test_finished_run_shows_the_sentence_not_a_key_value_dump(web, data):
    run = execute(ideas_run(web, data))
    partial = web.get(f"/runs/{run.task_id}/progress/", **HX).content.decode()
    ideas = sum(item["created"] for item in run.result["items"])
    assert f"Generated {ideas} ideas for 1 cluster.</p>" in partial
    assert "Done." not in partial and "credits used:" not in partial


def run_with(function_name: str, result: dict, *, total: int = 0, ids=()) -> AIRun:
    return AIRun(function_name=function_name, result=result, total=total, payload={"ids": list(ids)})


def ok(**fields) -> dict:
    return {"status": "success", **fields}


@pytest.mark.parametrize(
    ("function_name", "result", "total", "sentence"),
    [
        (
            "auto_cluster",
            {"items": [ok(clusters_created=3, clusters_extended=0, keywords_clustered=12)], "failed": 0},
            1,
            "Created 3 clusters from 12 keywords.",
        ),
        (
            "auto_cluster",
            {
                "items": [
                    ok(clusters_created=1, clusters_extended=2, keywords_clustered=7),
                    {"status": "error", "error": "x"},
                ],
                "failed": 1,
            },
            2,
            "Created 1 cluster and extended 2 existing clusters from 7 keywords. 1 batch failed.",
        ),
        (
            "auto_cluster",
            {"items": [ok(clusters_created=0, clusters_extended=1, keywords_clustered=5)], "failed": 0},
            1,
            "Added 5 keywords to 1 existing cluster.",
        ),
        (
            "auto_cluster",
            {"items": [ok(clusters_created=0, clusters_extended=0, keywords_clustered=0)], "failed": 0},
            1,
            "No clusters: no keywords were close enough to group.",
        ),
        (
            "auto_generate_ideas",
            {"items": [ok(created=3), ok(created=1)], "failed": 0},
            2,
            "Generated 4 ideas for 2 clusters.",
        ),
        (
            "generate_content",
            {"items": [ok(word_count=800), ok(word_count=900), ok(word_count=700)], "failed": 0},
            3,
            "Wrote 3 articles (2,400 words).",
        ),
        (
            "generate_content",
            {"items": [ok(word_count=1)], "failed": 2},
            3,
            "Wrote 1 article (1 word). 2 tasks failed.",
        ),
        (
            "generate_image_prompts",
            {"items": [ok(image_ids=[1, 2, 3]), ok(image_ids=[4, 5])], "failed": 0},
            2,
            "Generated 5 image prompts.",
        ),
        ("generate_images", {"items": [ok()] * 6, "failed": 0}, 6, "Generated 6 of 6 images."),
        (
            "generate_images",
            {"items": [ok()] * 5 + [{"status": "error"}], "failed": 1},
            6,
            "Generated 5 of 6 images. 1 image failed.",
        ),
        (
            "publish_batch",
            {"items": [], "succeeded": 2, "failed": 0, "credits_used": 4, "cost_usd": "0.1"},
            2,
            "Finished: 2 succeeded, 0 failed, 4 credits used.",
        ),
        ("publish_batch", {}, 0, "Finished."),
    ],
)
def test_success_sentence(function_name, result, total, sentence):
    assert success_sentence(run=run_with(function_name, result, total=total)) == sentence


@pytest.mark.parametrize(
    ("seconds", "percent"), [(0, 0), (3.5, 25), (7, 50), (9.5, 62), (12, 75), (13, 76), (60, 95)]
)
def test_estimated_image_progress_follows_the_reference_curve(seconds, percent):
    assert estimated_image_progress(seconds) == percent


START = datetime(2025, 3, 1, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(("seconds", "percent"), [(0, 0), (3.5, 25), (7, 50), (9.5, 62), (12, 75), (60, 95)])
def test_processing_image_row_is_estimated_from_its_start(web, data, seconds, percent):
    featured, _inline = data["images"]
    web.post("/writer/images/generate/", {"content_ids": [data["content"].pk]}, **HX)
    run = latest_run()
    run.status = "running"
    run.result = {"meta": {"results": [], "started": {str(featured.pk): START.isoformat()}}}
    run.save()
    with time_machine.travel(START + timedelta(seconds=seconds), tick=False):
        rows = image_queue_rows(run=run, meta=run.result["meta"])
        partial = web.get(f"/runs/{run.task_id}/progress/", **HX).content.decode()
    assert [(r["status"], r["progress"], r["estimated"]) for r in rows] == [
        ("processing", percent, True),
        ("pending", 0, False),
    ]
    assert f'<span title="estimated">~{percent}%<span class="sr-only"> estimated</span></span>' in partial
    assert f'aria-valuenow="{percent}" aria-label="Featured Image progress (estimated)"' in partial


def test_completed_and_failed_rows_are_100_pending_0(web, data):
    featured, inline = data["images"]
    web.post("/writer/images/generate/", {"content_ids": [data["content"].pk]}, **HX)
    run = latest_run()
    run.status = "running"
    meta = {
        "results": [{"image_id": featured.pk, "status": "completed", "image_url": "/media/a.png"}],
        "started": {str(featured.pk): START.isoformat()},
    }
    with time_machine.travel(START + timedelta(seconds=5), tick=False):
        rows = image_queue_rows(run=run, meta=meta)
    assert [(r["status"], r["progress"]) for r in rows] == [("completed", 100), ("pending", 0)]
    meta["results"].append({"image_id": inline.pk, "status": "failed", "error": "Refused."})
    rows = image_queue_rows(run=run, meta=meta)
    assert [(r["status"], r["progress"]) for r in rows] == [("completed", 100), ("failed", 100)]


def test_generate_images_records_when_each_image_started(web, data):
    web.post("/writer/images/generate/", {"content_ids": [data["content"].pk]}, **HX)
    with time_machine.travel(START, tick=False):
        run = execute(latest_run())
    featured, inline = data["images"]
    assert run.status == "success"
    assert run.result["meta"]["started"] == {
        str(featured.pk): START.isoformat(),
        str(inline.pk): START.isoformat(),
    }


def test_started_is_part_of_the_function_meta(alice):
    function = GenerateImagesFunction()
    assert function.progress_meta(None, results=[], current=0, total=0)["started"] == {}


def test_queue_icons_are_inline_svg(web, data):
    web.post("/writer/images/generate/", {"content_ids": [data["content"].pk]}, **HX)
    partial = web.get(f"/runs/{latest_run().task_id}/progress/", **HX).content.decode()
    assert partial.count('<svg class="icon icon-pending" aria-hidden="true"') == 2
    for symbol in ("⏳", "🔄", "✅", "❌"):
        assert symbol not in partial


def test_modal_title_is_the_functions_title():
    from igny8.web.progress import function_title

    assert function_title("generate_content") == "Generate content"
    assert function_title("generate_site_structure") == "Generate site structure"
    assert function_title("no_such_function") == "no_such_function"


def test_run_lists_name_functions_for_people(web, alice, data):
    from igny8.ai import services as ai_services

    ai_services.run_create(
        account=alice.account,
        function_name="auto_generate_ideas",
        payload={"ids": [data["cluster"].pk]},
        site=alice.site,
    )
    for url in ("/", "/runs/"):
        page = web.get(url).content.decode()
        assert "Generate ideas" in page, url
        assert "auto_generate_ideas" not in page, url


def test_the_bell_lists_ended_runs_and_executions_newest_first(web, alice, data):
    from django.utils import timezone

    from igny8.automation import services as automation_services
    from igny8.automation.models import ScheduledTask

    now = timezone.now()
    run = ideas_run(web, data)
    AIRun.objects.filter(pk=run.pk).update(status="success", finished_at=now - timedelta(minutes=5))
    rule = automation_services.rule_create(
        account=alice.account, site=alice.site, name="Nightly", actions=[{"type": "generate_ideas"}]
    )
    task = ScheduledTask.objects.create(
        account=alice.account, rule=rule, site=alice.site, scheduled_at=now, status="failed", finished_at=now
    )
    ScheduledTask.objects.create(
        account=alice.account, rule=rule, site=alice.site, scheduled_at=now
    )  # pending
    soup = BeautifulSoup(web.get("/billing/").content.decode(), "html.parser")
    entries = [(a.get_text(" ", strip=True), a["href"]) for a in soup.select("details.bell li a")]
    assert entries[:2] == [
        ("Rule “Nightly” — Failed", f"/automation/executions/{task.pk}/"),
        ("Generate ideas — Succeeded", f"/runs/{run.task_id}/"),
    ]
    assert soup.select_one("details.bell .badge").get_text() == "2"


def test_a_second_run_on_a_held_cluster_is_refused_in_the_modal(web, data):
    first = ideas_run(web, data)
    page = web.post("/planner/clusters/ideas/", {"ids": [data["cluster"].pk]}, **HX).content.decode()
    assert (
        f"Run {first.task_id} (auto_generate_ideas, pending) is already working on clusters "
        f"{data['cluster'].pk}; wait for it to finish or cancel it."
    ) in page
    assert AIRun.objects.count() == 1
