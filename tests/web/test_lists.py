"""Clusters, ideas, tasks and content filter, sort and paginate through htmx partials (as the
keywords table does); the keywords page's auto-cluster method picker."""

import pytest

from igny8.ai.models import AIRun
from igny8.planner.models import Cluster, ContentIdea
from igny8.planner.services import keyword_create
from igny8.writer.models import Content, Task
from tests.web.helpers import latest_run

HX = {"HTTP_HX_REQUEST": "true"}

LISTS = [
    ("/planner/clusters/", "cluster-table"),
    ("/planner/ideas/", "idea-table"),
    ("/writer/tasks/", "task-table"),
    ("/writer/content/", "content-table"),
]


@pytest.fixture
def more(alice, data):
    """A second row in each list, with another status, to filter on."""
    common = {"account": alice.account, "site": alice.site, "sector": alice.sector}
    cluster = Cluster.objects.create(name="Pour over", status="complete", **common)
    ContentIdea.objects.create(cluster=cluster, title="Pour over guide", status="queued", **common)
    task = Task.objects.create(title="Pour over guide", cluster=cluster, status="completed", **common)
    Content.objects.create(task=task, title="Pour over guide", html="<p>x</p>", status="review", **common)
    return cluster


@pytest.mark.parametrize(("url", "target"), LISTS)
def test_full_page_wraps_the_table_partial_and_the_filter_targets_it(web, more, url, target):
    page = web.get(url).content.decode()
    assert page.startswith("<!doctype html>")
    assert f'<div id="{target}">' in page
    assert f'hx-get="{url}" hx-target="#{target}" hx-push-url="true"' in page


@pytest.mark.parametrize(
    ("url", "target", "status", "count_text"),
    [
        ("/planner/clusters/", "cluster-table", "complete", "1 cluster(s)."),
        ("/planner/ideas/", "idea-table", "queued", "1 idea(s)."),
        ("/writer/tasks/", "task-table", "completed", "1 task(s)."),
        ("/writer/content/", "content-table", "review", "1 article(s)."),
    ],
)
def test_htmx_filter_returns_only_the_partial_with_exact_rows(web, more, url, target, status, count_text):
    response = web.get(f"{url}?status={status}", **HX, HTTP_HX_TARGET=target)
    partial = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in partial and "<h1>" not in partial
    assert f'<p class="muted" role="status">{count_text}</p>' in partial
    assert partial.count('name="ids" value=') == 1
    assert "Pour over" in partial
    assert "Espresso</a>" not in partial and "Best espresso machines" not in partial


@pytest.mark.parametrize(("url", "target"), LISTS)
def test_htmx_search_and_sort_keep_the_target(web, more, url, target):
    partial = web.get(f"{url}?q=pour&sort=-status", **HX, HTTP_HX_TARGET=target).content.decode()
    assert partial.count('name="ids" value=') == 1
    assert f'hx-target="#{target}" hx-push-url="true"' in partial  # sort headers
    assert 'aria-sort="descending"' in partial


def test_htmx_request_for_another_target_gets_the_whole_page(web, more):
    page = web.get("/planner/clusters/", **HX, HTTP_HX_TARGET="main").content.decode()
    assert "<html" in page and '<div id="cluster-table">' in page


def test_pagination_links_target_the_table(web, alice):
    common = {"account": alice.account, "site": alice.site}
    Cluster.objects.bulk_create([Cluster(name=f"Cluster {n:03}", **common) for n in range(55)])
    partial = web.get("/planner/clusters/?sort=name", **HX, HTTP_HX_TARGET="cluster-table").content.decode()
    assert "Page 1 of 2" in partial
    assert 'hx-get="?sort=name&amp;page=2" hx-target="#cluster-table" hx-push-url="true">Next</a>' in partial
    second = web.get("/planner/clusters/?sort=name&page=2", **HX, HTTP_HX_TARGET="cluster-table")
    assert second.content.decode().count('name="ids" value=') == 5


def unclustered(alice, count=5) -> list[int]:
    names = ["best espresso machine", "cheap espresso machine", "espresso machine reviews"]
    names += ["espresso machine for home", "espresso machine under 200"]
    return sorted(keyword_create(account=alice.account, site=alice.site, keyword=k).pk for k in names[:count])


def test_keywords_page_offers_the_apis_clustering_methods(web, data):
    page = web.get("/planner/keywords/").content.decode()
    assert '<label for="bulk-method">Method</label>' in page
    for value in ("semantic", "llm", "serp"):
        assert f'<option value="{value}">' in page
    assert 'id="bulk-threshold" name="threshold" type="number" min="0.3" max="1"' in page


def test_semantic_method_with_options_starts_the_exact_payload(web, alice, data):
    ids = unclustered(alice)
    form = {"ids": ids, "method": "semantic", "threshold": "0.8", "min_cluster_size": "3", "serp_mode": ""}
    page = web.post("/planner/keywords/bulk/cluster/", form, **HX).content.decode()
    run = latest_run()
    assert 'role="dialog"' in page
    assert (run.function_name, run.payload) == (
        "auto_cluster",
        {"ids": ids, "method": "semantic", "threshold": 0.8, "min_cluster_size": 3, "site_id": alice.site.pk},
    )


def test_llm_method_starts_the_exact_payload(web, alice, data, settings):
    settings.OPENAI_API_KEY = "sk-test-not-used"  # the llm method needs a provider; nothing is called
    ids = unclustered(alice)
    web.post("/planner/keywords/bulk/cluster/", {"ids": ids, "method": "llm", "threshold": ""}, **HX)
    run = latest_run()
    assert run.payload == {"ids": ids, "method": "llm", "site_id": alice.site.pk}


def test_serp_mode_is_passed_through(web, alice, data):
    from igny8.planner.models import Keyword

    ids = unclustered(alice)
    Keyword.objects.filter(pk__in=ids).update(serp_urls=["https://a.example/", "https://b.example/"])
    web.post("/planner/keywords/bulk/cluster/", {"ids": ids, "method": "serp", "serp_mode": "hard"}, **HX)
    assert latest_run().payload == {
        "ids": ids,
        "method": "serp",
        "serp_mode": "hard",
        "site_id": alice.site.pk,
    }


@pytest.mark.parametrize(
    ("form", "text"),
    [
        ({"method": "kmeans"}, "Method: &quot;kmeans&quot; is not a valid choice."),
        ({"threshold": "2"}, "Threshold: Ensure this value is less than or equal to 1.0."),
        ({"threshold": "close"}, "Threshold: A valid number is required."),
        ({"serp_mode": "medium"}, "SERP mode: &quot;medium&quot; is not a valid choice."),
    ],
)
def test_invalid_options_show_the_apis_refusal(web, alice, data, form, text):
    ids = unclustered(alice)
    page = web.post("/planner/keywords/bulk/cluster/", {"ids": ids, **form}, **HX).content.decode()
    assert f'role="alert">{text}</p>' in page
    assert AIRun.objects.count() == 0


def test_llm_without_a_provider_is_refused_as_the_api_refuses(web, alice, data):
    ids = unclustered(alice)
    page = web.post("/planner/keywords/bulk/cluster/", {"ids": ids, "method": "llm"}, **HX).content.decode()
    api = alice.client().post(
        "/api/v1/planner/keywords/auto_cluster/", {"ids": ids, "method": "llm"}, format="json"
    )
    assert api.status_code == 400
    assert "The llm method needs an AI provider and none is configured" in page
    assert api.json()["errors"]["method"][0].split(":")[0] in page
    assert AIRun.objects.count() == 0


def test_enter_in_the_cluster_options_starts_auto_cluster_without_javascript(web, alice, data):
    page = web.get("/planner/keywords/").content.decode()
    assert '<form id="keyword-bulk" method="post" action="/planner/keywords/bulk/cluster/">' in page
    ids = unclustered(alice)
    response = web.post("/planner/keywords/bulk/cluster/", {"ids": ids, "threshold": "0.75"})
    run = latest_run()
    assert (response.status_code, response["Location"]) == (302, f"/runs/{run.task_id}/")
    assert run.payload["threshold"] == 0.75


def test_refusal_without_javascript_is_a_page(web, data):
    response = web.post(
        "/planner/keywords/bulk/cluster/", {}, HTTP_REFERER="http://testserver/planner/keywords/"
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "<h1>Auto-cluster keywords</h1>" in html and "</svg>\n Select at least one row.</p>" in html
    assert '<a href="http://testserver/planner/keywords/">← Back</a>' in html
    assert AIRun.objects.count() == 0
