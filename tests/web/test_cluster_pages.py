"""The cluster page's corrections (rename, lock, move, split, remove, delete), merge from the list, and
the cluster map's data, through the web views."""

import json
import re

import numpy as np
import pytest

from igny8.planner import embedding_cache
from igny8.planner.cluster_service import clusters_recount
from igny8.planner.clustering import backends, embeddings
from igny8.planner.models import Cluster, Keyword

pytestmark = pytest.mark.django_db


def make_cluster(alice, name, rows):
    cluster = Cluster.objects.create(account=alice.account, site=alice.site, sector=alice.sector, name=name)
    for text, volume, difficulty in rows:
        Keyword.objects.create(
            account=alice.account,
            site=alice.site,
            sector=alice.sector,
            keyword=text,
            normalized=text,
            volume=volume,
            difficulty=difficulty,
            cluster=cluster,
            status="clustered",
        )
    clusters_recount(cluster_ids=[cluster.pk])
    cluster.refresh_from_db()
    return cluster


@pytest.fixture
def pair(alice):
    espresso = make_cluster(alice, "Espresso", [("espresso machine", 900, 40), ("espresso maker", 100, 31)])
    grinder = make_cluster(
        alice, "Grinders", [("burr grinder", 300, 20), ("coffee grinder", 500, 25), ("hand grinder", 50, 12)]
    )
    return espresso, grinder


def kw(text):
    return Keyword.objects.get(normalized=text)


def state(cluster_id):
    c = Cluster.objects.get(pk=cluster_id)
    return (c.name, c.keywords_count, c.volume, c.avg_difficulty, c.locked)


def test_cluster_page_offers_the_corrections_to_writers_only(web, viewer, pair):
    espresso, grinder = pair
    html = web.get(f"/planner/clusters/{espresso.pk}/").content.decode()
    for needle in (
        f'action="/planner/clusters/{espresso.pk}/rename/"',
        f'action="/planner/clusters/{espresso.pk}/lock/"',
        f'action="/planner/clusters/{espresso.pk}/keywords/"',
        f'<option value="{grinder.pk}">Grinders</option>',
        f'name="keyword_ids" value="{kw("espresso maker").pk}"',
        'name="action" value="split"',
    ):
        assert needle in html, needle
    read_only = viewer.get(f"/planner/clusters/{espresso.pk}/").content.decode()
    assert "keyword_ids" not in read_only and "/rename/" not in read_only
    assert viewer.post(f"/planner/clusters/{espresso.pk}/lock/", {"locked": "1"}).status_code == 403
    assert state(espresso.pk)[4] is False


def test_rename_lock_move_split_remove_delete(web, pair):
    espresso, grinder = pair
    base = f"/planner/clusters/{grinder.pk}"

    response = web.post(f"{base}/rename/", {"name": "Coffee grinders"}, follow=True)
    assert "Renamed to &quot;Coffee grinders&quot;." in response.content.decode()
    response = web.post(f"{base}/lock/", {"locked": "1"}, follow=True)
    assert "Locked: clustering runs will not change it." in response.content.decode()
    assert state(grinder.pk) == ("Coffee grinders", 3, 850, 19.0, True)

    response = web.post(
        f"{base}/keywords/",
        {"action": "move", "keyword_ids": [kw("coffee grinder").pk], "to_cluster": espresso.pk},
    )
    assert response.status_code == 302
    assert state(espresso.pk) == ("Espresso", 3, 1500, 32.0, False)
    assert state(grinder.pk) == ("Coffee grinders", 2, 350, 16.0, True)

    response = web.post(
        f"{base}/keywords/", {"action": "split", "keyword_ids": [kw("hand grinder").pk], "name": "Manual"}
    )
    new = Cluster.objects.get(name="Manual")
    assert response["Location"] == f"/planner/clusters/{new.pk}/"
    assert state(new.pk) == ("Manual", 1, 50, 12.0, False)
    assert state(grinder.pk) == ("Coffee grinders", 1, 300, 20.0, True)

    web.post(
        f"/planner/clusters/{espresso.pk}/keywords/",
        {"action": "unassign", "keyword_ids": [kw("espresso maker").pk]},
    )
    assert (kw("espresso maker").cluster_id, kw("espresso maker").status) == (None, "new")
    assert state(espresso.pk) == ("Espresso", 2, 1400, 32.5, False)

    response = web.post(f"/planner/clusters/{espresso.pk}/delete/")
    assert response["Location"] == "/planner/clusters/"
    assert not Cluster.objects.filter(pk=espresso.pk).exists()
    assert sorted(
        Keyword.objects.filter(cluster__isnull=True, status="new").values_list("keyword", flat=True)
    ) == [
        "coffee grinder",
        "espresso machine",
        "espresso maker",
    ]


def test_refusals_are_shown_with_a_4xx(web, pair, charlie):
    espresso, _ = pair
    base = f"/planner/clusters/{espresso.pk}"
    burr = kw("burr grinder").pk
    cases = [
        (f"{base}/rename/", {"name": "grinders"}, 409,
         "This site already has a cluster named &quot;Grinders&quot;."),
        (f"{base}/keywords/", {"action": "move", "keyword_ids": [kw("espresso maker").pk]}, 400,
         "Pick the cluster to move the keywords to."),
        (f"{base}/keywords/", {"action": "split", "keyword_ids": [burr], "name": "X"}, 400,
         f"Keyword(s) {burr} are not in the cluster &quot;Espresso&quot;."),
        (f"{base}/keywords/", {"action": "split", "keyword_ids": ["x"], "name": "X"}, 400,
         "Ids must be numbers."),
        (f"{base}/keywords/", {"action": "explode"}, 400, "Choose move, split or remove."),
    ]  # fmt: skip
    for url, body, status, message in cases:
        response = web.post(url, body)
        assert response.status_code == status, (url, body)
        assert f'<p class="error" role="alert">{message}</p>' in response.content.decode()
    assert state(espresso.pk) == ("Espresso", 2, 1000, 35.5, False)
    foreign = Cluster.objects.create(account=charlie.account, site=charlie.site, name="Foreign")
    assert web.post(f"/planner/clusters/{foreign.pk}/lock/", {"locked": "1"}).status_code == 404


def test_merge_from_the_list(web, pair):
    espresso, grinder = pair
    html = web.get("/planner/clusters/").content.decode()
    assert 'formaction="/planner/clusters/merge/"' in html

    response = web.post(
        "/planner/clusters/merge/", {"ids": [espresso.pk, grinder.pk], "merge_name": "Coffee gear"}
    )

    assert response["Location"] == f"/planner/clusters/{grinder.pk}/"
    assert state(grinder.pk) == ("Coffee gear", 5, 1850, 25.6, False)
    assert not Cluster.objects.filter(pk=espresso.pk).exists()
    response = web.post("/planner/clusters/merge/", {"ids": [grinder.pk]})
    assert response.status_code == 400
    assert "Select at least two clusters to merge." in response.content.decode()
    assert web.post("/planner/clusters/merge/", {}).status_code == 400


def map_data(html: str) -> dict:
    found = re.search(r'<script id="cluster-map-data" type="application/json">(.*?)</script>', html)
    return json.loads(found.group(1))


def unit(values):
    vector = np.zeros(embeddings.DIMENSIONS, dtype=np.float32)
    vector[: len(values)] = values
    return vector / np.linalg.norm(vector)


def test_map_projects_stored_embeddings_one_colour_per_cluster(web, pair):
    espresso, grinder = pair
    # Fixed vectors stored as a run would have: the espresso keywords near each other, the grinders
    # near each other, far apart between the two. "hand grinder" has none: counted as not shown.
    fixed = {
        "espresso machine": unit([1, 0.1, 0]),
        "espresso maker": unit([1, 0, 0.1]),
        "burr grinder": unit([0, 1, 0.1]),
        "coffee grinder": unit([0.1, 1, 0]),
    }
    embedding_cache.vectors_for(
        texts=sorted(fixed),
        encoder=lambda texts: np.stack([fixed[t] for t in texts]),
        model_name=backends.active_encoder()[1],
    )

    html = web.get("/planner/clusters/map/").content.decode()

    data = map_data(html)
    assert data["clusters"] == [
        {"id": grinder.pk, "name": "Grinders", "colour": "#0072B2", "keywords_count": 3, "volume": 850,
         "avg_difficulty": 19.0},
        {"id": espresso.pk, "name": "Espresso", "colour": "#E69F00", "keywords_count": 2, "volume": 1000,
         "avg_difficulty": 35.5},
    ]  # fmt: skip
    assert data["chart"] == [
        {"id": espresso.pk, "name": "Espresso", "volume": 1000, "avg_difficulty": 35.5},
        {"id": grinder.pk, "name": "Grinders", "volume": 850, "avg_difficulty": 19.0},
    ]
    by_keyword = {p[3]: p for p in data["points"]}
    assert sorted(by_keyword) == sorted(fixed)
    assert {k: p[2] for k, p in by_keyword.items()} == {
        "burr grinder": 0,
        "coffee grinder": 0,
        "espresso machine": 1,
        "espresso maker": 1,
    }
    # The first component separates the two clusters: same sign within, opposite between.
    xs = {k: p[0] for k, p in by_keyword.items()}
    assert xs["burr grinder"] * xs["coffee grinder"] > 0 and xs["espresso machine"] * xs["espresso maker"] > 0
    assert xs["burr grinder"] * xs["espresso machine"] < 0
    assert max(abs(x) for x in xs.values()) == 1.0
    assert "4 keywords of the 2 biggest clusters are shown; 1 are not" in html
    assert '<script src="/static/web/vendor/chart.js/chart.umd.js" defer></script>' in html
    # Same keywords, same picture.
    assert map_data(web.get("/planner/clusters/map/").content.decode()) == data


def test_map_of_a_site_without_clusters(web):
    html = web.get("/planner/clusters/map/").content.decode()
    assert "No clusters with keywords yet" in html
