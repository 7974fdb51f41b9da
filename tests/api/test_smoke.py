from igny8.planner.models import Keyword


def test_keyword_create_and_list(api, alice):
    response = api.post(
        "/api/v1/planner/keywords/",
        {"keyword": "  Best  Burr Grinder ", "site": alice.site.pk, "volume": 1200, "difficulty": 40},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["success"] is True
    assert body["data"]["keyword"] == "Best Burr Grinder"
    assert Keyword.objects.get().normalized == "best burr grinder"

    listing = api.get("/api/v1/planner/keywords/", {"site_id": alice.site.pk}).json()
    assert listing["success"] is True
    assert listing["count"] == 1
    assert listing["results"][0]["volume"] == 1200
