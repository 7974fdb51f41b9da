"""Every page: 200 for a member, the login redirect when signed out, 404 for another account's
objects, no write buttons and 403 on POST for a viewer."""

import pytest
from django.test import Client

from igny8.planner.models import Keyword

LIST_PAGES = [
    "/",
    "/planner/keywords/",
    "/planner/clusters/",
    "/planner/clusters/map/",
    "/planner/ideas/",
    "/writer/tasks/",
    "/writer/content/",
    "/writer/images/",
    "/runs/",
    "/settings/",
    "/team/",
    "/accounts/new/",
    "/onboarding/site/",
    "/onboarding/sectors/",
    "/onboarding/keywords/",
    "/billing/",
    "/password/",
    "/settings/prompts/clustering/",
    "/publishing/",
    "/automation/",
    "/automation/new/",
    "/automation/history/",
    "/automation/schedule-preview/?schedule=0+9+*+*+1-5&timezone=UTC",
]
POSTS = [
    "/planner/keywords/import/",
    "/planner/keywords/bulk/delete/",
    "/planner/keywords/bulk/status/",
    "/planner/keywords/bulk/cluster/",
    "/planner/clusters/ideas/",
    "/planner/ideas/queue/",
    "/writer/tasks/generate/",
    "/writer/content/prompts/",
    "/writer/images/generate/",
    "/settings/integrations/openai/",
    "/settings/integrations/openai/test/",
    "/settings/test-image/",
    "/settings/prompts/clustering/",
    "/settings/prompts/clustering/reset/",
    "/settings/wordpress/",
    "/publishing/schedule/",
    "/publishing/bulk/publish/",
    "/publishing/bulk/schedule/",
    "/publishing/structure/",
    "/publishing/pages/content/",
    "/team/add/",
    "/onboarding/site/",
    "/onboarding/sectors/",
    "/onboarding/keywords/",
    "/automation/new/",
]


def detail_pages(data) -> list[str]:
    return [
        f"/planner/clusters/{data['cluster'].pk}/",
        f"/planner/ideas/{data['idea'].pk}/",
        f"/writer/content/{data['content'].pk}/",
    ]


@pytest.mark.parametrize("url", LIST_PAGES)
def test_member_sees_every_page(web, data, url):
    assert web.get(url).status_code == 200


def test_member_sees_detail_pages(web, data):
    for url in detail_pages(data):
        assert web.get(url).status_code == 200, url


@pytest.mark.parametrize("url", [*LIST_PAGES, "/runs/abc/", "/planner/clusters/1/"])
def test_signed_out_is_sent_to_login(db, url):
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_other_account_gets_404_for_objects(other, data):
    for url in detail_pages(data):
        assert other.get(url).status_code == 404, url


def test_other_account_lists_show_only_its_rows(other, data):
    page = other.get("/planner/keywords/")
    assert b"espresso machine" not in page.content
    assert b"0 keyword(s) match." in page.content


@pytest.mark.parametrize("url", POSTS)
def test_viewer_writes_are_refused(viewer, data, url):
    before = Keyword.objects.count()
    response = viewer.post(url, {"ids": [data["keywords"][0].pk], "status": "archived", "value": "x"})
    assert response.status_code == 403
    assert Keyword.objects.count() == before
    assert Keyword.objects.get(pk=data["keywords"][0].pk).status == "clustered"


def test_viewer_sees_no_write_buttons(viewer, data):
    keywords = viewer.get("/planner/keywords/").content
    assert b"Auto-cluster" not in keywords
    assert b"Import a CSV" not in keywords
    assert b'name="ids"' not in keywords
    assert b"Generate content" not in viewer.get("/writer/tasks/").content
    assert b"Generate Images" not in viewer.get("/writer/images/").content
    assert viewer.get("/team/").status_code == 403  # owners and admins only


def test_switchers_only_offer_own_accounts_and_sites(web, alice, charlie):
    page = web.get("/").content.decode()
    assert "Account A (owner)" in page
    assert "Account B" not in page
    assert web.post("/switch/account/", {"account_id": charlie.account.pk}).status_code == 404
    assert web.post("/switch/site/", {"site_id": charlie.site.pk}).status_code == 404
    switched = web.post("/switch/site/", {"site_id": alice.site.pk, "next": "/planner/keywords/"})
    assert switched.status_code == 302
    assert switched["Location"] == "/planner/keywords/"
    outside = web.post("/switch/site/", {"site_id": alice.site.pk, "next": "https://evil.example/"})
    assert outside["Location"] == "/"


def test_switching_account_scopes_the_pages(alice, charlie, data):
    from igny8.accounts.models import Membership, Role

    Membership.objects.create(user=alice.user, account=charlie.account, role=Role.EDITOR)
    client = Client()
    client.force_login(alice.user)
    assert client.post("/switch/account/", {"account_id": charlie.account.pk}).status_code == 302
    page = client.get("/planner/keywords/").content
    assert b"Charlie Site" in page
    assert b"espresso machine" not in page


def test_dashboard_counts(web, data):
    page = web.get("/").content.decode()
    assert "<div><dt>Keywords new</dt><dd>1</dd></div>" in page
    assert "<div><dt>Keywords clustered</dt><dd>2</dd></div>" in page
    assert "<div><dt>Clusters</dt><dd>1</dd></div>" in page
    assert "<div><dt>Tasks queued</dt><dd>1</dd></div>" in page
    assert "<div><dt>Images</dt><dd>2</dd></div>" in page
    assert "Pending 2 · Processing 0 · Generated 0 · Failed 0" in page
