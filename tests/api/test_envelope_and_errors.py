from rest_framework.test import APIClient

from igny8.planner.models import Keyword


def test_unauthenticated_and_bad_token(db):
    response = APIClient().get("/api/v1/planner/keywords/")
    assert response.status_code == 401
    assert response.json() == {
        "success": False,
        "error": "Authentication credentials were not provided.",
        "errors": {},
    }
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer nope")
    assert client.get("/api/v1/planner/keywords/").json()["error"] == "Invalid or revoked API token."


def test_token_endpoint(alice):
    client = APIClient()
    wrong = client.post(
        "/api/v1/auth/token/", {"email": "alice@example.com", "password": "nope"}, format="json"
    )
    assert wrong.status_code == 401
    assert wrong.json()["error"] == "Email or password is wrong."
    right = client.post(
        "/api/v1/auth/token/",
        {"email": "ALICE@example.com", "password": "correct-horse-battery"},
        format="json",
    )
    assert right.status_code == 201
    token = right.json()["data"]["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    me = client.get("/api/v1/auth/me/").json()["data"]
    assert (me["user"]["email"], me["role"], me["account"]["name"]) == (
        "alice@example.com",
        "owner",
        "Account A",
    )
    assert me["usage"] == {"sites": 1, "users": 1, "keywords": 0, "clusters": 0}


def test_validation_errors_name_the_field(api, alice):
    response = api.post(
        "/api/v1/planner/keywords/",
        {"keyword": "x", "site": alice.site.pk, "difficulty": 150, "volume": -1},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "success": False,
        "error": "volume: Ensure this value is greater than or equal to 0.",
        "errors": {
            "volume": ["Ensure this value is greater than or equal to 0."],
            "difficulty": ["Ensure this value is less than or equal to 100."],
        },
    }
    bad_intent = api.post(
        "/api/v1/planner/keywords/", {"keyword": "x", "site": alice.site.pk, "intent": "nosy"}, format="json"
    )
    assert bad_intent.json()["errors"] == {"intent": ['"nosy" is not a valid choice.']}
    assert Keyword.objects.count() == 0


def test_duplicate_keyword_is_409_and_not_found_is_404(api, alice):
    api.post("/api/v1/planner/keywords/", {"keyword": "Chemex", "site": alice.site.pk}, format="json")
    clash = api.post(
        "/api/v1/planner/keywords/", {"keyword": " chemex ", "site": alice.site.pk}, format="json"
    )
    assert clash.status_code == 409
    assert clash.json()["errors"] == {"keyword": ["This keyword already exists in the site."]}
    missing = api.get("/api/v1/planner/keywords/999999/")
    assert missing.status_code == 404
    assert missing.json() == {"success": False, "error": "Not found.", "errors": {}}


def test_cross_site_links_are_refused(api, alice, charlie):
    from igny8.accounts import services

    other_site = services.site_create(account=alice.account, name="Second")
    response = api.post(
        "/api/v1/planner/keywords/",
        {"keyword": "x", "site": other_site.pk, "sector": alice.sector.pk},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"sector": ["This sector belongs to another site."]}
    foreign = api.post("/api/v1/planner/keywords/", {"keyword": "x", "site": charlie.site.pk}, format="json")
    assert foreign.json()["errors"] == {"site": [f'Invalid pk "{charlie.site.pk}" - object does not exist.']}


def test_filters_search_ordering_pagination(api, alice):
    for n, (word, volume, intent) in enumerate(
        [
            ("v60 recipe", 900, "informational"),
            ("buy v60", 300, "transactional"),
            ("chemex", 500, "informational"),
        ]
    ):
        Keyword.objects.create(
            account=alice.account,
            site=alice.site,
            keyword=word,
            normalized=word,
            volume=volume,
            intent=intent,
            difficulty=n * 10,
        )
    get = lambda **params: api.get("/api/v1/planner/keywords/", params).json()  # noqa: E731
    assert [k["keyword"] for k in get(ordering="-volume")["results"]] == ["v60 recipe", "chemex", "buy v60"]
    assert [k["keyword"] for k in get(search="v60", ordering="volume")["results"]] == [
        "buy v60",
        "v60 recipe",
    ]
    assert [k["keyword"] for k in get(intent="transactional")["results"]] == ["buy v60"]
    assert [k["keyword"] for k in get(volume_min=400, difficulty_max=10, ordering="keyword")["results"]] == [
        "v60 recipe"
    ]
    page = get(page_size=2, page=2, ordering="keyword")
    assert (page["count"], [k["keyword"] for k in page["results"]]) == (3, ["v60 recipe"])
    assert page["next"] is None and page["previous"].endswith("ordering=keyword&page_size=2")


def test_bulk_delete_and_status(api, alice, charlie):
    ids = [
        Keyword.objects.create(account=alice.account, site=alice.site, keyword=w, normalized=w).pk
        for w in ("a", "b", "c")
    ]
    foreign = Keyword.objects.create(account=charlie.account, site=charlie.site, keyword="z", normalized="z")
    refused = api.post(
        "/api/v1/planner/keywords/bulk_update_status/",
        {"ids": [ids[0], foreign.pk], "status": "archived"},
        format="json",
    )
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"ids": [f"No such record(s) in this account: {foreign.pk}."]}
    bad_status = api.post(
        "/api/v1/planner/keywords/bulk_update_status/", {"ids": ids, "status": "gone"}, format="json"
    )
    assert bad_status.json()["errors"] == {
        "status": ["Must be one of new, clustered, unclustered, used, archived; got 'gone'."]
    }
    done = api.post(
        "/api/v1/planner/keywords/bulk_update_status/", {"ids": ids[:2], "status": "archived"}, format="json"
    )
    assert done.json()["data"] == {"updated": 2}
    assert sorted(Keyword.objects.filter(status="archived").values_list("keyword", flat=True)) == ["a", "b"]
    deleted = api.post("/api/v1/planner/keywords/bulk_delete/", {"ids": ids}, format="json")
    assert deleted.json() == {"success": True, "data": {"deleted": 3}, "message": "Deleted 3 record(s)."}
    assert list(Keyword.objects.values_list("keyword", flat=True)) == ["z"]
    empty = api.post("/api/v1/planner/keywords/bulk_delete/", {"ids": []}, format="json")
    assert empty.json()["errors"] == {"ids": ["This list may not be empty."]}


def test_schema_and_docs_are_served(api):
    schema = api.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/planner/keywords/import/" in schema.content
    docs = api.get("/api/docs/")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()
