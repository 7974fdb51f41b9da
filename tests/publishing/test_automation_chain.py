"""The issue's end-to-end chain with the real AI functions (offline provider) and the loopback fake
WordPress: one rule, one manual execute, keywords to published posts."""

import pytest

from igny8.automation import dispatch, services
from igny8.automation.models import ScheduledTask
from igny8.planner.models import Cluster, ContentIdea, Keyword
from igny8.publishing.models import PublishRecord
from igny8.writer.models import Content, Image, Task
from tests.automation.conftest import add_keywords, run_pending

CHAIN = [
    {"type": "cluster_keywords", "params": {}},
    {"type": "generate_ideas", "params": {}},
    {"type": "generate_content", "params": {}},
    {"type": "generate_images", "params": {}},
    {"type": "publish_to_wordpress", "params": {}},
]


@pytest.fixture(autouse=True)
def _inline(settings, monkeypatch):
    settings.AUTOMATION_AI_THREADED = False
    monkeypatch.setattr(dispatch, "send", lambda task_id: None)
    monkeypatch.setattr(dispatch, "enqueue", lambda task_id: None)


def test_real_offline_chain_publishes_every_generated_article_once(alice, wp, site):
    add_keywords(
        alice,
        "espresso machine",
        "best espresso machine",
        "espresso machine cleaning",
        "pour over coffee",
        "pour over ratio",
    )
    rule = services.rule_create(account=alice.account, site=site, name="Keywords to posts", actions=CHAIN)
    services.rule_execute(rule=rule)
    assert run_pending() == ["completed"]
    task = ScheduledTask.objects.get(rule=rule)
    assert [(r["type"], r["status"]) for r in task.results] == [
        ("cluster_keywords", "success"),
        ("generate_ideas", "success"),
        ("generate_content", "success"),
        ("generate_images", "success"),
        ("publish_to_wordpress", "success"),
    ]
    # each step worked on what the previous one produced
    clusters = set(Cluster.objects.values_list("pk", flat=True))
    assert set(Keyword.objects.filter(cluster__isnull=False).values_list("cluster_id", flat=True)) == clusters
    assert clusters and set(ContentIdea.objects.values_list("cluster_id", flat=True)) == clusters
    ideas = set(ContentIdea.objects.values_list("pk", flat=True))
    assert set(Task.objects.values_list("idea_id", flat=True)) == ideas
    contents = sorted(Content.objects.values_list("pk", flat=True))
    assert contents and sorted(Content.objects.values_list("task_id", flat=True)) == sorted(
        Task.objects.values_list("pk", flat=True)
    )
    assert set(Image.objects.filter(status="generated").values_list("content_id", flat=True)) == set(contents)
    # every generated article got exactly one post
    records = PublishRecord.objects.order_by("content_id")
    assert [r.content_id for r in records] == contents
    assert {r.status for r in records} == {"published"}
    post_ids = [r.external_id for r in records]
    assert len(set(post_ids)) == len(contents) == len(wp.posts)
    assert task.results[4]["outputs"] == {"content": contents}
