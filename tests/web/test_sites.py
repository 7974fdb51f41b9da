"""Sites and sectors in the web app: edit, rename, delete with what goes spelled out, and one name
per parent whatever the case (the same rule in the API)."""

from html import unescape

import pytest

from igny8.accounts import services
from igny8.accounts.models import Sector, Site
from igny8.planner.models import Cluster, Keyword
from igny8.web.workspace import SITE_KEY
from igny8.writer.models import Image


def test_sites_page_lists_sites_and_sectors(web, alice):
    page = web.get("/sites/").content.decode()
    assert "<h1>Sites of Account A</h1>" in page
    assert "1 of 5 sites on the Starter plan." in page
    assert f'href="/sites/{alice.site.pk}/"' in page
    assert f'<li id="sector-{alice.sector.pk}">Coffee' in page
    assert f'href="/sectors/{alice.sector.pk}/delete/"' in page


def test_edit_a_site_and_names_are_unique_whatever_the_case(web, alice):
    services.site_create(account=alice.account, name="Shop")
    saved = web.post(f"/sites/{alice.site.pk}/", {"name": "Blog", "url": "https://blog.example.com"})
    assert (saved.status_code, saved["Location"]) == (302, "/sites/")
    site = Site.objects.get(pk=alice.site.pk)
    assert (site.name, site.url) == ("Blog", "https://blog.example.com")
    clash = web.post(f"/sites/{alice.site.pk}/", {"name": "SHOP", "url": ""})
    assert clash.status_code == 400
    assert 'id="id_name_error"' in clash.content.decode()
    assert "A site with this name already exists in the account." in clash.content.decode()
    bad = web.post(f"/sites/{alice.site.pk}/", {"name": "", "url": "not a url"})
    assert bad.status_code == 400
    assert "Enter a valid URL." in bad.content.decode()
    assert Site.objects.get(pk=alice.site.pk).name == "Blog"


def test_rename_a_sector_and_names_are_unique_per_site_whatever_the_case(web, alice):
    services.sector_create(site=alice.site, name="Tea")
    renamed = web.post(f"/sectors/{alice.sector.pk}/", {"name": "Espresso", "description": "Shots"})
    assert (renamed.status_code, renamed["Location"]) == (302, "/sites/")
    assert Sector.objects.get(pk=alice.sector.pk).name == "Espresso"
    clash = web.post(f"/sectors/{alice.sector.pk}/", {"name": " tea ", "description": ""})
    assert clash.status_code == 400
    assert "This site already has a sector with this name." in clash.content.decode()
    assert Sector.objects.get(pk=alice.sector.pk).name == "Espresso"


def test_the_api_refuses_names_that_differ_only_in_case(alice, api):
    site = api.post("/api/v1/accounts/sites/", {"name": "alice SITE"}, format="json")
    assert (site.status_code, site.json()["errors"]) == (
        400,
        {"name": ["A site with this name already exists in the account."]},
    )
    sector = api.post("/api/v1/accounts/sectors/", {"site": alice.site.pk, "name": "COFFEE"}, format="json")
    assert (sector.status_code, sector.json()["errors"]) == (
        400,
        {"name": ["This site already has a sector with this name."]},
    )
    tea = api.post("/api/v1/accounts/sectors/", {"site": alice.site.pk, "name": "Tea"}, format="json")
    renamed = api.patch(
        f"/api/v1/accounts/sectors/{tea.json()['data']['id']}/", {"name": "coffee"}, format="json"
    )
    assert renamed.json()["errors"] == {"name": ["This site already has a sector with this name."]}
    # Its own name in another case is a rename, not a clash.
    same = api.patch(f"/api/v1/accounts/sites/{alice.site.pk}/", {"name": "ALICE SITE"}, format="json")
    assert (same.status_code, same.json()["data"]["name"]) == (200, "ALICE SITE")


def test_delete_a_sector_keeps_its_keywords(web, alice, data):
    confirm = web.get(f"/sectors/{alice.sector.pk}/delete/")
    text = confirm.content.decode()
    assert "Delete the sector Coffee?" in text
    assert "Nothing else is deleted with it." in text
    assert "<li>3 keywords</li>" in text
    assert "<li>2 images</li>" in text
    assert Sector.objects.filter(pk=alice.sector.pk).exists()
    deleted = web.post(f"/sectors/{alice.sector.pk}/delete/")
    assert (deleted.status_code, deleted["Location"]) == (302, "/sites/")
    assert not Sector.objects.filter(pk=alice.sector.pk).exists()
    assert list(Keyword.objects.filter(site=alice.site).values_list("sector", flat=True)) == [None] * 3


def test_delete_a_site_says_what_goes_and_needs_its_name(web, alice, data):
    confirm = web.get(f"/sites/{alice.site.pk}/delete/")
    text = unescape(confirm.content.decode())
    assert "Delete the site Alice Site?" in text
    for line in ("3 keywords", "2 images", "1 cluster", "1 content idea", "1 sector", "1 task"):
        assert f"<li>{line}</li>" in text
    unconfirmed = web.post(f"/sites/{alice.site.pk}/delete/", {"confirm_name": "alice"})
    assert unconfirmed.status_code == 400
    assert "Type the site's name, Alice Site, to confirm." in unescape(unconfirmed.content.decode())
    assert Site.objects.filter(pk=alice.site.pk).exists()
    session = web.session
    session[SITE_KEY] = alice.site.pk
    session.save()
    deleted = web.post(f"/sites/{alice.site.pk}/delete/", {"confirm_name": "Alice Site"})
    assert (deleted.status_code, deleted["Location"]) == (302, "/sites/")
    assert SITE_KEY not in web.session
    assert not Site.objects.filter(pk=alice.site.pk).exists()
    assert (Keyword.objects.count(), Cluster.objects.count(), Image.objects.count()) == (0, 0, 0)
    assert "Site Alice Site and everything of it were deleted." in web.get("/sites/").content.decode()


def test_other_accounts_get_404_and_viewers_403(alice, other, viewer):
    for url in (
        f"/sites/{alice.site.pk}/",
        f"/sites/{alice.site.pk}/delete/",
        f"/sectors/{alice.sector.pk}/",
        f"/sectors/{alice.sector.pk}/delete/",
    ):
        assert other.get(url).status_code == 404
        assert other.post(url, {"name": "x", "confirm_name": "Alice Site"}).status_code == 404
        assert viewer.post(url, {"name": "x", "confirm_name": "Alice Site"}).status_code == 403
    assert viewer.get("/sites/").status_code == 403
    assert (Site.objects.get(pk=alice.site.pk).name, Sector.objects.get(pk=alice.sector.pk).name) == (
        "Alice Site",
        "Coffee",
    )


@pytest.mark.parametrize("names", ["Tea\ntea", "COFFEE"])
def test_onboarding_refuses_sector_names_that_differ_only_in_case(web, alice, names):
    response = web.post("/onboarding/sectors/", {"names": names})
    assert response.status_code == 400
    text = unescape(response.content.decode())
    expected = (
        "Line 2 “tea”: repeats line 1."
        if "\n" in names
        else "Line 1 “COFFEE”: This site already has a sector with this name."
    )
    assert expected in text
    assert list(Sector.objects.filter(site=alice.site).values_list("name", flat=True)) == ["Coffee"]
