"""Cannibalisation: ideas and articles of a site that compete for the same search are paired, with
the other one named, in the API lists, the web lists and the queue-to-writer answer."""

import numpy as np
import pytest

from igny8.planner.cannibalisation import overlaps, target
from igny8.planner.models import Cluster, ContentIdea
from igny8.writer.models import Content, Task


def fixed_encoder(table: dict[str, tuple[float, ...]]):
    def encode(texts):
        rows = np.asarray([table[text] for text in texts], dtype=np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)

    return encode


def pairs(found):
    return [(o.first.key, o.second.key, o.reason) for o in found]


def test_keyword_overlaps_and_the_same_piece_of_work():
    items = [
        target(kind="idea", id=1, title="A", keywords=["Best Trail Shoes"], cluster_id=None),
        target(kind="idea", id=2, title="B", keywords=["best trail shoes", "x"], cluster_id=None),
        target(
            kind="idea", id=3, title="C", keywords=["trail shoe reviews", "best trail shoes"], cluster_id=None
        ),
        target(kind="idea", id=4, title="D", keywords=["hoka bondi"], cluster_id=None),
        # The article written from idea 4: the same piece of work, never a pair.
        target(kind="content", id=9, title="D", keywords=["hoka bondi"], cluster_id=None, idea_id=4),
    ]
    assert pairs(overlaps(targets=items, encoder=fixed_encoder({}))) == [
        (("idea", 1), ("idea", 2), 'same primary keyword "best trail shoes"'),
        (("idea", 1), ("idea", 3), 'both target "best trail shoes"'),
        (("idea", 2), ("idea", 3), 'both target "best trail shoes"'),
    ]


def test_same_cluster_similar_topics_unless_intent_or_modifiers_differ():
    encoder = fixed_encoder(
        {
            "trail running shoes for women": (1.0, 0.0),
            "womens trail running shoes": (0.95, 0.31),  # 0.95 similar to the first
            "trail running shoes for men": (0.96, 0.28),  # similar too, but another audience
            "how to clean trail running shoes": (0.0, 1.0),
        }
    )
    items = [
        target(kind="idea", id=1, title="t1", keywords=["best trail running shoes for women"], cluster_id=7),
        target(kind="content", id=5, title="t2", keywords=["top womens trail running shoes"], cluster_id=7),
        target(kind="idea", id=2, title="t3", keywords=["best trail running shoes for men"], cluster_id=7),
        target(kind="idea", id=3, title="t4", keywords=["how to clean trail running shoes"], cluster_id=7),
        # Similar but in another cluster: the clusters already say they are different topics.
        target(kind="idea", id=4, title="t5", keywords=["womens trail running shoes"], cluster_id=8),
    ]
    assert pairs(overlaps(targets=items, encoder=encoder)) == [
        (("content", 5), ("idea", 1), "same cluster, similar topics (0.95)"),
    ]
    # Below the threshold nothing is flagged.
    assert overlaps(targets=items, encoder=encoder, similar=0.99) == []


def test_needs_that_are_synonyms_compete_and_other_needs_do_not():
    # The needs after "for" are judged together (clustering.classify_list): "charities" and
    # "nonprofits" are one audience, "consultants" another.
    encoder = fixed_encoder(
        {
            "project management software for charities": (1.0, 0.0, 0.0),
            "project management software for nonprofits": (0.9, 0.436, 0.0),
            "project management software for consultants": (0.95, 0.312, 0.0),
            "charities": (1.0, 0.0, 0.0),
            "nonprofits": (0.8, 0.0, 0.6),
            "consultants": (0.0, 1.0, 0.0),
        }
    )
    primaries = [
        "best project management software for charities",
        "project management software for nonprofits",
        "project management software for consultants",
    ]
    items = [
        target(kind="idea", id=number, title=f"t{number}", keywords=[primary], cluster_id=3)
        for number, primary in enumerate(primaries, start=1)
    ]
    assert pairs(overlaps(targets=items, encoder=encoder)) == [
        (("idea", 1), ("idea", 2), "same cluster, similar topics (0.90)"),
    ]


@pytest.fixture
def competing(alice):
    cluster = Cluster.objects.create(account=alice.account, site=alice.site, name="trail running shoes")
    made = {}
    for title, primary in [
        ("The best trail running shoes for women", "best trail running shoes for women"),
        ("Top women's trail running shoes, tested", "top womens trail running shoes"),
        ("How to clean trail running shoes", "how to clean trail running shoes"),
    ]:
        made[primary] = ContentIdea.objects.create(
            account=alice.account, site=alice.site, cluster=cluster, title=title, primary_keyword=primary
        )
    task = Task.objects.create(
        account=alice.account,
        site=alice.site,
        cluster=cluster,
        title="Trail shoes for women",
        keywords=["trail running shoes for women"],
    )
    article = Content.objects.create(
        account=alice.account, site=alice.site, task=task, title="Trail shoes for women (published)"
    )
    return made, article


@pytest.mark.django_db
def test_api_lists_and_queue_name_the_competitor(alice, competing, model):
    ideas, article = competing
    first, second = ideas["best trail running shoes for women"], ideas["top womens trail running shoes"]
    listed = alice.client().get("/api/v1/planner/ideas/", {"ordering": "title"}).json()["results"]
    flags = {row["title"]: [(c["kind"], c["title"]) for c in row["cannibalises"]] for row in listed}
    assert flags == {
        "How to clean trail running shoes": [],
        "The best trail running shoes for women": [
            ("content", "Trail shoes for women (published)"),
            ("idea", "Top women's trail running shoes, tested"),
        ],
        "Top women's trail running shoes, tested": [
            ("content", "Trail shoes for women (published)"),
            ("idea", "The best trail running shoes for women"),
        ],
    }
    content = alice.client().get(f"/api/v1/writer/content/{article.pk}/").json()["data"]
    assert [c["title"] for c in content["cannibalises"]] == [
        "The best trail running shoes for women",
        "Top women's trail running shoes, tested",
    ]
    refused = alice.client().post(
        "/api/v1/planner/ideas/bulk_queue_to_writer/", {"ids": [first.pk, second.pk]}, format="json"
    )
    assert refused.status_code == 409
    assert len(refused.json()["errors"]["confirm"]) == 3  # both with the article, and with each other
    answer = alice.client().post(
        "/api/v1/planner/ideas/bulk_queue_to_writer/",
        {"ids": [first.pk, second.pk], "confirm": True},
        format="json",
    )
    assert answer.status_code == 201
    warnings = answer.json()["data"]["cannibalisation"]
    assert [(w["id"], w["with"]["kind"], w["with"]["title"]) for w in warnings] == [
        (first.pk, "content", "Trail shoes for women (published)"),
        (first.pk, "idea", "Top women's trail running shoes, tested"),
        (second.pk, "content", "Trail shoes for women (published)"),
        (second.pk, "idea", "The best trail running shoes for women"),
    ]
    assert warnings[1]["with"]["reason"].startswith("same cluster, similar topics (0.9")
