"""Publishing that never surprises (issue 13, point 7): a draft unless asked, unknown fields refused,
offline drafts and failed articles never sent live without `force`."""

import pytest

from igny8.publishing.models import PublishRecord
from igny8.writer.models import Task
from tests.publishing.conftest import make_article

OFFLINE_HTML = (
    "<p><strong>Offline draft: this is not a written article.</strong> No AI provider was configured.</p>"
    "<h2>Intro</h2><p>[Offline draft] Placeholder: write this section (Intro).</p>"
)
REFUSAL = (
    "“Skeleton” was not sent live: it is an offline draft (placeholder text made without an AI provider, "
    "not a written article). Publish it as a draft, or confirm publishing it anyway (force: true)."
)


def publish_url(content) -> str:
    return f"/api/v1/writer/content/{content.pk}/publish/"


def test_publish_defaults_to_a_wordpress_draft(alice, site, wp, publish_worker):
    content = make_article(alice, title="Quiet post", html="<p>Hello.</p>")
    with publish_worker():
        response = alice.client().post(publish_url(content), {}, format="json")
    assert response.status_code == 202
    body = response.json()
    assert (body["data"]["wp_status"], body["data"]["status"]) == ("draft", "queued")
    assert PublishRecord.objects.get(content=content).remote_status == "draft"
    [post] = wp.posts.values()
    assert post["status"] == "draft"
    content.refresh_from_db()
    assert content.status == "draft"  # a WordPress draft does not mark the article published


def test_unknown_fields_are_a_400_naming_them_and_nothing_is_sent(alice, site, wp):
    content = make_article(alice, title="Typo post", html="<p>Hello.</p>")
    response = alice.client().post(
        publish_url(content), {"wp_status": "draft", "statuss": "draft"}, format="json"
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    accepted = "author, categories, force, scheduled_at, status, tags"
    assert errors == {
        "statuss": [f"Unknown field “statuss”; this request accepts {accepted}."],
        "wp_status": [f"Unknown field “wp_status”; this request accepts {accepted}."],
    }
    assert wp.posts == {}
    assert not PublishRecord.objects.filter(content=content).exists()


def test_bulk_unknown_fields_are_a_400(alice, site, wp):
    content = make_article(alice, title="Bulk typo", html="<p>Hello.</p>")
    response = alice.client().post(
        "/api/v1/publishing/publish/", {"ids": [content.pk], "wp_status": "draft"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["wp_status"]
    assert not PublishRecord.objects.filter(content=content).exists()


@pytest.mark.parametrize("status", ["publish", "future"])
def test_offline_draft_is_refused_live_without_force(alice, site, wp, status):
    content = make_article(alice, title="Skeleton", html=OFFLINE_HTML)
    body = {"status": status, "scheduled_at": "2099-01-01T09:00:00Z"}
    response = alice.client().post(publish_url(content), body, format="json")
    assert response.status_code == 409
    assert response.json()["error"] == REFUSAL
    assert response.json()["errors"] == {}
    assert wp.posts == {}
    assert wp.requests == []  # not even a connection was made
    assert not PublishRecord.objects.filter(content=content).exists()  # nothing queued


def test_offline_draft_goes_as_a_draft_without_asking(alice, site, wp, publish_worker):
    content = make_article(alice, title="Skeleton", html=OFFLINE_HTML)
    with publish_worker():
        response = alice.client().post(publish_url(content), {"status": "draft"}, format="json")
    assert response.status_code == 202
    assert [p["status"] for p in wp.posts.values()] == ["draft"]


def test_offline_draft_goes_live_with_force(alice, site, wp, publish_worker):
    content = make_article(alice, title="Skeleton", html=OFFLINE_HTML)
    with publish_worker():
        response = alice.client().post(
            publish_url(content), {"status": "publish", "force": True}, format="json"
        )
    assert response.status_code == 202
    assert response.json()["data"]["status"] == "queued"
    record = PublishRecord.objects.get(content=content)
    assert (record.status, record.remote_status, record.options["force"]) == ("published", "publish", True)
    assert [p["status"] for p in wp.posts.values()] == ["publish"]


def test_failed_article_is_refused_live_without_force(alice, site, wp):
    content = make_article(alice, title="Broken", html="<p>Half an article.</p>")
    Task.objects.filter(pk=content.task_id).update(status="failed")
    response = alice.client().post(publish_url(content), {"status": "publish"}, format="json")
    assert response.status_code == 409
    assert response.json()["error"] == (
        "“Broken” was not sent live: its last generation failed. Publish it as a draft, or confirm "
        "publishing it anyway (force: true)."
    )
    assert wp.posts == {}


def test_bulk_live_with_an_offline_draft_queues_nothing_without_force(
    alice, site, wp, django_capture_on_commit_callbacks
):
    written = make_article(alice, title="Written", html="<p>A real article.</p>")
    skeleton = make_article(alice, title="Skeleton", html=OFFLINE_HTML)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = alice.client().post(
            "/api/v1/publishing/publish/",
            {"ids": [written.pk, skeleton.pk], "status": "publish"},
            format="json",
        )
    assert response.status_code == 409
    assert response.json()["error"] == (
        "Not queued, 1 of the 2 articles may not go live. “Skeleton”: it is an offline draft (placeholder "
        "text made without an AI provider, not a written article). Publish them as drafts, or confirm "
        "publishing them anyway (force: true)."
    )
    assert not PublishRecord.objects.exists()
    assert callbacks == []

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = alice.client().post(
            "/api/v1/publishing/publish/",
            {"ids": [written.pk, skeleton.pk], "status": "publish", "force": True},
            format="json",
        )
    assert response.status_code == 202
    records = PublishRecord.objects.order_by("content_id")
    assert [(r.status, r.wp_status, r.options["force"]) for r in records] == [
        ("queued", "publish", True),
        ("queued", "publish", True),
    ]
    assert len(callbacks) == 1


def test_bulk_defaults_to_draft(alice, site, wp, publish_worker):
    skeleton = make_article(alice, title="Skeleton", html=OFFLINE_HTML)
    with publish_worker():
        response = alice.client().post("/api/v1/publishing/publish/", {"ids": [skeleton.pk]}, format="json")
    assert response.status_code == 202
    record = PublishRecord.objects.get(content=skeleton)
    assert (record.status, record.wp_status, record.remote_status) == ("published", "draft", "draft")


def test_a_scheduled_offline_draft_is_failed_with_the_reason_not_sent(alice, site, wp):
    from igny8.publishing import services

    skeleton = make_article(alice, title="Skeleton", html=OFFLINE_HTML)
    record = PublishRecord.objects.create(
        account=alice.account, site=site, content=skeleton, status="scheduled", wp_status="publish"
    )
    [done] = services.records_publish(record_ids=[record.pk])
    assert (done.status, done.error) == ("failed", REFUSAL)
    assert wp.posts == {}
