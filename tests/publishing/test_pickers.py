"""Category and author pickers (issue 13, point 7): read from the site's WordPress, cached a few
minutes, checked on the publish body, sent in the post (Publish now: test_publish_now.py)."""

import pytest

from igny8.core.errors import Unavailable
from igny8.publishing import pickers, services
from tests.loopback import SilentPort
from tests.publishing.conftest import make_article


def choices_url(alice) -> str:
    return f"/api/v1/publishing/sites/{alice.site.pk}/wp_choices/"


def test_the_site_lists_its_categories_and_authors_and_they_are_cached(alice, site, wp):
    wp.add_term("categories", "Tea & Coffee")
    wp.add_term("categories", "brewing")
    wp.authors.append({"id": 7, "name": "Ana Writer", "slug": "ana"})

    response = alice.client().get(choices_url(alice))

    assert response.status_code == 200
    assert response.json()["data"] == {
        "connected": True,
        "categories": [{"id": 102, "name": "brewing"}, {"id": 101, "name": "Tea & Coffee"}],
        "authors": [{"id": 7, "name": "Ana Writer"}, {"id": 1, "name": "Ed"}],
    }
    asked = wp.count("GET", "/wp-json/wp/v2/")
    wp.add_term("categories", "Later")
    cached = alice.client().get(choices_url(alice)).json()["data"]
    assert [c["name"] for c in cached["categories"]] == ["brewing", "Tea & Coffee"]
    assert wp.count("GET", "/wp-json/wp/v2/") == asked  # the second read came from the cache
    fresh = alice.client().get(choices_url(alice) + "?refresh=1").json()["data"]
    assert [c["name"] for c in fresh["categories"]] == ["brewing", "Later", "Tea & Coffee"]


def test_categories_over_one_page_are_all_read(alice, site, wp):
    for n in range(130):
        wp.add_term("categories", f"Cat {n:03d}")
    found = pickers.site_choices(site=site)
    assert len(found.categories) == 130
    assert wp.count("GET", "/wp-json/wp/v2/categories") == 2


def test_an_unknown_category_or_author_is_a_400_naming_the_field(alice, site, wp):
    wp.add_term("categories", "Gear")
    content = make_article(alice, title="Grinders", html="<p>Burrs.</p>")

    response = alice.client().post(
        f"/api/v1/writer/content/{content.pk}/publish/", {"categories": ["999"], "author": 42}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "categories": ["The site's WordPress has no category with id 999; pick one of its categories."],
        "author": ["The site's WordPress has no author with id 42; pick one of its authors."],
    }
    assert wp.posts == {}


def test_bulk_publish_refuses_an_author(alice, site, wp):
    content = make_article(alice, title="Grinders", html="<p>Burrs.</p>")
    response = alice.client().post(
        "/api/v1/publishing/publish/", {"ids": [content.pk], "author": 1}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["author"]


def test_a_site_without_a_wordpress_connection_has_nothing_to_pick_and_says_why(alice):
    response = alice.client().get(choices_url(alice))
    assert response.status_code == 200
    assert response.json()["data"] == {"connected": False, "categories": [], "authors": []}
    assert response.json()["message"] == (
        "The site has no WordPress connection yet; set its username and application password in "
        "the site's settings to pick categories and an author."
    )


def test_bulk_publish_carries_its_categories_and_tags_to_every_post(alice, site, wp):
    gear = wp.add_term("categories", "Gear")
    first = make_article(alice, title="Grinders", html="<p>Burrs.</p>")
    second = make_article(alice, title="Kettles", html="<p>Spouts.</p>")

    response = alice.client().post(
        "/api/v1/publishing/publish/",
        {"ids": [first.pk, second.pk], "categories": [str(gear)], "tags": ["home"]},
        format="json",
    )
    assert response.status_code == 202, response.json()
    services.records_publish(record_ids=[r["id"] for r in response.json()["data"]])

    home = next(t["id"] for t in wp.terms["tags"].values() if t["raw"] == "home")
    assert sorted((p["title"]["raw"], p["categories"], p["tags"]) for p in wp.posts.values()) == [
        ("Grinders", [gear], [home]),
        ("Kettles", [gear], [home]),
    ]


def test_bulk_publish_refuses_a_category_the_site_does_not_have(alice, site, wp):
    content = make_article(alice, title="Grinders", html="<p>Burrs.</p>")
    response = alice.client().post(
        "/api/v1/publishing/publish/", {"ids": [content.pk], "categories": ["999"]}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["categories"]


def test_the_lists_are_read_with_one_short_try_while_someone_waits(alice, site, wp, settings):
    settings.WORDPRESS_MAX_ATTEMPTS = 4  # the publisher's retries: not for a read someone waits on
    wp.fail_next = [503]
    with pytest.raises(Unavailable) as refused:
        pickers.site_choices(site=site)
    assert refused.value.message.startswith("Could not read the site's categories and authors: ")
    assert wp.count("GET", "/wp-json/wp/v2/categories") == 1
    assert [c.id for c in pickers.site_choices(site=site).categories] == []  # the next try reads them


def test_a_wordpress_that_never_answers_costs_one_short_try_and_says_why(alice, settings):
    """Read while someone waits: one try of OUTBOUND_REQUEST_TIMEOUT_SECONDS, not the publisher's
    three of 30 s, and a 502 that names the cause (never a 500)."""
    settings.OUTBOUND_ALLOW = ["127.0.0.1"]
    settings.OUTBOUND_REQUEST_TIMEOUT_SECONDS = 0.2
    with SilentPort() as wordpress:
        site = alice.site
        site.wp_url, site.wp_username = f"http://127.0.0.1:{wordpress.port}", "editor"
        site.wp_secrets = {"app_password": "abcd efgh ijkl mnop"}
        site.save()

        response = alice.client().get(choices_url(alice))

        assert response.status_code == 502
        assert response.json()["error"] == (
            "Could not read the site's categories and authors: WordPress did not answer in time "
            f"(http://127.0.0.1:{wordpress.port}/wp-json/wp/v2/categories)."
        )
        assert wordpress.connections() == 1


def test_a_failed_read_is_not_retried_nor_cached_and_refresh_reads_again(alice, site, wp):
    wp.add_term("categories", "Gear")
    wp.fail_next = [503]

    failed = alice.client().get(choices_url(alice))

    assert failed.status_code == 502
    assert failed.json()["error"].startswith("Could not read the site's categories and authors: ")
    assert wp.count("GET", "/wp-json/wp/v2/") == 1  # one try, where the publisher would try three times
    again = alice.client().get(choices_url(alice) + "?refresh=1")
    assert again.status_code == 200
    assert again.json()["data"]["categories"] == [{"id": 101, "name": "Gear"}]
