"""Against a real WordPress (docs/wordpress.md says how to start one locally); skipped unless
WORDPRESS_TEST_URL, WORDPRESS_TEST_USER and WORDPRESS_TEST_APP_PASSWORD are set. The user must be an
administrator: the tests create an Author user and an application password for it.

What the fake (fake_wp.py) promises is checked here against the real thing: the media marker slug
kept on a binary upload and found by ?slug=, posts and media adopted after a lost answer, Publish
now through the queue with the pickers' category and author, images attached, republish and a
scheduled post, an Author's connection (no unfiltered_html) getting no JSON-LD, and a Contributor's
told it cannot publish nor upload."""

import io
import os
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from PIL import Image as PILImage
from PIL import PngImagePlugin

from igny8.core import outbound
from igny8.publishing import pickers, publisher, services
from igny8.publishing.wordpress import WordPressClient, client_for_site
from igny8.publishing.wordpress.errors import HINTS, UPLOAD_HINTS
from igny8.writer.models import Image
from tests.publishing.conftest import generated_image, make_article

NEEDED = ("WORDPRESS_TEST_URL", "WORDPRESS_TEST_USER", "WORDPRESS_TEST_APP_PASSWORD")
pytestmark = pytest.mark.skipif(
    not all(os.environ.get(name) for name in NEEDED),
    reason="needs a real WordPress: set WORDPRESS_TEST_URL, WORDPRESS_TEST_USER, WORDPRESS_TEST_APP_PASSWORD",
)
AUTHOR_LOGIN = "igny8-test-author"


@pytest.fixture
def stamp() -> str:
    # Each run's posts, slugs and files are new: a WordPress that keeps earlier runs' items must
    # not let a test pass by finding those.
    return f"{datetime.now(UTC):%Y%m%d%H%M%S}-{uuid.uuid4().hex[:6]}"


@pytest.fixture
def real_site(alice, settings):
    # A local test WordPress is on this machine: the operator's allow-list lets the server reach it.
    settings.OUTBOUND_ALLOW = [*settings.OUTBOUND_ALLOW, "127.0.0.1", "localhost"]
    site = alice.site
    site.wp_url = os.environ["WORDPRESS_TEST_URL"]
    site.wp_username = os.environ["WORDPRESS_TEST_USER"]
    site.wp_secrets = {"app_password": os.environ["WORDPRESS_TEST_APP_PASSWORD"]}
    site.save()
    return site


@pytest.fixture
def admin(real_site):
    """A client as the administrator, to look at what WordPress holds; deletes at the end the
    posts and media the test names in `admin.created` (the posts' trash skipped: force)."""
    client = client_for_site(real_site)
    client.created = []
    yield client
    for route in reversed(client.created):
        client.request("DELETE", route, params={"force": "true"})
    client.close()


def png(text: str) -> bytes:
    """A real PNG (WordPress checks the bytes) that differs per `text`, so its marker is new."""
    info = PngImagePlugin.PngInfo()
    info.add_text("igny8", text)
    out = io.BytesIO()
    PILImage.new("RGB", (4, 3), (200, 120, 40)).save(out, format="PNG", pnginfo=info)
    return out.getvalue()


class LosesOneAnswer(httpx.BaseTransport):
    """Delivers the first POST to `path` to WordPress and then drops its answer, as a proxy that
    timed out does: WordPress has saved it, the client hears nothing."""

    def __init__(self, *, path: str):
        self.inner = outbound.httpx_transport()
        self.path = path
        self.lost = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if not self.lost and request.method == "POST" and request.url.path == self.path:
            response.read()
            response.close()
            self.lost += 1
            raise httpx.ReadTimeout("the answer was lost on the way", request=request)
        return response

    def close(self) -> None:
        self.inner.close()


def wp_post(admin: WordPressClient, post_id: str | int) -> dict:
    return admin.request("GET", f"wp/v2/posts/{post_id}", params={"context": "edit"})


def posts_with_slug(admin: WordPressClient, slug: str) -> list[int]:
    return [p["id"] for p in admin.find_post(endpoint="posts", slugs=[slug])]


def track(admin: WordPressClient, record) -> None:
    admin.created += [f"wp/v2/media/{m['id']}" for m in record.media.values()]
    admin.created.append(f"wp/v2/posts/{record.external_id}")


def test_real_wordpress_connection_publish_republish_and_future(alice, real_site, cluster, admin, stamp):
    assert services.site_connection_test(site=real_site).ok is True
    content = make_article(
        alice,
        title=f"IGNY8 test {stamp}",
        html="<h2>One</h2><p>Hello.</p>",
        cluster=cluster,
        slug=f"igny8-{stamp}",
    )
    first = services.content_publish(
        content=content, wp_status="draft", categories=["IGNY8 tests"], link=False
    )
    track(admin, first)
    assert (first.status, first.remote_status, first.error) == ("published", "draft", "")
    again = services.content_publish(
        content=content, wp_status="draft", categories=["IGNY8 tests"], link=False
    )
    assert again.external_id == first.external_id
    when = (datetime.now(UTC) + timedelta(days=1)).replace(microsecond=0)
    future = services.content_publish(content=content, wp_status="future", wp_date=when, link=False)
    assert (future.remote_status, future.external_id) == ("future", first.external_id)
    post = wp_post(admin, first.external_id)
    assert (post["status"], post["date_gmt"]) == ("future", when.strftime("%Y-%m-%dT%H:%M:%S"))
    assert posts_with_slug(admin, f"igny8-{stamp}") == [int(first.external_id)]


def upload(client: WordPressClient, *, data: bytes, marker: str, alt: str) -> dict:
    return client.upload_media(
        filename=f"{alt.lower()}.png",
        data=data,
        content_type="image/png",
        alt_text=alt,
        title=alt,
        marker=marker,
    )


def media_with_slug(admin: WordPressClient, slug: str) -> list[tuple[int, str, str]]:
    found = admin.request("GET", "wp/v2/media", params={"slug": slug, "context": "edit"})
    return [(item["id"], item["slug"], item["alt_text"]) for item in found]


def test_media_keeps_our_marker_slug_and_is_found_by_it(real_site, admin, stamp):
    """The marker travels in the query string of the binary upload; WordPress keeps it as the
    attachment's slug and GET /wp/v2/media?slug= finds exactly that item."""
    data = png(stamp)
    marker = publisher.media_marker(key="1", data=data)
    uploaded = upload(admin, data=data, marker=marker, alt="Marker")
    admin.created.append(f"wp/v2/media/{uploaded['id']}")
    assert (uploaded["slug"], uploaded["alt_text"]) == (marker, "Marker")
    assert admin.find_media(slug=marker)["id"] == uploaded["id"]
    # The same image again (a republish whose record lost the media map) adopts, uploads nothing.
    assert upload(admin, data=data, marker=marker, alt="Marker")["id"] == uploaded["id"]
    assert media_with_slug(admin, marker) == [(uploaded["id"], marker, "Marker")]


def test_an_upload_whose_answer_was_lost_is_adopted_not_repeated(real_site, admin, stamp):
    data = png(stamp)
    marker = publisher.media_marker(key="2", data=data)
    transport = LosesOneAnswer(path=httpx.URL(admin.url("wp/v2/media")).path)
    with client_for_site(real_site, transport=transport) as client:
        uploaded = upload(client, data=data, marker=marker, alt="Lost")
    admin.created.append(f"wp/v2/media/{uploaded['id']}")
    assert transport.lost == 1
    assert media_with_slug(admin, marker) == [(uploaded["id"], marker, "Lost")]


def posts_mentioning(admin: WordPressClient, text: str) -> list[int]:
    found = admin.request("GET", "wp/v2/posts", params={"search": text, "status": "any", "context": "edit"})
    return [p["id"] for p in found]


@pytest.mark.parametrize(
    ("slug", "stored"),
    [
        ("lost-{stamp}", "lost-{stamp}"),
        # WordPress removes accents when it saves a slug but not when it looks one up.
        ("café-über-{stamp}", "cafe-uber-{stamp}"),
        # No slug of ours: the title's, so the post has one to be found by (a draft gets none).
        ("", "lost-answer-{stamp}-co"),
    ],
)
def test_a_post_whose_answer_was_lost_is_adopted_not_repeated(alice, real_site, admin, stamp, slug, stored):
    content = make_article(
        alice, title=f"Lost answer {stamp} & co", html="<p>Once.</p>", slug=slug.format(stamp=stamp)
    )
    transport = LosesOneAnswer(path=httpx.URL(admin.url("wp/v2/posts")).path)
    with client_for_site(real_site, transport=transport) as client:
        record = services.content_publish(content=content, client=client, link=False)
    track(admin, record)
    assert (transport.lost, record.status, record.remote_status, record.error) == (
        1,
        "published",
        "draft",
        "",
    )
    # Found by the marker (slug and the title, which WordPress holds escaped) and updated: one post.
    assert posts_mentioning(admin, stamp) == [int(record.external_id)]
    post = wp_post(admin, record.external_id)
    assert (post["slug"], post["title"]["raw"]) == (
        stored.format(stamp=stamp),
        f"Lost answer {stamp} &amp; co",
    )


def wp_user(admin: WordPressClient, *, login: str, name: str, role: str) -> int:
    """A user with this role, created on the first run and kept (the tests revoke only what they
    create per run: application passwords, posts, media)."""
    found = admin.request("GET", "wp/v2/users", params={"search": login, "context": "edit"})
    for user in found:
        if user.get("username") == login:
            return int(user["id"])
    created = admin.request(
        "POST",
        "wp/v2/users",
        json={
            "username": login,
            "name": name,
            "email": f"{login}@example.com",
            "password": uuid.uuid4().hex,
            "roles": [role],
        },
    )
    return int(created["id"])


@pytest.fixture
def author_id(admin) -> int:
    """An Author (not the administrator the application password belongs to)."""
    return wp_user(admin, login=AUTHOR_LOGIN, name="IGNY8 Test Author", role="author")


@contextmanager
def connected_as(admin: WordPressClient, site, *, user_id: int, login: str, stamp: str):
    """The site connected as this user through a new application password, revoked afterwards."""
    created = admin.request(
        "POST", f"wp/v2/users/{user_id}/application-passwords", json={"name": f"igny8-test-{stamp}"}
    )
    before = (site.wp_username, site.wp_secrets)
    site.wp_username, site.wp_secrets = login, {"app_password": created["password"]}
    site.save()
    try:
        yield
    finally:
        admin.request("DELETE", f"wp/v2/users/{user_id}/application-passwords/{created['uuid']}")
        site.wp_username, site.wp_secrets = before
        site.save()


def test_publish_now_through_the_queue_with_picked_category_and_author(
    alice, real_site, admin, author_id, stamp, publish_worker
):
    picked = admin.term_id(taxonomy="categories", name="IGNY8 picked")
    choices = pickers.site_choices(site=real_site, refresh=True)
    assert (picked, "IGNY8 picked") in [(c.id, c.name) for c in choices.categories]
    assert (author_id, "IGNY8 Test Author") in [(a.id, a.name) for a in choices.authors]
    pickers.choices_check(site=real_site, category_ids=[picked], author=author_id)
    content = make_article(
        alice, title=f"Publish now {stamp}", html="<p>Sent by the worker.</p>", slug=f"now-{stamp}"
    )

    with publish_worker():
        queued = services.content_publish_now(
            content=content, wp_status="publish", category_ids=[picked], tags=[], author=author_id
        )
        assert queued.status == "queued"
        assert posts_with_slug(admin, f"now-{stamp}") == []  # nothing sent before the commit
    queued.refresh_from_db()
    track(admin, queued)
    assert (queued.status, queued.remote_status, queued.error, queued.attempts) == (
        "published",
        "publish",
        "",
        1,
    )
    [post_id] = posts_with_slug(admin, f"now-{stamp}")
    post = wp_post(admin, post_id)
    assert (str(post_id), post["status"], post["categories"], post["tags"], post["author"]) == (
        queued.external_id,
        "publish",
        [picked],
        [],
        author_id,
    )
    content.refresh_from_db()
    assert (content.status, content.external_url) == ("published", post["link"])


def attach_images(content, stamp: str) -> tuple[Image, Image]:
    featured = generated_image(
        content, name="featured.png", data=png(f"featured {stamp}"), image_type="featured"
    )
    inline = generated_image(
        content, name="cup.png", data=png(f"inline {stamp}"), alt_text="A cup on a saucer"
    )
    return featured, inline


def test_images_are_attached_and_republish_updates_the_same_post(alice, real_site, admin, stamp):
    content = make_article(
        alice, title=f"Images {stamp}", html="<h2>Cups</h2><p>Warm them.</p>", slug=f"img-{stamp}"
    )
    featured, inline = attach_images(content, stamp)
    content.html += f'<p><img src="{inline.file.url}" alt=""></p>'
    content.save(update_fields=["html"])

    first = services.content_publish(content=content, wp_status="publish", link=False)
    track(admin, first)
    assert (first.status, first.remote_status, first.error) == ("published", "publish", "")
    post = wp_post(admin, first.external_id)
    cover, cup = first.media[str(featured.pk)], first.media[str(inline.pk)]
    assert post["featured_media"] == cover["id"]
    body = post["content"]["raw"]
    assert f'src="{cup["url"]}"' in body
    assert inline.file.url not in body
    # Our administrator keeps <script>: the Article's image is the copy WordPress serves.
    assert body.count('<script type="application/ld+json">') == 1
    assert f'"image":["{cover["url"]}"]' in body
    cup_item = admin.request("GET", f"wp/v2/media/{cup['id']}", params={"context": "edit"})
    assert (cup_item["alt_text"], cup_item["source_url"]) == ("A cup on a saucer", cup["url"])
    # Attached to the post (the Media Library's "Uploaded to"), not "Unattached"; the record knows.
    cover_item = admin.request("GET", f"wp/v2/media/{cover['id']}", params={"context": "edit"})
    post_id = int(first.external_id)
    assert (cover_item["post"], cup_item["post"], cover["post"], cup["post"]) == (post_id,) * 4
    with inline.file.open("rb") as handle:
        assert httpx.get(cup["url"]).content == handle.read()  # the URL in the article serves our file

    content.title = f"Images {stamp}, revised"
    content.save(update_fields=["title"])
    again = services.content_publish(content=content, wp_status="publish", link=False)
    assert (again.external_id, again.media) == (first.external_id, first.media)
    assert wp_post(admin, first.external_id)["title"]["raw"] == f"Images {stamp}, revised"
    assert posts_with_slug(admin, f"img-{stamp}") == [int(first.external_id)]
    for image, item in ((featured, cover), (inline, cup)):
        with image.file.open("rb") as handle:
            marker = publisher.media_marker(key=str(image.pk), data=handle.read())
        assert admin.find_media(slug=marker)["id"] == item["id"]


def test_an_authors_connection_gets_no_structured_data_text(alice, real_site, admin, author_id, stamp):
    """WordPress strips <script> from a post saved by a user without unfiltered_html (an Author)
    and keeps the JSON inside as visible text; such a connection is sent no JSON-LD."""
    content = make_article(alice, title=f"By an author {stamp}", html="<p>Plain.</p>", slug=f"author-{stamp}")
    with connected_as(admin, real_site, user_id=author_id, login=AUTHOR_LOGIN, stamp=stamp):
        record = services.content_publish(content=content, wp_status="publish", link=False)
    track(admin, record)
    assert (record.status, record.remote_status, record.error) == ("published", "publish", "")
    post = wp_post(admin, record.external_id)
    assert (post["author"], post["content"]["raw"]) == (author_id, "<p>Plain.</p>")
    assert record.log[-1]["warnings"] == [publisher.NO_SCRIPT_WARNING]


def test_a_contributors_connection_is_told_it_cannot_publish(alice, real_site, admin, stamp):
    """WordPress lists only the capabilities a user has (no publish_posts: false) and refuses a
    Contributor's publish request with 403 rest_cannot_publish, saving nothing."""
    login = "igny8-test-contributor"
    user_id = wp_user(admin, login=login, name="IGNY8 Test Contributor", role="contributor")
    content = make_article(
        alice, title=f"By a contributor {stamp}", html="<p>Hi.</p>", slug=f"contrib-{stamp}"
    )
    with connected_as(admin, real_site, user_id=user_id, login=login, stamp=stamp):
        report = services.site_connection_test(site=real_site)
        record = services.content_publish(content=content, wp_status="publish", link=False)
    assert (report.ok, report.can_publish) == (True, False)
    assert report.message.endswith(
        "This user cannot publish posts (only drafts/pending); give it the Author or Editor role."
    )
    assert (record.status, record.external_id) == ("failed", "")
    assert record.error == f"{HINTS['rest_cannot_publish']} (WordPress: rest_cannot_publish, HTTP 403)"
    assert posts_with_slug(admin, f"contrib-{stamp}") == []


def test_a_contributors_upload_is_told_it_needs_upload_files(alice, real_site, admin, stamp):
    """A Contributor may write drafts but not upload: WordPress answers the upload 403
    rest_cannot_create "not allowed to create posts", which the hint turns into upload_files."""
    login = "igny8-test-contributor"
    user_id = wp_user(admin, login=login, name="IGNY8 Test Contributor", role="contributor")
    content = make_article(
        alice, title=f"Draft with a picture {stamp}", html="<p>Hi.</p>", slug=f"pic-{stamp}"
    )
    data = png(f"contributor {stamp}")
    image = generated_image(content, name="pic.png", data=data, image_type="featured")
    with connected_as(admin, real_site, user_id=user_id, login=login, stamp=stamp):
        record = services.content_publish(content=content, wp_status="draft", link=False)
    assert (record.status, record.external_id, record.media) == ("failed", "", {})
    assert record.error == f"{UPLOAD_HINTS['rest_cannot_create']} (WordPress: rest_cannot_create, HTTP 403)"
    assert admin.find_media(slug=publisher.media_marker(key=str(image.pk), data=data)) is None
