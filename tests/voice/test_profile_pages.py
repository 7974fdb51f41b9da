"""Author profiles on the web: list, new, edit, delete; chosen on the site and on the sector."""

import pytest

from igny8.accounts.models import Sector, Site
from igny8.system.models import AuthorProfile
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Kaffee-Blog",
    "language": "de-de",
    "country": "de",
    "tone": "warm",
    "point_of_view": "second",
    "audience": "",
    "reading_level": "",
    "brand_voice": "",
    "words_to_use": "Siebträger, Mahlgrad\nCrema",
    "words_to_avoid": "",
    "article_length": "1200",
    "include_faq": "on",
    "example_passages": "",
}


def test_new_profile_is_checked_saved_and_chosen_on_site_and_sector(alice):
    web = signed_in(alice.user)
    assert "No author profiles yet" in web.get("/settings/author-profiles/").content.decode()

    bad = web.post("/settings/author-profiles/new/", {**FORM, "language": "Deutsch"})
    assert bad.status_code == 400
    assert 'id="id_language_error"' in bad.content.decode()
    assert "is not a language tag" in bad.content.decode()
    assert AuthorProfile.objects.count() == 0

    saved = web.post("/settings/author-profiles/new/", FORM)
    assert (saved.status_code, saved["Location"]) == (302, "/settings/author-profiles/")
    profile = AuthorProfile.objects.get()
    assert (profile.language, profile.country, profile.words_to_use) == (
        "de-DE",
        "DE",
        ["Siebträger", "Mahlgrad", "Crema"],
    )
    assert (profile.article_length, profile.include_faq) == (1200, True)

    web.post(f"/sites/{alice.site.pk}/", {"name": alice.site.name, "url": "", "author_profile": profile.pk})
    web.post(
        f"/sectors/{alice.sector.pk}/",
        {"name": alice.sector.name, "description": "", "author_profile": profile.pk},
    )
    assert Site.objects.get(pk=alice.site.pk).author_profile_id == profile.pk
    assert Sector.objects.get(pk=alice.sector.pk).author_profile_id == profile.pk
    listing = web.get("/settings/author-profiles/").content.decode()
    assert f"Used by:\n    {alice.site.name};\n    {alice.site.name} / {alice.sector.name}." in listing
    assert "Author profile: Kaffee-Blog" in web.get("/sites/").content.decode()
    assert "Keyword clustering uses an English embedding model" in listing

    edited = web.post(f"/settings/author-profiles/{profile.pk}/", {**FORM, "include_faq": "", "tone": "kühl"})
    assert edited.status_code == 302
    profile.refresh_from_db()
    assert (profile.tone, profile.include_faq) == ("kühl", False)

    web.post(f"/settings/author-profiles/{profile.pk}/delete/")
    assert AuthorProfile.objects.count() == 0
    assert Site.objects.get(pk=alice.site.pk).author_profile_id is None


def test_another_accounts_profile_cannot_be_chosen_or_opened(alice, charlie):
    theirs = AuthorProfile.objects.create(account=charlie.account, name="Theirs")
    web = signed_in(alice.user)
    assert web.get(f"/settings/author-profiles/{theirs.pk}/").status_code == 404
    refused = web.post(
        f"/sites/{alice.site.pk}/", {"name": alice.site.name, "url": "", "author_profile": theirs.pk}
    )
    assert refused.status_code == 400
    assert Site.objects.get(pk=alice.site.pk).author_profile_id is None


def test_the_profile_pages_pass_the_accessibility_audit(alice):
    from tests.web.test_accessibility import problems

    profile = AuthorProfile.objects.create(account=alice.account, name="Blog", language="de")
    web = signed_in(alice.user)
    for url in [
        "/settings/author-profiles/",
        "/settings/author-profiles/new/",
        f"/settings/author-profiles/{profile.pk}/",
        f"/sites/{alice.site.pk}/",
        f"/sectors/{alice.sector.pk}/",
        "/writer/tasks/",
        "/planner/clusters/",
    ]:
        assert problems(web.get(url).content.decode()) == [], url
