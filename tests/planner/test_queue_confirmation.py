"""Queueing ideas to the writer asks first when they would compete for the same search: the API
refuses with 409 naming every pair unless `confirm` is true; the web asks in a modal (or a page
without JavaScript), where the person unticks one of a pair or confirms. Nothing is queued before.

The pairs here share a primary keyword and have no cluster, so no embedding model is involved."""

import pytest
from django.test import Client

from igny8.planner.models import ContentIdea, IdeaStatus
from igny8.writer.models import Content, Task

pytestmark = pytest.mark.django_db
QUEUE_API = "/api/v1/planner/ideas/bulk_queue_to_writer/"
QUEUE_WEB = "/planner/ideas/queue/"
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def ideas(alice):
    def idea(title, primary, status=IdeaStatus.NEW):
        return ContentIdea.objects.create(
            account=alice.account, site=alice.site, title=title, primary_keyword=primary, status=status
        )

    made = {
        "a": idea("Best espresso grinders", "best espresso grinder"),
        "b": idea("Top espresso grinders, tested", "best espresso grinder"),
        "c": idea("How to descale a kettle", "how to descale a kettle"),
    }
    task = Task.objects.create(
        account=alice.account, site=alice.site, title="Milk frothers", keywords=["milk frother reviews"]
    )
    Content.objects.create(account=alice.account, site=alice.site, task=task, title="Milk frothers reviewed")
    made["d"] = idea("Milk frother reviews", "milk frother reviews")
    return made


def web(alice) -> Client:
    client = Client()
    client.force_login(alice.user)
    return client


def queued() -> set[str]:
    return set(ContentIdea.objects.filter(status=IdeaStatus.QUEUED).values_list("title", flat=True))


def test_api_refuses_with_409_naming_every_pair_until_confirmed(alice, ideas):
    a, b, c, d = ideas["a"], ideas["b"], ideas["c"], ideas["d"]
    answer = alice.client().post(QUEUE_API, {"ids": [a.pk, c.pk, d.pk]}, format="json")
    assert answer.status_code == 409
    body = answer.json()
    assert body["error"].startswith("2 cannibalisation pair(s): these ideas compete with")
    task = Task.objects.get(title="Milk frothers")
    article = Content.objects.get(task=task)
    assert body["errors"] == {
        "confirm": [
            f"article {article.pk} “Milk frothers reviewed” and idea {d.pk} “Milk frother reviews”: "
            'same primary keyword "milk frother reviews"',
            f"idea {a.pk} “Best espresso grinders” and idea {b.pk} “Top espresso grinders, tested”: "
            'same primary keyword "best espresso grinder"',
        ]
    }
    assert queued() == set()
    assert Task.objects.count() == 1

    confirmed = alice.client().post(QUEUE_API, {"ids": [a.pk, c.pk, d.pk], "confirm": True}, format="json")
    assert confirmed.status_code == 201
    data = confirmed.json()["data"]
    assert data["queued"] == 3
    assert [(w["id"], w["with"]["kind"], w["with"]["id"]) for w in data["cannibalisation"]] == [
        (a.pk, "idea", b.pk),
        (d.pk, "content", article.pk),
    ]
    assert queued() == {"Best espresso grinders", "How to descale a kettle", "Milk frother reviews"}


def test_api_queues_without_asking_when_nothing_competes(alice, ideas):
    answer = alice.client().post(QUEUE_API, {"ids": [ideas["c"].pk]}, format="json")
    assert answer.status_code == 201
    assert answer.json()["data"]["queued"] == 1
    assert answer.json()["data"]["cannibalisation"] == []


def test_api_does_not_ask_about_ideas_already_queued(alice, ideas):
    """Only ideas that would be queued now can create a pair; an already queued one is skipped."""
    a = ideas["a"]
    a.status = IdeaStatus.QUEUED
    a.save(update_fields=["status"])
    answer = alice.client().post(QUEUE_API, {"ids": [a.pk]}, format="json")
    assert answer.status_code == 201
    assert answer.json()["data"]["skipped"] == [{"id": a.pk, "reason": "idea is queued"}]


def test_api_confirm_must_be_a_boolean(alice, ideas):
    answer = alice.client().post(QUEUE_API, {"ids": [ideas["a"].pk], "confirm": "perhaps"}, format="json")
    assert answer.status_code == 400
    assert list(answer.json()["errors"]) == ["confirm"]
    assert queued() == set()


def test_web_modal_names_the_pairs_and_queues_only_after_confirming(alice, ideas):
    a, b, c = ideas["a"], ideas["b"], ideas["c"]
    client = web(alice)
    modal = client.post(QUEUE_WEB, {"ids": [a.pk, b.pk, c.pk]}, **HX)
    assert modal.status_code == 200
    html = modal.content.decode()
    assert 'role="dialog"' in html and "Queue to writer: confirm" in html
    assert "1 cannibalisation pair(s)" in html
    assert (
        "idea “Best espresso grinders” and idea “Top espresso grinders, tested”: "
        "same primary keyword &quot;best espresso grinder&quot;"
    ) in html
    # Every selected idea is listed, ticked, to untick one of the pair; the two paired ones say so.
    for idea in (a, b, c):
        assert f'name="ids" value="{idea.pk}" checked' in html
    assert html.count('<span class="badge warning">competes</span>') == 2
    assert 'name="confirm" value="1"' in html
    assert queued() == set()

    # The person unticks one of the pair and confirms: the rest is queued, without a warning left.
    done = client.post(QUEUE_WEB, {"ids": [a.pk, c.pk], "confirm": "1"}, **HX).content.decode()
    assert "Queued 2 idea(s) as writer tasks." in done
    assert queued() == {"Best espresso grinders", "How to descale a kettle"}


def test_web_without_javascript_asks_on_a_page_then_queues_competing_ideas_when_confirmed(alice, ideas):
    d = ideas["d"]
    client = web(alice)
    page = client.post(QUEUE_WEB, {"ids": [d.pk]})
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1>Queue to writer: confirm</h1>" in html
    assert (
        "article “Milk frothers reviewed” and idea “Milk frother reviews”: "
        "same primary keyword &quot;milk frother reviews&quot;"
    ) in html
    assert queued() == set()

    done = client.post(QUEUE_WEB, {"ids": [d.pk], "confirm": "1"}).content.decode()
    assert "Queued 1 idea(s) as writer tasks." in done
    assert "“Milk frother reviews” competes with article “Milk frothers reviewed”" in done
    assert queued() == {"Milk frother reviews"}


def test_web_queues_at_once_when_nothing_competes(alice, ideas):
    done = web(alice).post(QUEUE_WEB, {"ids": [ideas["c"].pk]}, **HX).content.decode()
    assert "Queued 1 idea(s) as writer tasks." in done
    assert "Queue to writer: confirm" not in done
    assert queued() == {"How to descale a kettle"}
