"""Corrections by hand (planner.cluster_edits) through the API: metrics stay exact, sites stay apart,
locks survive a clustering run."""

import pytest

from igny8.accounts import services as account_services
from igny8.planner.models import Cluster, ContentIdea, Keyword
from igny8.publishing.models import SitePage
from igny8.writer.models import Task
from tests.planner_ai.conftest import add_cluster, add_keywords

pytestmark = pytest.mark.django_db
BASE = "/api/v1/planner/clusters/"


def metrics(cluster_id: int) -> tuple:
    c = Cluster.objects.get(pk=cluster_id)
    return (c.name, c.keywords_count, c.volume, c.avg_difficulty)


def texts(cluster_id: int) -> list[str]:
    return sorted(Keyword.objects.filter(cluster_id=cluster_id).values_list("keyword", flat=True))


@pytest.fixture
def two(alice):
    espresso = add_cluster(alice, "Espresso", [("espresso machine", 900, 40), ("espresso maker", 100, 31)])
    grinder = add_cluster(
        alice, "Grinders", [("burr grinder", 300, 20), ("coffee grinder", 500, 25), ("hand grinder", 50, 12)]
    )
    from igny8.planner.cluster_service import clusters_recount

    clusters_recount(cluster_ids=[espresso.pk, grinder.pk])
    return espresso, grinder


def kw(text: str) -> Keyword:
    return Keyword.objects.get(normalized=text)


def test_merge_moves_keywords_ideas_tasks_and_recounts(alice, two):
    espresso, grinder = two
    idea = ContentIdea.objects.create(
        account=alice.account, site=alice.site, cluster=espresso, title="Best espresso machines"
    )
    task = Task.objects.create(account=alice.account, site=alice.site, cluster=espresso, title="Espresso")
    page = SitePage.objects.create(
        account=alice.account,
        site=alice.site,
        cluster=espresso,
        page_type="cluster",
        title="Espresso",
        slug="e",
    )

    response = alice.client().post(
        f"{BASE}merge/", {"ids": [espresso.pk, grinder.pk], "name": "Coffee gear"}, format="json"
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["success"], body["data"]["id"], body["data"]["name"]) == (True, grinder.pk, "Coffee gear")
    assert body["message"] == 'Merged 2 clusters into "Coffee gear".'
    assert not Cluster.objects.filter(pk=espresso.pk).exists()
    # 900+100+300+500+50 = 1850; (40+31+20+25+12)/5 = 25.6
    assert metrics(grinder.pk) == ("Coffee gear", 5, 1850, 25.6)
    followed = [
        model.objects.get(pk=row.pk).cluster_id
        for model, row in ((ContentIdea, idea), (Task, task), (SitePage, page))
    ]
    assert followed == [grinder.pk, grinder.pk, grinder.pk]


def test_merge_into_a_chosen_cluster_keeps_its_name(alice, two):
    espresso, grinder = two
    response = alice.client().post(
        f"{BASE}merge/", {"ids": [espresso.pk, grinder.pk], "into": espresso.pk}, format="json"
    )
    assert response.status_code == 200
    assert metrics(espresso.pk) == ("Espresso", 5, 1850, 25.6)


def test_split_makes_a_new_cluster_with_exact_metrics(alice, two):
    _, grinder = two
    picked = [kw("burr grinder").pk, kw("hand grinder").pk]

    response = alice.client().post(
        f"{BASE}{grinder.pk}/split/", {"keyword_ids": picked, "name": "Manual grinders"}, format="json"
    )

    assert response.status_code == 201, response.json()
    new_id = response.json()["data"]["id"]
    assert metrics(new_id) == ("Manual grinders", 2, 350, 16.0)
    assert metrics(grinder.pk) == ("Grinders", 1, 500, 25.0)
    assert texts(new_id) == ["burr grinder", "hand grinder"]
    assert Cluster.objects.get(pk=new_id).sector_id == grinder.sector_id


def test_move_between_clusters_and_out_of_every_cluster(alice, two):
    espresso, grinder = two
    client = alice.client()

    response = client.post(
        f"{BASE}{grinder.pk}/move_keywords/",
        {"keyword_ids": [kw("coffee grinder").pk], "to_cluster": espresso.pk},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["message"] == 'Moved 1 keyword(s) to "Espresso".'
    assert (response.json()["data"]["from"]["keywords_count"], response.json()["data"]["to"]["volume"]) == (
        2,
        1500,
    )
    assert metrics(espresso.pk) == ("Espresso", 3, 1500, 32.0)
    assert metrics(grinder.pk) == ("Grinders", 2, 350, 16.0)

    response = client.post(
        f"{BASE}{espresso.pk}/move_keywords/",
        {"keyword_ids": [kw("espresso maker").pk], "to_cluster": None},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["data"]["to"] is None
    assert metrics(espresso.pk) == ("Espresso", 2, 1400, 32.5)
    maker = kw("espresso maker")
    assert (maker.cluster_id, maker.status) == (None, "new")


def test_delete_returns_keywords_to_unclustered(alice, two):
    espresso, grinder = two
    used = kw("espresso maker")
    used.status = "used"
    used.save()

    assert alice.client().delete(f"{BASE}{espresso.pk}/").status_code == 204

    rows = dict(
        Keyword.objects.filter(site=alice.site, cluster__isnull=True).values_list("keyword", "status")
    )
    assert rows == {"espresso machine": "new", "espresso maker": "used"}
    response = alice.client().post(f"{BASE}bulk_delete/", {"ids": [grinder.pk]}, format="json")
    assert response.json()["data"] == {"deleted": 1}
    assert Keyword.objects.filter(site=alice.site, status="clustered").count() == 0


def test_rename_lock_unlock(alice, two):
    espresso, _ = two
    client = alice.client()
    response = client.post(f"{BASE}{espresso.pk}/rename/", {"name": "  Espresso   machines "}, format="json")
    assert (response.status_code, response.json()["data"]["name"]) == (200, "Espresso machines")

    response = client.post(f"{BASE}{espresso.pk}/rename/", {"name": "GRINDERS"}, format="json")
    assert response.status_code == 409
    assert response.json()["errors"] == {"name": ['This site already has a cluster named "Grinders".']}

    assert client.post(f"{BASE}{espresso.pk}/lock/").json()["data"]["locked"] is True
    assert Cluster.objects.get(pk=espresso.pk).locked is True
    assert client.post(f"{BASE}{espresso.pk}/unlock/").json()["data"]["locked"] is False


def test_bad_input_is_a_4xx_naming_the_field(alice, two):
    espresso, grinder = two
    client = alice.client()
    cases = [
        (
            f"{BASE}merge/",
            {"ids": [espresso.pk, espresso.pk]},
            400,
            "ids",
            "Select at least two clusters to merge.",
        ),
        (
            f"{BASE}merge/",
            {"ids": [espresso.pk, grinder.pk], "into": 99999},
            400,
            "into",
            "The cluster to merge into must be one of the selected clusters.",
        ),
        (
            f"{BASE}{grinder.pk}/split/",
            {"keyword_ids": [kw("espresso maker").pk], "name": "X"},
            400,
            "keyword_ids",
            f'Keyword(s) {kw("espresso maker").pk} are not in the cluster "Grinders".',
        ),
        (
            f"{BASE}{espresso.pk}/split/",
            {"keyword_ids": [kw("espresso maker").pk, kw("espresso machine").pk], "name": "X"},
            400,
            "keyword_ids",
            "Leave at least one keyword in the cluster; to move them all, rename it instead.",
        ),
        (
            f"{BASE}{espresso.pk}/split/",
            {"keyword_ids": [kw("espresso maker").pk], "name": "grinders"},
            409,
            "name",
            'This site already has a cluster named "Grinders".',
        ),
        (
            f"{BASE}{espresso.pk}/move_keywords/",
            {"keyword_ids": [kw("espresso maker").pk], "to_cluster": espresso.pk},
            400,
            "to_cluster",
            "Pick another cluster to move the keywords to.",
        ),
        (f"{BASE}{espresso.pk}/rename/", {"name": "   "}, 400, "name", None),
    ]
    for url, body, status, field, message in cases:
        response = client.post(url, body, format="json")
        assert (response.status_code, response.json()["success"]) == (status, False), (url, body)
        assert field in response.json()["errors"], response.json()
        if message:
            assert response.json()["errors"][field] == [message]
    assert metrics(espresso.pk) == ("Espresso", 2, 1000, 35.5)
    assert metrics(grinder.pk) == ("Grinders", 3, 850, 19.0)


def test_other_sites_and_accounts_are_refused(alice, bob, charlie, two):
    espresso, _ = two
    second = account_services.site_create(account=alice.account, name="Second", url="https://second.example")
    elsewhere = Cluster.objects.create(account=alice.account, site=second, name="Elsewhere")
    foreign = add_cluster(charlie, "Foreign", [("tea kettle", 10, 5)])
    client = alice.client()

    response = client.post(f"{BASE}merge/", {"ids": [espresso.pk, elsewhere.pk]}, format="json")
    assert (response.status_code, response.json()["errors"]) == (
        400,
        {"ids": ["Merge clusters of one site at a time."]},
    )
    response = client.post(
        f"{BASE}{espresso.pk}/move_keywords/",
        {"keyword_ids": [kw("espresso maker").pk], "to_cluster": elsewhere.pk},
        format="json",
    )
    assert (response.status_code, response.json()["errors"]) == (
        404,
        {"to_cluster": [f"No such cluster(s) in this site: {elsewhere.pk}."]},
    )
    response = client.post(f"{BASE}merge/", {"ids": [espresso.pk, foreign.pk]}, format="json")
    assert (response.status_code, list(response.json()["errors"])) == (400, ["ids"])
    assert client.post(f"{BASE}{foreign.pk}/lock/").status_code == 404
    assert (
        charlie.client().post(f"{BASE}{espresso.pk}/rename/", {"name": "Mine"}, format="json").status_code
        == 404
    )
    assert bob.client().post(f"{BASE}{espresso.pk}/lock/").status_code == 403
    assert metrics(espresso.pk) == ("Espresso", 2, 1000, 35.5)
    assert Cluster.objects.get(pk=espresso.pk).locked is False


@pytest.mark.usefixtures("embedding_model")
@pytest.mark.parametrize("lock", [True, False])
def test_locked_cluster_survives_a_clustering_run(alice, run_now, lock):
    locked = add_cluster(
        alice, "espresso machine", [("espresso machine", 5000, 40), ("espresso maker", 900, 30)]
    )
    open_one = add_cluster(
        alice, "coffee grinder", [("coffee grinder", 4000, 25), ("burr grinder", 1200, 20)]
    )
    from igny8.planner.cluster_service import clusters_recount

    clusters_recount(cluster_ids=[locked.pk, open_one.pk])
    if lock:
        alice.client().post(f"{BASE}{locked.pk}/lock/")
    add_keywords(
        alice,
        [
            ("espresso machines", 800, 38),
            ("best espresso machine", 3000, 45),
            ("best coffee grinder", 2500, 35),
            ("conical burr grinder", 300, 15),
            ("cold brew recipe", 2000, 10),
            ("how to make cold brew", 1800, 12),
        ],
    )
    url = "/api/v1/planner/keywords/auto_cluster/"
    if lock:  # its keywords cannot be picked for a run either
        response, _ = run_now(alice.client(), url, {"ids": [kw("espresso maker").pk], "method": "semantic"})
        assert (response.status_code, response.json()["errors"]) == (
            400,
            {
                "ids": [
                    "No such keyword(s) to cluster in this site (archived, or in a locked cluster): "
                    f"{kw('espresso maker').pk}."
                ]
            },
        )

    response, run = run_now(
        alice.client(), url, {"site_id": alice.site.pk, "method": "semantic", "threshold": 0.8}
    )

    assert run.status == "success", run.error
    names = {c.name: texts(c.pk) for c in Cluster.objects.filter(site=alice.site)}
    espresso = ["espresso machine", "espresso maker"]
    new_espresso = ["best espresso machine", "espresso machines"]
    if lock:  # the new espresso keywords match it but may not join: a cluster of their own
        assert names == {
            "espresso machine": espresso,
            "best espresso machine": new_espresso,
            "coffee grinder": ["burr grinder", "coffee grinder"],
            "cold brew recipe": ["cold brew recipe", "how to make cold brew"],
        }
        assert metrics(locked.pk) == ("espresso machine", 2, 5900, 35.0)
    else:  # the control: unlocked, the same run extends it
        assert names["espresso machine"] == sorted(espresso + new_espresso)
        assert metrics(locked.pk) == ("espresso machine", 4, 9700, 38.25)


def test_a_run_never_reuses_a_locked_clusters_name(alice):
    from igny8.planner.cluster_service import Group, groups_save

    locked = add_cluster(alice, "Espresso", [("espresso machine", 5000, 40)])
    Cluster.objects.filter(pk=locked.pk).update(locked=True)
    fresh = add_keywords(alice, [("espresso machines", 800, 38), ("espresso maker", 900, 30)])

    report = groups_save(site=alice.site, groups=[Group(keyword_ids=[k.pk for k in fresh], name="espresso")])

    assert (report.created, report.extended) == (["espresso (2)"], [])
    assert texts(locked.pk) == ["espresso machine"]


def test_the_corrections_are_in_the_openapi_schema(alice):
    schema = alice.client().get("/api/schema/?format=json").json()
    paths = schema["paths"]
    for path in (
        "/api/v1/planner/clusters/merge/",
        "/api/v1/planner/clusters/{id}/rename/",
        "/api/v1/planner/clusters/{id}/split/",
        "/api/v1/planner/clusters/{id}/move_keywords/",
        "/api/v1/planner/clusters/{id}/lock/",
        "/api/v1/planner/clusters/{id}/unlock/",
    ):
        assert "post" in paths[path], path
    merge = paths["/api/v1/planner/clusters/merge/"]["post"]["requestBody"]["content"]["application/json"]
    assert merge["schema"]["$ref"] == "#/components/schemas/ClusterMergeRequest"
    assert set(schema["components"]["schemas"]["ClusterMergeRequest"]["properties"]) == {
        "ids",
        "into",
        "name",
    }
