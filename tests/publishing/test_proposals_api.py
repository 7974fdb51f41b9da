"""Optimize with AI as a proposal in the API and automation (issue 13, point 2): text edited by
hand is named in the proposal, kept by default on accept, and never replaced by automation."""

import pytest

from igny8.ai.models import AIRun
from igny8.ai.tasks import run_ai_task
from igny8.publishing import optimizing
from igny8.publishing.models import ContentRevision
from igny8.writer import services as writer_services
from tests.publishing.conftest import make_article

HTML = "<p>" + "Espresso at home starts with fresh beans and a good grinder. " * 4 + "</p>"


@pytest.fixture
def run_now(monkeypatch, django_capture_on_commit_callbacks):
    sent = []
    monkeypatch.setattr(run_ai_task, "apply_async", lambda args, task_id: sent.append((args, task_id)))

    def call(client, path):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(path, {}, format="json")
        assert response.status_code == 202, response.content
        task_id = response.json()["data"]["task_id"]
        run_ai_task.apply(args=sent[-1][0], task_id=task_id)
        return AIRun.objects.get(task_id=task_id)

    return call


@pytest.fixture
def article(alice, cluster):
    content = make_article(
        alice, title="Espresso at home", html=HTML, cluster=cluster, primary="espresso at home"
    )
    # A person writes the meta title by hand (an "edit" revision keeps the empty one before).
    writer_services.content_update(instance=content, meta_title="My own title")
    return content


def test_a_hand_edited_field_is_named_and_kept_unless_named_on_accept(alice, article, run_now):
    client = alice.client()
    base = f"/api/v1/writer/content/{article.pk}"
    run = run_now(client, f"{base}/optimize/")
    proposal = client.get(f"{base}/proposal/", {"task_id": run.task_id}).json()["data"]
    assert [(f["field"], f["hand_edited"]) for f in proposal["fields"]] == [
        ("meta_title", True),
        ("meta_description", False),
    ]
    assert proposal["hand_edited"] == ["meta_title"]

    accepted = client.post(f"{base}/proposal/accept/", {"task_id": run.task_id}, format="json")
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["data"]["applied"] == ["meta_description"]
    assert accepted.json()["message"] == (
        "Applied: Meta description. Left as you wrote it: Meta title (name it in fields to replace it)."
    )
    article.refresh_from_db()
    assert article.meta_title == "My own title"
    assert article.meta_description.startswith("Espresso at home starts")


def test_naming_a_hand_edited_field_replaces_it_with_a_warning(alice, article, run_now):
    client = alice.client()
    base = f"/api/v1/writer/content/{article.pk}"
    run = run_now(client, f"{base}/optimize/")
    accepted = client.post(
        f"{base}/proposal/accept/", {"task_id": run.task_id, "fields": ["meta_title"]}, format="json"
    )
    assert accepted.status_code == 200, accepted.json()
    revision = ContentRevision.objects.filter(content=article, reason="optimize").get()
    assert accepted.json()["data"]["warnings"] == [
        f"Meta title was edited by hand; the proposal replaced it (revision {revision.pk} keeps your text)."
    ]
    article.refresh_from_db()
    assert (article.meta_title, revision.meta_title) == ("Espresso at home", "My own title")


def test_accept_refuses_unknown_runs_fields_and_unfinished_runs(alice, article, run_now):
    client = alice.client()
    base = f"/api/v1/writer/content/{article.pk}"
    missing = client.post(f"{base}/proposal/accept/", {"task_id": "nope"}, format="json")
    assert missing.status_code == 404
    assert missing.json()["errors"]["task_id"] == [
        "No Optimize with AI run of this account has that task_id."
    ]
    none = client.get(f"{base}/proposal/")  # none made yet
    assert (none.status_code, none.json()["data"]) == (200, None)
    typo = client.post(f"{base}/proposal/accept/", {"task_id": "x", "fields": ["body"]}, format="json")
    assert typo.status_code == 400
    assert list(typo.json()["errors"]) == ["fields"]
    run = run_now(client, f"{base}/optimize/")
    AIRun.objects.filter(pk=run.pk).update(status="running", result=None)
    busy = client.post(f"{base}/proposal/accept/", {"task_id": run.task_id}, format="json")
    assert busy.status_code == 409
    assert busy.json()["error"] == "The optimisation is still running; ask again when it has finished."


def test_automation_applies_directly_but_never_over_text_edited_by_hand(article):
    result = optimizing.optimization_apply(
        content=article,
        fields={
            "title": "Espresso at home",
            "html": HTML,
            "meta_title": "Robot title",
            "meta_description": "D",
        },
        offline=False,
    )
    article.refresh_from_db()
    assert (article.meta_title, article.meta_description) == ("My own title", "D")
    assert (result["applied"], result["changed"], result["kept_hand_edited"]) == (
        True,
        ["meta_description"],
        ["meta_title"],
    )
    assert result["message"] == "Left as edited by hand: Meta title."
    assert optimizing.edited_by_hand(content=article) == ["meta_title"]
