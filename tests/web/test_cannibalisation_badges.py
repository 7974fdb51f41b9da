"""The ideas and content lists name the item each row competes with; queueing says so too."""

import pytest

from igny8.planner.clustering import embeddings
from igny8.planner.models import Cluster, ContentIdea
from igny8.writer.models import Content, Task

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def _model():
    embeddings.load_model()


def test_badges_and_queue_warning(web, alice):
    cluster = Cluster.objects.create(account=alice.account, site=alice.site, name="espresso machines")
    idea = ContentIdea.objects.create(
        account=alice.account,
        site=alice.site,
        cluster=cluster,
        title="Best espresso machines for home",
        primary_keyword="best espresso machine for home",
    )
    ContentIdea.objects.create(
        account=alice.account,
        site=alice.site,
        cluster=cluster,
        title="How to descale an espresso machine",
        primary_keyword="how to descale an espresso machine",
    )
    task = Task.objects.create(
        account=alice.account,
        site=alice.site,
        cluster=cluster,
        title="t",
        keywords=["top home espresso machines"],
    )
    Content.objects.create(account=alice.account, site=alice.site, task=task, title="Home espresso machines")

    ideas_page = web.get("/planner/ideas/").content.decode()
    assert ideas_page.count("Competes with") == 1
    assert (
        "Competes with article “Home espresso machines” (same cluster, similar topics (0.95))" in ideas_page
    )
    content_page = web.get("/writer/content/").content.decode()
    assert "Competes with idea “Best espresso machines for home”" in content_page

    question = web.post("/planner/ideas/queue/", {"ids": [idea.pk]}).content.decode()
    assert "article “Home espresso machines” and idea “Best espresso machines for home”" in question
    answer = web.post("/planner/ideas/queue/", {"ids": [idea.pk], "confirm": "1"}).content.decode()
    assert "“Best espresso machines for home” competes with article “Home espresso machines”" in answer
