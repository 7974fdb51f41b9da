"""optimize_content, site structure and page content through the engine (offline provider),
the internal linker, our own schedule and the beat task, and the HTTP endpoints."""

from datetime import UTC, datetime, time

import pytest

from igny8.ai.models import AIRun
from igny8.ai.tasks import run_ai_task
from igny8.planner.models import Cluster, ContentIdea
from igny8.publishing import linker, scheduling, tasks
from igny8.publishing.models import ContentRevision, PublishRecord, PublishSchedule, SitePage
from igny8.writer.models import Content
from tests.publishing.conftest import make_article


@pytest.fixture
def run_now(monkeypatch, django_capture_on_commit_callbacks):
    sent = []
    monkeypatch.setattr(run_ai_task, "apply_async", lambda args, task_id: sent.append((args, task_id)))

    def call(client, path, body=None):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(path, body or {}, format="json")
        assert response.status_code == 202, response.content
        task_id = response.json()["data"]["task_id"]
        run_ai_task.apply(args=sent[-1][0], task_id=task_id)
        return AIRun.objects.get(task_id=task_id)

    return call


def test_optimize_offline_proposes_deterministic_fixes_accept_applies_and_restore(alice, cluster, run_now):
    html = "<p>" + "Espresso at home starts with fresh beans and a good grinder. " * 4 + "</p>"
    content = make_article(
        alice, title="Espresso at home", html=html, cluster=cluster, primary="espresso at home"
    )
    client = alice.client()
    base = f"/api/v1/writer/content/{content.pk}"
    before = client.get(f"{base}/score/").json()["data"]["total"]

    run = run_now(client, f"{base}/optimize/")
    assert (run.status, run.payload["propose"]) == ("success", True)
    content.refresh_from_db()
    assert (content.meta_title, content.meta_description) == ("", "")  # a proposal: nothing applied
    assert not ContentRevision.objects.exists()

    proposal = client.get(f"{base}/proposal/", {"task_id": run.task_id}).json()["data"]
    assert [f["field"] for f in proposal["fields"]] == ["meta_title", "meta_description"]
    meta_title = proposal["fields"][0]
    assert (meta_title["label"], meta_title["current"], meta_title["proposed"]) == (
        "Meta title",
        "",
        "Espresso at home",
    )
    assert meta_title["lines"] == [
        {"kind": "removed", "text": ""},
        {"kind": "added", "text": "Espresso at home"},
    ]
    # keyword in meta title (5) and meta description (5), description 120-160 chars (5); the
    # 16-character meta title stays short of 30, which only a rewrite could fix
    assert (proposal["score_before"], proposal["score_after"]) == (before, 65) == (50, 65)
    assert (proposal["offline"], proposal["stale"], proposal["hand_edited"]) == (True, False, [])
    assert proposal["message"].startswith(
        "No AI provider is configured, so only deterministic fixes are possible ("
    )
    assert proposal["message"].endswith("); no credits were charged.")
    assert client.get(f"{base}/proposal/").json()["data"]["task_id"] == run.task_id  # the newest

    accepted = client.post(f"{base}/proposal/accept/", {"task_id": run.task_id}, format="json")
    assert accepted.status_code == 200, accepted.json()
    revision = ContentRevision.objects.get(content=content)
    assert accepted.json()["data"] == {
        "applied": ["meta_title", "meta_description"],
        "revision_id": revision.pk,
        "warnings": [],
        "kept_hand_edited": [],
    }
    assert accepted.json()["message"] == "Applied: Meta title, Meta description."
    content.refresh_from_db()
    assert content.meta_title == "Espresso at home"
    assert content.meta_description.startswith("Espresso at home starts with fresh beans")
    assert content.html == html  # no rewrite offline
    assert client.get(f"{base}/score/").json()["data"]["total"] == 65
    assert (revision.reason, revision.meta_title, revision.score) == ("optimize", "", before)

    # The proposal was made for the version before: accepting it again is refused.
    again = client.post(f"{base}/proposal/accept/", {"task_id": run.task_id}, format="json")
    assert again.status_code == 409
    assert again.json()["error"].startswith("The article changed after this proposal was made")
    assert client.get(f"{base}/proposal/", {"task_id": run.task_id}).json()["data"]["stale"] is True

    response = client.post(f"{base}/restore/", {"revision": revision.pk}, format="json")
    assert response.status_code == 200
    content.refresh_from_db()
    assert (content.meta_title, content.meta_description) == ("", "")
    assert ContentRevision.objects.filter(content=content).count() == 2


def test_site_structure_and_page_content_offline(alice, run_now):
    for name, volume in [("espresso machines", 900), ("espresso grinders", 500), ("tea kettles", 300)]:
        Cluster.objects.create(account=alice.account, site=alice.site, name=name, volume=volume)
    machines = Cluster.objects.get(name="espresso machines")
    ContentIdea.objects.create(
        account=alice.account, site=alice.site, cluster=machines, title="Best espresso machine"
    )
    client = alice.client()
    run = run_now(client, f"/api/v1/publishing/sites/{alice.site.pk}/structure/")
    assert run.status == "success"
    pages = {(p.page_type, p.title, p.parent.title if p.parent else None) for p in SitePage.objects.all()}
    assert pages == {
        ("pillar", "Espresso: the complete guide", None),
        ("cluster", "espresso machines", "Espresso: the complete guide"),
        ("cluster", "espresso grinders", "Espresso: the complete guide"),
        ("supporting", "Best espresso machine", "espresso machines"),
        ("pillar", "Tea kettles: the complete guide", None),
        ("cluster", "tea kettles", "Tea kettles: the complete guide"),
    }
    run_now(client, f"/api/v1/publishing/sites/{alice.site.pk}/structure/")  # again: updated in place
    assert SitePage.objects.count() == 6

    pillar = SitePage.objects.get(title="Espresso: the complete guide")
    run = run_now(client, "/api/v1/publishing/pages/generate_content/", {"ids": [pillar.pk]})
    assert run.status == "success"
    pillar.refresh_from_db()
    assert pillar.content.content_type == "page"
    assert pillar.content.html.startswith(
        "<p>[Offline draft] Pillar page for espresso machines, espresso grinders."
    )
    assert "<h2>espresso machines</h2>" in pillar.content.html


def test_linker_inserts_links_outside_headings_and_links(alice, cluster):
    target = make_article(
        alice,
        title="Grinder guide",
        html="<p>A burr grinder and milk frothing.</p>",
        cluster=cluster,
        primary="burr grinder",
        external_url="https://example.com/grinder/",
    )
    other = make_article(
        alice,
        title="Milk",
        html="<p>y</p>",
        cluster=cluster,
        primary="milk frothing",
        external_url="https://example.com/milk/",
    )
    source = make_article(
        alice,
        title="Espresso",
        html=(
            "<h2>Burr grinder basics</h2><p><a href='https://x.org'>burr grinder</a> talk.</p>"
            "<p>A burr grinder matters. Milk frothing too. Burr grinder again.</p>"
        ),
        cluster=cluster,
    )
    added = linker.links_apply(content=source, max_links=1)
    assert [(a.target_id, a.anchor) for a in added] == [(target.pk, "burr grinder")]
    source.refresh_from_db()
    assert source.html == (
        '<h2>Burr grinder basics</h2><p><a href="https://x.org" rel="noopener">burr grinder</a> talk.</p>'
        '<p>A <a href="https://example.com/grinder/" rel="noopener">burr grinder</a> matters. '
        "Milk frothing too. Burr grinder again.</p>"
    )
    assert linker.links_apply(content=source, max_links=1) == []  # the cap counts earlier links
    assert [a.target_id for a in linker.links_apply(content=source, max_links=2)] == [other.pk]
    # never to itself, though its own keyword is in its text
    assert [a.target_id for a in linker.links_suggest(content=target, max_links=3)] == [other.pk]


def test_slots_with_daily_cap_and_timezone():
    schedule = PublishSchedule(slots=["15:00", "09:00", "12:00"], daily_cap=2, timezone="Europe/Berlin")
    start = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)  # 08:00 in Berlin
    taken = [datetime(2026, 3, 2, 8, 0, tzinfo=UTC)]  # 09:00 Berlin already used
    found = scheduling.slots_compute(schedule=schedule, start=start, count=3, taken=taken)
    assert [f.isoformat() for f in found] == [
        "2026-03-02T11:00:00+00:00",  # 12:00 Berlin, second of the day's cap of 2
        "2026-03-03T08:00:00+00:00",
        "2026-03-03T11:00:00+00:00",
    ]
    stagger = PublishSchedule(mode="stagger", window_start=time(9), window_end=time(17), daily_cap=4)
    assert scheduling.day_times(stagger) == [time(9), time(11), time(13), time(15)]


def test_schedule_then_beat_publishes_when_due(alice, site, wp, freezer=None):
    contents = [make_article(alice, title=f"Post {i}", html=f"<p>{i}</p>") for i in range(3)]
    client = alice.client()
    response = client.put(
        f"/api/v1/publishing/sites/{site.pk}/schedule/", {"slots": ["09:00"], "daily_cap": 1}, format="json"
    )
    assert response.status_code == 200
    start = datetime(2020, 1, 1, 10, 0, tzinfo=UTC)
    response = client.post(
        "/api/v1/publishing/schedule/",
        {"ids": [c.pk for c in contents], "start": start.isoformat()},
        format="json",
    )
    assert [r["scheduled_for"] for r in response.json()["data"]] == [
        "2020-01-02T09:00:00Z",
        "2020-01-03T09:00:00Z",
        "2020-01-04T09:00:00Z",
    ]
    assert tasks.publish_due() == 3  # all long due
    assert tasks.publish_due() == 0  # idempotent
    assert sorted(PublishRecord.objects.values_list("status", flat=True)) == ["published"] * 3
    assert len(wp.posts) == 3
    assert set(Content.objects.values_list("status", flat=True)) == {"published"}


def test_publish_endpoints(alice, bob, site, wp, publish_worker):
    content = make_article(alice, title="Endpoint post", html="<p>Hi.</p>")
    with publish_worker():
        response = alice.client().post(
            f"/api/v1/writer/content/{content.pk}/publish/", {"status": "draft"}, format="json"
        )
    body = response.json()
    assert response.status_code == 202
    assert (body["data"]["status"], body["data"]["wp_status"]) == ("queued", "draft")
    polled = alice.client().get(body["data"]["status_url"]).json()["data"]
    assert (polled["status"], polled["remote_status"]) == ("published", "draft")

    with publish_worker():
        response = alice.client().post(
            "/api/v1/publishing/publish/", {"ids": [content.pk], "status": "publish"}, format="json"
        )
    assert response.status_code == 202
    record = PublishRecord.objects.get(content=content)
    assert (record.status, record.remote_status, len(wp.posts)) == ("published", "publish", 1)

    report = alice.client().post(f"/api/v1/publishing/sites/{site.pk}/test_connection/").json()
    assert report["data"]["ok"] is True
    assert bob.client().post(f"/api/v1/publishing/sites/{site.pk}/test_connection/").status_code == 403
    records = alice.client().get("/api/v1/publishing/records/").json()
    assert records["count"] == 1
