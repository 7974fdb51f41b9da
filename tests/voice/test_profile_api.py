import pytest

from igny8.system.models import AuthorProfile

pytestmark = pytest.mark.django_db
URL = "/api/v1/system/author-profiles/"


def test_create_normalises_and_lists_with_the_sites_and_sectors_that_chose_it(alice):
    client = alice.client()
    response = client.post(
        URL,
        {
            "name": " Kaffee-Blog ",
            "language": "de-at",
            "country": "at",
            "point_of_view": "second",
            "words_to_use": ["Siebträger", " Siebträger ", "Mahlgrad"],
            "article_length": 1200,
            "include_faq": True,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()["data"]
    assert (data["name"], data["language"], data["country"]) == ("Kaffee-Blog", "de-AT", "AT")
    assert data["words_to_use"] == ["Siebträger", "Mahlgrad"]
    assert (data["article_length"], data["include_faq"], data["site_ids"]) == (1200, True, [])

    site = client.patch(
        f"/api/v1/accounts/sites/{alice.site.pk}/", {"author_profile": data["id"]}, format="json"
    )
    assert (site.status_code, site.json()["data"]["author_profile"]) == (200, data["id"])
    sector = client.patch(
        f"/api/v1/accounts/sectors/{alice.sector.pk}/", {"author_profile": data["id"]}, format="json"
    )
    assert (sector.status_code, sector.json()["data"]["author_profile"]) == (200, data["id"])
    listed = client.get(URL).json()["data"]
    assert [(p["name"], p["site_ids"], p["sector_ids"]) for p in listed] == [
        ("Kaffee-Blog", [alice.site.pk], [alice.sector.pk])
    ]

    updated = client.patch(f"{URL}{data['id']}/", {"tone": "warm", "include_faq": False}, format="json")
    assert (updated.json()["data"]["tone"], updated.json()["data"]["include_faq"]) == ("warm", False)
    assert client.delete(f"{URL}{data['id']}/").status_code == 200
    alice.site.refresh_from_db()
    assert (alice.site.author_profile_id, AuthorProfile.objects.count()) == (None, 0)


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"name": "x", "language": "german"}, "language", "Language: 'german' is not a language tag"),
        ({"name": "x", "language": "xx"}, "language", "Language: 'xx' is not a language we know"),
        ({"name": "x", "country": "ZZ"}, "country", "Country: 'ZZ' is not an ISO 3166 country code"),
        (
            {"name": "x", "article_length": 50},
            "article_length",
            "Default article length: a number of words from 300",
        ),
        ({"name": "x", "point_of_view": "royal"}, "point_of_view", "Point of view: one of first_singular"),
        ({"name": "x", "include_faq": "maybe"}, "include_faq", "FAQ section: send true or false."),
        ({"name": "x", "words_to_avoid": [1]}, "words_to_avoid", "Words to avoid: send a list"),
        ({"name": ""}, "name", "Name is required."),
        ({"name": "x", "voice": "loud"}, "voice", "Unknown field(s): voice."),
    ],
)
def test_bad_input_is_a_400_naming_the_field(alice, body, field, message):
    response = alice.client().post(URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][field][0].startswith(message)
    assert AuthorProfile.objects.count() == 0


def test_names_are_unique_and_other_accounts_profiles_are_not_found(alice, bob, charlie):
    client = alice.client()
    made = client.post(URL, {"name": "Blog"}, format="json").json()["data"]
    assert client.post(URL, {"name": "Blog"}, format="json").status_code == 409
    assert charlie.client().get(f"{URL}{made['id']}/").status_code == 404
    theirs = charlie.client().post(URL, {"name": "Theirs"}, format="json").json()["data"]
    refused = client.patch(
        f"/api/v1/accounts/sites/{alice.site.pk}/", {"author_profile": theirs["id"]}, format="json"
    )
    assert refused.status_code == 400 and "author_profile" in refused.json()["errors"]
    assert bob.client().post(URL, {"name": "Viewer"}, format="json").status_code == 403
