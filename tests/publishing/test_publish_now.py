"""Publish now queues (issue 12 point 7): the request checks what it can answer at once (400, 409)
and hands the record to the worker; WordPress is never called while the client waits. The answer
is 202 with the queued record and the address to poll; the worker sends exactly one post, with the
request's choices; a broker that is down loses nothing (beat's sweep sends the record)."""

from datetime import timedelta

from django.utils import timezone

from igny8.publishing import scheduling, services, tasks
from igny8.publishing.models import PublishRecord
from tests.publishing.conftest import make_article


def publish_url(content) -> str:
    return f"/api/v1/writer/content/{content.pk}/publish/"


def test_publish_now_is_queued_in_the_request_and_sent_once_by_the_worker(alice, site, wp, publish_worker):
    content = make_article(alice, title="Queued post", html="<p>Hello.</p>", slug="queued-post")
    with publish_worker():
        response = alice.client().post(publish_url(content), {"status": "publish"}, format="json")
        # The request is over; its transaction has not committed yet, so no worker has run.
        assert (wp.requests, wp.posts) == ([], {})
        assert PublishRecord.objects.get(content=content).status == "queued"

    assert response.status_code == 202
    body = response.json()
    record = PublishRecord.objects.get(content=content)
    assert body["message"] == "Queued: a worker sends it to WordPress; poll status_url for the result."
    assert body["data"]["status_url"] == f"/api/v1/publishing/records/{record.pk}/"
    assert {key: body["data"][key] for key in ("id", "content", "status", "wp_status", "remote_status")} == {
        "id": record.pk,
        "content": content.pk,
        "status": "queued",
        "wp_status": "publish",
        "remote_status": "",
    }

    [post] = wp.posts.values()
    assert (post["status"], post["slug"]) == ("publish", "queued-post")
    assert wp.count("POST", "/wp-json/wp/v2/posts") == 1
    polled = alice.client().get(body["data"]["status_url"])
    assert polled.status_code == 200
    assert {
        key: polled.json()["data"][key] for key in ("status", "remote_status", "external_id", "attempts")
    } == {
        "status": "published",
        "remote_status": "publish",
        "external_id": str(post["id"]),
        "attempts": 1,
    }
    # The same message delivered twice (a broker's redelivery) sends nothing more.
    assert tasks.publish_records([record.pk]) == 0
    assert (len(wp.posts), wp.count("POST", "/wp-json/wp/v2/posts")) == (1, 1)


def test_the_request_choices_reach_the_record_and_the_post(alice, site, wp, publish_worker):
    """The pickers' categories (ids and names) and author, and the tags, as the worker sends them."""
    gear = wp.add_term("categories", "Gear")
    wp.authors.append({"id": 7, "name": "Ana Writer", "slug": "ana"})
    content = make_article(alice, title="Grinders", html="<p>Burrs.</p>")
    with publish_worker():
        response = alice.client().post(
            publish_url(content),
            {"status": "draft", "categories": [str(gear), "Reviews"], "tags": ["home"], "author": 7},
            format="json",
        )
        queued = PublishRecord.objects.get(content=content)
        assert queued.options == {
            "categories": ["Reviews"],
            "category_ids": [gear],
            "tags": ["home"],
            "author": 7,
            "force": False,
        }
    assert response.status_code == 202
    [post] = wp.posts.values()
    reviews = next(t["id"] for t in wp.terms["categories"].values() if t["raw"] == "Reviews")
    home = next(t["id"] for t in wp.terms["tags"].values() if t["raw"] == "home")
    assert (post["categories"], post["tags"], post["author"], post["status"]) == (
        [gear, reviews],
        [home],
        7,
        "draft",
    )


def test_refusals_are_answered_in_the_request_and_queue_nothing(
    alice, site, wp, django_capture_on_commit_callbacks
):
    content = make_article(alice, title="Past", html="<p>Hi.</p>")
    with django_capture_on_commit_callbacks() as callbacks:
        past = alice.client().post(
            publish_url(content), {"status": "future", "scheduled_at": "2001-01-01T09:00:00Z"}, format="json"
        )
        unknown = alice.client().post(publish_url(content), {"author": 42}, format="json")
    assert (past.status_code, past.json()["errors"]) == (
        400,
        {"scheduled_at": ["Status future needs a date in the future."]},
    )
    assert (unknown.status_code, list(unknown.json()["errors"])) == (400, ["author"])
    assert callbacks == []
    assert not PublishRecord.objects.exists()


def test_a_publication_in_progress_is_a_409_and_a_dead_one_is_taken_over(
    alice, site, wp, django_capture_on_commit_callbacks
):
    content = make_article(alice, title="Busy", html="<p>Hi.</p>")
    record = services.record_get(content=content)
    PublishRecord.objects.filter(pk=record.pk).update(status="publishing", updated_at=timezone.now())
    with django_capture_on_commit_callbacks() as callbacks:
        busy = alice.client().post(publish_url(content), {}, format="json")
    assert busy.status_code == 409
    assert (
        busy.json()["error"] == f"Content {content.pk} is being published right now; try again in a moment."
    )
    assert (PublishRecord.objects.get(pk=record.pk).status, callbacks) == ("publishing", [])

    # Its worker went quiet past the claim's window: the publication is queued again.
    dead = timezone.now() - services.STALE_CLAIM - timedelta(minutes=1)
    PublishRecord.objects.filter(pk=record.pk).update(updated_at=dead)
    with django_capture_on_commit_callbacks() as callbacks:
        again = alice.client().post(publish_url(content), {}, format="json")
    assert (again.status_code, again.json()["data"]["status"], len(callbacks)) == (202, "queued", 1)


def test_a_broker_that_is_down_loses_nothing(
    alice, site, wp, monkeypatch, django_capture_on_commit_callbacks
):
    def refused(ids):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(tasks.publish_records, "delay", refused)
    content = make_article(alice, title="Patient post", html="<p>Hi.</p>")
    with django_capture_on_commit_callbacks(execute=True):
        response = alice.client().post(publish_url(content), {}, format="json")
    assert response.status_code == 202  # the message was refused after the answer was decided
    record = PublishRecord.objects.get(content=content)
    assert (record.status, wp.posts) == ("queued", {})
    # Just queued: not yet taken for lost (a message may still be on its way).
    assert scheduling.due_records() == []

    PublishRecord.objects.filter(pk=record.pk).update(
        updated_at=timezone.now() - scheduling.LOST_AFTER - timedelta(seconds=1)
    )
    assert tasks.publish_due() == 1
    record.refresh_from_db()
    assert (record.status, record.remote_status, len(wp.posts)) == ("published", "draft", 1)


def test_the_record_to_poll_is_the_accounts_own(alice, charlie, site, wp):
    content = make_article(alice, title="Mine", html="<p>Hi.</p>")
    record = PublishRecord.objects.create(
        account=alice.account, site=site, content=content, status="failed", error="WordPress said no."
    )
    url = f"/api/v1/publishing/records/{record.pk}/"
    mine = alice.client().get(url).json()["data"]
    assert (mine["id"], mine["status"], mine["error"]) == (record.pk, "failed", "WordPress said no.")
    assert charlie.client().get(url).status_code == 404
