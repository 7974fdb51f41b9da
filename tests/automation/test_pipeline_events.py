"""The pipeline emits its events where the records are made: a rule on that event gets an
execution (queued after commit), a rule on another event or no rule gets none. The real AI
functions run here (offline provider), not fakes.py's."""

import pytest

from igny8.ai import engine
from igny8.ai import registry as ai_registry
from igny8.ai import services as ai_services
from igny8.ai.models import AIRun
from igny8.automation import events, services
from igny8.automation.models import ScheduledTask, Source, Trigger
from igny8.planner.models import Cluster, ContentIdea, Keyword
from igny8.publishing.services import content_publish
from igny8.writer.models import Content, Image, Task
from tests.publishing.fake_wp import FakeWordPress

ACTIONS = [{"type": "generate_images", "params": {}}]
REAL = {
    "auto_cluster": "igny8.planner.ai.auto_cluster.AutoClusterFunction",
    "auto_generate_ideas": "igny8.planner.ai.auto_generate_ideas.GenerateIdeasFunction",
    "generate_content": "igny8.writer.ai.generate_content.GenerateContentFunction",
    "generate_image_prompts": "igny8.writer.ai.generate_image_prompts.GenerateImagePromptsFunction",
    "generate_images": "igny8.writer.ai.generate_images.GenerateImagesFunction",
}


@pytest.fixture
def real_functions():
    """The real AI functions instead of the fakes this package's conftest installs."""
    saved = {name: ai_registry.FUNCTIONS[name] for name in REAL}
    ai_registry.FUNCTIONS.update(REAL)
    yield
    ai_registry.FUNCTIONS.update(saved)


@pytest.fixture
def rules(alice):
    """A rule on `event_type` and one on another event; returns the matching rule."""

    def make(event_type: str, other: str = "content_published"):
        if event_type == other:
            other = "keywords_imported"
        services.rule_create(
            account=alice.account,
            site=alice.site,
            name="Other",
            actions=ACTIONS,
            trigger=Trigger.EVENT,
            event_type=other,
        )
        return services.rule_create(
            account=alice.account,
            site=alice.site,
            name="On it",
            actions=ACTIONS,
            trigger=Trigger.EVENT,
            event_type=event_type,
        )

    return make


@pytest.fixture
def run_ai(alice, django_capture_on_commit_callbacks):
    """What the worker does with an AI run, with the on-commit callbacks (the events) executed."""

    def call(function_name: str, payload: dict) -> AIRun:
        run = ai_services.run_create(account=alice.account, function_name=function_name, payload=payload)
        claimed = ai_services.run_claim(
            task_id=run.task_id, function_name=function_name, payload=run.payload, account_id=alice.account.pk
        )
        with django_capture_on_commit_callbacks(execute=True):
            engine.execute(claimed)
        claimed.refresh_from_db()
        return claimed

    return call


def started(rule, sent) -> ScheduledTask:
    """The one execution the event started for `rule`, queued to the broker, and nothing else."""
    task = ScheduledTask.objects.get()
    assert (task.rule_id, task.source, task.status, sent) == (rule.pk, Source.EVENT, "pending", [task.pk])
    return task


def test_keyword_import_emits_keywords_imported(api, alice, rules, sent, django_capture_on_commit_callbacks):
    rule = rules("keywords_imported")
    Keyword.objects.create(account=alice.account, site=alice.site, keyword="old one", normalized="old one")
    body = b"keyword,volume\nold one,5\nv60 recipe,10\naeropress recipe,20\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/v1/planner/keywords/import/",
            {"file": _upload(body), "site_id": alice.site.pk},
            format="multipart",
        )
    assert response.status_code == 201, response.content
    new = list(Keyword.objects.exclude(keyword="old one").order_by("pk").values_list("pk", flat=True))
    task = started(rule, sent)
    assert task.context == {"keyword_ids": new, "count": 2, "event_type": "keywords_imported"}


def test_an_import_that_creates_nothing_emits_nothing(
    api, alice, rules, sent, django_capture_on_commit_callbacks
):
    rules("keywords_imported")
    Keyword.objects.create(account=alice.account, site=alice.site, keyword="old one", normalized="old one")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = api.post(
            "/api/v1/planner/keywords/import/",
            {"file": _upload(b"keyword\nold one\n"), "site_id": alice.site.pk},
            format="multipart",
        )
    assert (response.status_code, len(callbacks), ScheduledTask.objects.count(), sent) == (201, 0, 0, [])


@pytest.mark.usefixtures("real_functions")
def test_auto_cluster_emits_clusters_created(alice, rules, sent, run_ai):
    rule = rules("clusters_created")
    for word in (
        "espresso machine",
        "best espresso machine",
        "espresso machines",
        "espresso maker",
        "dog food",
    ):
        Keyword.objects.create(account=alice.account, site=alice.site, keyword=word, normalized=word)
    run = run_ai("auto_cluster", {"site_id": alice.site.pk, "method": "semantic", "threshold": 0.8})
    assert run.status == "success"
    clusters = list(Cluster.objects.order_by("pk").values_list("pk", flat=True))
    assert len(clusters) == 1
    task = started(rule, sent)
    assert task.context == {"cluster_ids": clusters, "count": 1, "event_type": "clusters_created"}


@pytest.mark.usefixtures("real_functions")
def test_generate_ideas_emits_ideas_generated(alice, rules, sent, run_ai):
    rule = rules("ideas_generated")
    cluster = Cluster.objects.create(account=alice.account, site=alice.site, name="Espresso machines")
    Keyword.objects.create(
        account=alice.account,
        site=alice.site,
        keyword="espresso machine",
        normalized="espresso machine",
        cluster=cluster,
    )
    assert run_ai("auto_generate_ideas", {"ids": [cluster.pk]}).status == "success"
    ideas = list(ContentIdea.objects.order_by("pk").values_list("pk", flat=True))
    assert ideas
    task = started(rule, sent)
    assert task.context == {
        "idea_ids": ideas,
        "cluster_ids": [cluster.pk],
        "count": len(ideas),
        "event_type": "ideas_generated",
    }


@pytest.mark.usefixtures("real_functions")
def test_generate_content_emits_content_generated(alice, rules, sent, run_ai):
    rule = rules("content_generated")
    tasks = [
        Task.objects.create(account=alice.account, site=alice.site, title=title, word_count_target=800)
        for title in ("Grind size guide", "Descaling a machine")
    ]
    assert run_ai("generate_content", {"ids": [t.pk for t in tasks]}).status == "success"
    contents = list(Content.objects.order_by("task_id").values_list("pk", flat=True))
    task = started(rule, sent)
    assert task.context == {
        "content_ids": contents,
        "task_ids": [t.pk for t in tasks],
        "count": 2,
        "event_type": "content_generated",
    }


@pytest.mark.usefixtures("real_functions")
def test_generate_images_emits_images_generated(alice, rules, sent, run_ai):
    rule = rules("images_generated")
    content = Content.objects.create(
        account=alice.account, site=alice.site, title="Grind size", html="<p>x</p>"
    )
    images = [
        Image.objects.create(
            account=alice.account, site=alice.site, content=content, position=n, prompt=f"a grinder, view {n}"
        )
        for n in (0, 1)
    ]
    assert run_ai("generate_images", {"ids": [i.pk for i in images]}).status == "success"
    task = started(rule, sent)
    assert task.context == {
        "image_ids": [i.pk for i in images],
        "content_ids": [content.pk],
        "count": 2,
        "event_type": "images_generated",
    }


def test_publishing_emits_content_published(
    alice, wp, wp_site, rules, sent, django_capture_on_commit_callbacks
):
    rule = rules("content_published", other="content_generated")
    content = Content.objects.create(
        account=alice.account, site=alice.site, title="Grind size", html="<p>x</p>"
    )
    with django_capture_on_commit_callbacks(execute=True):
        record = content_publish(content=content)
    assert record.status == "published"
    task = started(rule, sent)
    assert task.context == {"content_ids": [content.pk], "event_type": "content_published"}


def test_a_failed_publication_emits_nothing(alice, rules, sent, settings, django_capture_on_commit_callbacks):
    rules("content_published")
    settings.OUTBOUND_ALLOW = ["127.0.0.1"]
    fake = FakeWordPress().start()
    try:
        site = alice.site
        site.wp_url, site.wp_username = fake.url, "editor"
        site.wp_secrets = {"app_password": "not the password"}
        site.save()
        content = Content.objects.create(account=alice.account, site=site, title="T", html="<p>x</p>")
        with django_capture_on_commit_callbacks(execute=True):
            record = content_publish(content=content)
    finally:
        fake.stop()
    assert (record.status, ScheduledTask.objects.count(), sent) == ("failed", 0, [])


def test_without_a_matching_rule_an_event_costs_one_query(alice, rules, django_assert_num_queries):
    rules("content_published", other="content_generated")
    with django_assert_num_queries(1):
        assert (
            events.dispatch_event(
                account_id=alice.account.pk, site_id=alice.site.pk, event_type="keywords_imported", context={}
            )
            == []
        )
    assert ScheduledTask.objects.count() == 0


def test_a_failing_dispatch_never_breaks_the_operation(
    alice, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(events, "dispatch_event", broken)
    with django_capture_on_commit_callbacks(execute=True):
        events.emit_safely(account=alice.account, site=alice.site, event_type="content_generated", context={})
    events.emit_safely(account=alice.account, site=alice.site, event_type="not_an_event", context={})
    assert ScheduledTask.objects.count() == 0


def _upload(body: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("keywords.csv", body, content_type="text/csv")
