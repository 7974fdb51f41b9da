"""The publishing module's four actions, run inline through the real engine (offline provider; the
pipeline's fake AI functions from fakes.py) against the loopback fake WordPress."""

import pytest
from django.core.files.base import ContentFile

from igny8.ai.models import AIRun
from igny8.automation import services
from igny8.automation.models import ScheduledTask
from igny8.planner.models import Cluster, Keyword
from igny8.publishing.models import ContentRevision, PublishRecord, SitePage
from igny8.writer.models import Content, Image, ImageStatus
from tests.automation import fakes
from tests.automation.conftest import CHAIN, add_keywords, run_pending
from tests.publishing.fake_wp import PNG

RULES = "/api/v1/automation/rules/"
# Live on purpose: the action's default is a WordPress draft (test_publish_action_defaults_to_draft).
PUBLISH = {"type": "publish_to_wordpress", "params": {"wp_status": "publish"}}


@pytest.fixture
def local_images(monkeypatch):
    """The fake image function stores the bytes (no remote URL to download when publishing)."""

    def save_output(self, ctx, item, output):
        item.file.save(f"img-{item.pk}.png", ContentFile(PNG), save=False)
        item.status = ImageStatus.GENERATED
        item.save(update_fields=["file", "status"])
        return {"image": item.pk}

    monkeypatch.setattr(fakes.FakeImages, "save_output", save_output)


def make_rule(tenant, actions, **extra):
    return services.rule_create(
        account=tenant.account, site=tenant.site, name="Rule", actions=actions, **extra
    )


def article(tenant, title, status="approved"):
    return Content.objects.create(
        account=tenant.account, site=tenant.site, title=title, html=f"<p>{title} body.</p>", status=status
    )


def last_results(rule) -> list[dict]:
    return ScheduledTask.objects.filter(rule=rule).latest("pk").results


def test_action_types_lists_all_eight_as_available(api):
    rows = api.get(f"{RULES}action-types/").json()["data"]
    assert [(r["type"], r["available"]) for r in rows] == [
        ("cluster_keywords", True),
        ("generate_ideas", True),
        ("generate_content", True),
        ("generate_images", True),
        ("generate_site_structure", True),
        ("generate_page_content", True),
        ("optimize_content", True),
        ("publish_to_wordpress", True),
    ]
    publish = rows[7]["params"]
    assert [p["name"] for p in publish] == [
        "wp_status",
        "future_hours",
        "use_schedule",
        "select",
        "batch_size",
        "max_items",
        "item_delay_seconds",
    ]
    assert publish[0]["choices"] == ["draft", "publish", "future"]


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (
            {"type": "publish_to_wordpress", "params": {"wp_status": "live"}},
            "actions[0].params.wp_status must be one of draft, publish, future; got 'live'.",
        ),
        (
            {"type": "publish_to_wordpress", "params": {"select": "everything"}},
            "actions[0].params.select must be one of approved, generated; got 'everything'.",
        ),
        (
            {"type": "publish_to_wordpress", "params": {"future_hours": 0}},
            "actions[0].params.future_hours must be at least 0.1; got 0.",
        ),
        (
            {"type": "optimize_content", "params": {"reoptimize": "yes"}},
            "actions[0].params.reoptimize must be bool; got 'yes'.",
        ),
        (
            {"type": "generate_page_content", "params": {"page_ids": [1]}},
            "actions[0].params: unknown page_ids; known: batch_size, max_items, item_delay_seconds.",
        ),
    ],
)
def test_a_bad_param_is_refused_when_the_rule_is_saved(api, alice, action, message):
    response = api.post(RULES, {"name": "R", "site": alice.site.pk, "actions": [action]}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["actions"] == [message]


def test_publish_action_defaults_to_draft(api, alice, wp, wp_site, sent):
    rows = api.get(f"{RULES}action-types/").json()["data"]
    [wp_status] = [p for p in rows[7]["params"] if p["name"] == "wp_status"]
    assert wp_status["default"] == "draft"
    first = article(alice, "Quiet brew")
    rule = make_rule(alice, [{"type": "publish_to_wordpress", "params": {}}])
    services.rule_execute(rule=rule)
    assert run_pending() == ["completed"]
    record = PublishRecord.objects.get(content=first)
    assert (record.status, record.wp_status, record.remote_status) == ("published", "draft", "draft")
    assert Content.objects.get(pk=first.pk).status == "approved"


def test_publish_rule_refuses_offline_drafts_live_and_says_why(alice, wp, wp_site, sent):
    written = article(alice, "Written brew")
    offline = Content.objects.create(
        account=alice.account,
        site=alice.site,
        title="Skeleton brew",
        html="<p>[Offline draft] Placeholder: write this section (Intro).</p>",
        status="approved",
    )
    rule = make_rule(alice, [PUBLISH])
    services.rule_execute(rule=rule)
    assert run_pending() == ["partially_completed"]
    [result] = last_results(rule)
    assert (result["status"], result["counts"]) == ("partial", {"articles": 2, "published": 1, "failed": 1})
    assert [p["title"]["raw"] for p in wp.posts.values()] == ["Written brew"]
    record = PublishRecord.objects.get(content=offline)
    assert record.status == "failed"
    assert record.error == (
        "“Skeleton brew” was not sent live: it is an offline draft (placeholder text made without an "
        "AI provider, not a written article). Publish it as a draft, or confirm publishing it anyway "
        "(force: true)."
    )
    assert Content.objects.get(pk=written.pk).status == "published"


def test_publish_rule_publishes_approved_articles_once(alice, wp, wp_site, sent):
    first, second = article(alice, "First brew"), article(alice, "Second brew")
    draft = article(alice, "Not yet", status="draft")
    rule = make_rule(alice, [PUBLISH])
    task = services.rule_execute(rule=rule)
    assert task.credits_estimated == 0
    assert run_pending() == ["completed"]
    [result] = last_results(rule)
    assert (result["status"], result["counts"]) == ("success", {"articles": 2, "published": 2, "failed": 0})
    assert result["outputs"] == {"content": [first.pk, second.pk]}
    assert sorted(p["title"]["raw"] for p in wp.posts.values()) == ["First brew", "Second brew"]
    records = PublishRecord.objects.order_by("content_id")
    assert [(r.content_id, r.status, r.remote_status) for r in records] == [
        (first.pk, "published", "publish"),
        (second.pk, "published", "publish"),
    ]
    assert set(Content.objects.filter(status="published").values_list("pk", flat=True)) == {
        first.pk,
        second.pk,
    }
    assert Content.objects.get(pk=draft.pk).status == "draft"

    services.rule_execute(rule=rule)  # nothing left: no second post
    assert run_pending() == ["completed"]
    assert (last_results(rule)[0]["status"], len(wp.posts)) == ("skipped", 2)


def test_publish_generated_drafts_as_wordpress_drafts(alice, wp, wp_site, sent):
    draft = article(alice, "Draft one", status="draft")
    rule = make_rule(
        alice, [{"type": "publish_to_wordpress", "params": {"select": "generated", "wp_status": "draft"}}]
    )
    services.rule_execute(rule=rule)
    assert run_pending() == ["completed"]
    assert [p["status"] for p in wp.posts.values()] == ["draft"]
    record = PublishRecord.objects.get(content=draft)
    assert (record.status, record.remote_status, Content.objects.get(pk=draft.pk).status) == (
        "published",
        "draft",
        "draft",
    )


def test_wordpress_failures_are_counted_as_failed_items(alice, wp, wp_site, sent):
    wp_site.wp_secrets = {"app_password": "wrong pass word here"}
    wp_site.save()
    article(alice, "One")
    article(alice, "Two")
    rule = make_rule(alice, [PUBLISH])
    services.rule_execute(rule=rule)
    assert run_pending() == ["failed"]
    [result] = last_results(rule)
    assert (result["status"], result["counts"]) == ("failed", {"articles": 2, "published": 0, "failed": 2})
    assert result["error"].startswith("2 of 2 failed; content ")
    assert list(PublishRecord.objects.values_list("status", flat=True)) == ["failed", "failed"]
    assert wp.posts == {}


def test_use_schedule_gives_articles_slots_instead_of_publishing(alice, wp, wp_site, sent):
    first, second = article(alice, "A"), article(alice, "B")
    rule = make_rule(alice, [{"type": "publish_to_wordpress", "params": {"use_schedule": True}}])
    services.rule_execute(rule=rule)
    assert run_pending() == ["completed"]
    [result] = last_results(rule)
    assert result["counts"] == {"articles": 2, "scheduled": 2, "failed": 0}
    records = PublishRecord.objects.order_by("content_id")
    assert [(r.content_id, r.status) for r in records] == [(first.pk, "scheduled"), (second.pk, "scheduled")]
    assert records[0].scheduled_for < records[1].scheduled_for
    assert wp.posts == {}


def test_optimize_content_runs_offline_and_keeps_a_revision(alice, sent):
    one = article(alice, "Espresso at home", status="draft")
    two = article(alice, "Moka pot guide", status="draft")
    rule = make_rule(alice, [{"type": "optimize_content", "params": {}}])
    assert services.rule_execute(rule=rule).credits_estimated == 2 * 10
    assert run_pending() == ["completed"]
    [result] = last_results(rule)
    assert (result["status"], result["outputs"], result["credits_used"]) == (
        "success",
        {"content": [one.pk, two.pk]},
        20,
    )
    assert sorted(ContentRevision.objects.values_list("content_id", "reason")) == [
        (one.pk, "optimize"),
        (two.pk, "optimize"),
    ]
    assert list(AIRun.objects.values_list("function_name", "status")) == [("optimize_content", "success")]
    services.rule_execute(rule=rule)  # both optimised already: nothing to do
    assert run_pending() == ["completed"]
    assert last_results(rule)[0]["status"] == "skipped"


def test_structure_then_page_content_runs_offline(alice, sent):
    for name in ("Espresso machines", "Espresso grinders"):
        cluster = Cluster.objects.create(account=alice.account, site=alice.site, name=name)
        Keyword.objects.create(
            account=alice.account,
            site=alice.site,
            keyword=name.lower(),
            normalized=name.lower(),
            cluster=cluster,
        )
    rule = make_rule(
        alice,
        [{"type": "generate_site_structure", "params": {}}, {"type": "generate_page_content", "params": {}}],
    )
    # structure (20) + at most a pillar and a page per cluster (4 pages x 30)
    assert services.rule_execute(rule=rule).credits_estimated == 20 + 4 * 30
    assert run_pending() == ["completed"]
    structure, pages = last_results(rule)
    assert structure["counts"] == {"pillars": 1, "cluster_pages": 2, "supporting": 0}
    written = list(SitePage.objects.order_by("position").values_list("page_type", "content__content_type"))
    assert written == [("pillar", "page"), ("cluster", "page"), ("cluster", "page")]
    assert structure["outputs"]["page"] == pages["outputs"]["page"]
    assert (pages["counts"], pages["credits_used"]) == ({"pages": 3, "content": 3}, 90)
    assert sorted(pages["outputs"]["content"]) == sorted(Content.objects.values_list("pk", flat=True))


def test_one_rule_runs_the_whole_chain_through_publishing(alice, wp, wp_site, sent, local_images):
    """cluster -> ideas (queued as tasks) -> content -> image prompts + images -> publish, from one
    manual execute. Each step takes what the previous one produced first, then what is left in the
    site (issue 12: rules keep moving): the older approved article without images gets them and is
    published with the four new ones."""
    add_keywords(alice, "v60 recipe", "v60 grind", "aeropress recipe")
    before = article(alice, "Older approved article")
    rule = make_rule(alice, [*CHAIN, PUBLISH])
    services.rule_execute(rule=rule)
    assert run_pending() == ["completed"]
    results = last_results(rule)
    assert [(r["type"], r["status"]) for r in results] == [
        ("cluster_keywords", "success"),
        ("generate_ideas", "success"),
        ("generate_content", "success"),
        ("generate_images", "success"),
        ("publish_to_wordpress", "success"),
    ]
    produced = sorted(Content.objects.exclude(pk=before.pk).values_list("pk", flat=True))
    assert len(produced) == 4
    everything = sorted([before.pk, *produced])
    assert results[4]["outputs"] == {"content": everything}
    assert results[4]["counts"] == {"articles": 5, "published": 5, "failed": 0}
    assert sorted(PublishRecord.objects.values_list("content_id", flat=True)) == everything
    assert len(wp.posts) == 5 and len(wp.media) == 10  # two images each, uploaded once
    assert Image.objects.filter(status="generated").count() == 10
