"""Uploaded images attached to their post (WordPress's Media Library shows them "Unattached"
otherwise), once per image, and an upload refused for want of upload_files explained as such."""

import pytest

from igny8.publishing import services
from igny8.publishing.wordpress import WordPressError
from igny8.publishing.wordpress.client import WordPressClient
from igny8.publishing.wordpress.errors import HINTS, UPLOAD_HINTS, explain
from tests.publishing.conftest import generated_image, make_article
from tests.publishing.fake_wp import PNG


@pytest.fixture
def content(alice, site):
    return make_article(alice, title="Pour over", html="<p>Pour slowly.</p>", slug="pour-over")


@pytest.fixture
def featured(content):
    return generated_image(content, name="pour.png", data=PNG, image_type="featured")


def attach_calls(wp, media_id: int) -> int:
    return sum(1 for m, p in wp.requests if (m, p) == ("POST", f"/wp-json/wp/v2/media/{media_id}"))


def test_a_refused_attachment_is_a_warning_and_is_tried_again_on_the_next_publication(content, featured, wp):
    wp.refuse_attach = True
    record = services.content_publish(content=content, link=False)

    [item] = wp.media.values()
    assert (record.status, record.error, item["post"]) == ("published", "", None)
    assert record.media == {str(featured.pk): {"id": item["id"], "url": item["source_url"]}}
    assert record.log[-1]["warnings"] == [
        f"Image {item['id']} could not be attached to post {record.external_id} in WordPress's Media "
        "Library (it stays Unattached; the post shows it all the same): The WordPress user may not "
        "edit this post; give it the Editor role. (WordPress: rest_cannot_edit, HTTP 403)"
    ]

    wp.refuse_attach = False
    again = services.content_publish(content=content, link=False)
    post_id = int(again.external_id)
    assert (again.status, again.log[-1]["warnings"], item["post"]) == ("published", [], post_id)
    assert again.media[str(featured.pk)]["post"] == post_id
    # Described once, refused once, attached once; a third publication sends nothing for it.
    assert attach_calls(wp, item["id"]) == 3
    services.content_publish(content=content, link=False)
    assert attach_calls(wp, item["id"]) == 3


def test_a_post_created_again_gets_its_images_attached_to_the_new_post(content, featured, wp):
    first = services.content_publish(content=content, link=False)
    del wp.posts[int(first.external_id)]  # deleted in WordPress
    second = services.content_publish(content=content, link=False)

    [item] = wp.media.values()
    assert int(second.external_id) != int(first.external_id)
    assert item["post"] == second.media[str(featured.pk)]["post"] == int(second.external_id)
    assert len(wp.media) == 1  # the upload itself is reused


def test_the_fake_answers_media_items_as_wordpress_does(wp):
    with WordPressClient(base_url=wp.url, username=wp.user, app_password=wp.password) as client:
        uploaded = client.upload_media(
            filename="a.png", data=PNG, content_type="image/png", alt_text="A cup", title="A cup"
        )
        assert uploaded["post"] is None  # null while unattached
        assert client.attach_media(media_id=uploaded["id"], post_id=42)["post"] == 42
        assert client.request("GET", f"wp/v2/media/{uploaded['id']}")["post"] == 42
        with pytest.raises(WordPressError) as unknown:
            client.attach_media(media_id=999, post_id=42)
        with pytest.raises(WordPressError) as parent:
            client.attach_media(media_id=uploaded["id"], post_id=uploaded["id"])
    assert (unknown.value.status, unknown.value.code) == (404, "rest_post_invalid_id")
    assert (parent.value.status, parent.value.code) == (400, "rest_invalid_param")


def test_an_upload_refused_for_want_of_upload_files_names_that_capability(content, featured, wp):
    wp.contributor = True  # WordPress refuses a Contributor's upload: 403 rest_cannot_create
    record = services.content_publish(content=content, link=False)

    assert (record.status, wp.media, wp.posts) == ("failed", {}, {})
    assert record.error == (
        "The WordPress user may not upload files (images): it needs the upload_files capability, "
        "which the Author role and above have; give it the Author role or higher. "
        "(WordPress: rest_cannot_create, HTTP 403)"
    )


def test_rest_cannot_create_outside_an_upload_keeps_the_posts_hint():
    posts = explain(status=403, code="rest_cannot_create", message="Sorry.")
    upload = explain(status=403, code="rest_cannot_create", message="Sorry.", upload=True)
    assert posts == f"{HINTS['rest_cannot_create']} (WordPress: rest_cannot_create, HTTP 403)"
    assert upload == f"{UPLOAD_HINTS['rest_cannot_create']} (WordPress: rest_cannot_create, HTTP 403)"
