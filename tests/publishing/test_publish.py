"""Publishing contents to the fake WordPress: images, terms, meta, statuses, idempotency."""

from datetime import UTC, datetime, timedelta

import pytest

from igny8.publishing import publisher, services
from igny8.publishing.models import PublishRecord
from igny8.publishing.wordpress.errors import HINTS
from igny8.writer.models import Content, Image
from tests.publishing.conftest import generated_image, make_article
from tests.publishing.fake_wp import PNG

HTML = "<h2>Grinding</h2><p>Grind fine.</p><h2>Brewing</h2><p>Brew hot.</p>"


@pytest.fixture
def article(alice, site, cluster):
    content = make_article(
        alice,
        title="Espresso at home",
        html=HTML + '<p><img src="https://cdn.example.com/x.png"></p>',
        cluster=cluster,
        primary="espresso at home",
        secondary=["espresso grind", "milk frothing"],
        slug="espresso-at-home",
        excerpt="How to pull a shot.",
        meta_title="Espresso at home: a guide",
        meta_description="Pull a better shot.",
    )
    featured = generated_image(content, name="featured.png", data=PNG, image_type="featured")
    inline = generated_image(
        content, name="shot.png", data=PNG, position=1, prompt="A shot of espresso pouring. Warm light."
    )
    remote = Image.objects.create(
        account=alice.account,
        site=alice.site,
        content=content,
        image_type="in_article",
        position=0,
        status="generated",
        url="https://cdn.example.com/x.png",
    )
    return content, featured, inline, remote


def test_publish_uploads_images_sets_terms_meta_and_stores_the_result(article, wp, alice, monkeypatch):
    content, featured, inline, remote = article
    # The remote image is fetched from the fake server (loopback), not the internet.
    from igny8.publishing import publisher

    monkeypatch.setattr(
        publisher, "download", lambda url, **kw: ("x.png", PNG) if url == remote.url else pytest.fail(url)
    )
    wp.add_term("categories", "Espresso machines")
    record = services.content_publish(content=content, wp_status="publish")

    assert (record.status, record.remote_status, record.error) == ("published", "publish", "")
    post = wp.posts[int(record.external_id)]
    assert post["title"]["raw"] == "Espresso at home"
    assert post["slug"] == "espresso-at-home"
    assert post["excerpt"]["raw"] == "How to pull a shot."
    assert post["categories"] == [101]
    assert len(post["tags"]) == 3
    assert post["meta"] == {
        "_yoast_wpseo_title": "Espresso at home: a guide",
        "_yoast_wpseo_metadesc": "Pull a better shot.",
    }
    media = record.media
    assert set(media) == {str(featured.pk), str(inline.pk), str(remote.pk)}
    assert post["featured_media"] == media[str(featured.pk)]["id"]
    body = post["content"]["raw"]
    # The article is sanitised again on its way out (publishing/clean.py), which writes <img ...>.
    assert f'<img alt="A shot of espresso pouring" src="{media[str(inline.pk)]["url"]}">' in body
    assert f'<img alt="Espresso at home - image 1" src="{wp.url}/wp-content/uploads/x.png">' in body
    assert "cdn.example.com" not in body
    # in-article image at position 1 follows the second section's first paragraph
    assert body.index("Brew hot.") < body.index(media[str(inline.pk)]["url"])
    assert wp.media[media[str(featured.pk)]["id"]]["alt_text"] == "Espresso at home"
    # Attached to the post (not "Unattached" in the Media Library), and the record remembers it.
    assert {wp.media[entry["id"]]["post"] for entry in media.values()} == {post["id"]}
    assert {entry["post"] for entry in media.values()} == {post["id"]}

    content.refresh_from_db()
    assert content.status == "published"
    assert content.external_id == record.external_id
    assert content.external_url == f"{wp.url}/espresso-at-home/"
    assert content.published_at is not None


def test_republish_updates_the_same_post_and_reuses_media(article, wp, monkeypatch):
    content = article[0]
    from igny8.publishing import publisher

    monkeypatch.setattr(publisher, "download", lambda url, **kw: ("x.png", PNG))
    first = services.content_publish(content=content)
    Content.objects.filter(pk=content.pk).update(title="Espresso at home, revised")
    content.refresh_from_db()
    second = services.content_publish(content=content)

    assert second.pk == first.pk
    assert second.external_id == first.external_id
    assert len(wp.posts) == 1
    assert wp.posts[int(first.external_id)]["title"]["raw"] == "Espresso at home, revised"
    # 3 uploads, 3 alt-text updates and 3 attachments to the post, all in the first publication.
    assert wp.count("POST", "/wp-json/wp/v2/media") == 9
    post_id = int(first.external_id)
    assert [wp.media[entry["id"]]["post"] for entry in second.media.values()] == [post_id] * 3
    assert [entry["post"] for entry in second.media.values()] == [post_id] * 3
    assert PublishRecord.objects.count() == 1
    assert second.attempts == 2


def test_lost_record_adopts_the_post_with_same_slug_and_title(alice, site, wp):
    content = make_article(alice, title="Moka pot", html="<p>Moka.</p>", slug="moka-pot")
    first = services.content_publish(content=content, link=False)
    PublishRecord.objects.all().delete()
    Content.objects.filter(pk=content.pk).update(external_id="")
    content.refresh_from_db()
    second = services.content_publish(content=content, link=False)
    assert second.external_id == first.external_id
    assert len(wp.posts) == 1


def test_deleted_post_is_recreated(alice, site, wp):
    content = make_article(alice, title="Cold brew", html="<p>Cold.</p>", slug="cold-brew")
    first = services.content_publish(content=content, link=False)
    del wp.posts[int(first.external_id)]
    second = services.content_publish(content=content, link=False)
    assert second.external_id != first.external_id
    assert second.log[-1]["warnings"] == [
        f"Post {first.external_id} no longer exists in WordPress; a new one was created."
    ]


def test_future_status_with_date(alice, site, wp):
    content = make_article(alice, title="Latte art", html="<p>Art.</p>", slug="latte-art")
    when = (datetime.now(UTC) + timedelta(days=2)).replace(microsecond=0)
    record = services.content_publish(content=content, wp_status="future", wp_date=when, link=False)
    assert (record.status, record.remote_status) == ("published", "future")
    assert wp.posts[int(record.external_id)]["date_gmt"] == when.strftime("%Y-%m-%dT%H:%M:%S")
    content.refresh_from_db()
    assert (content.status, content.scheduled_at) == ("draft", when)


def test_draft_status(alice, site, wp):
    content = make_article(alice, title="Pour over", html="<p>Pour.</p>")
    record = services.content_publish(content=content, wp_status="draft", link=False)
    assert record.remote_status == "draft"
    content.refresh_from_db()
    assert (content.status, content.published_at) == ("draft", None)


def test_a_contributor_is_refused_publishing_and_told_why(alice, site, wp):
    """A real WordPress 6.1 answers a Contributor's publish request 403 rest_cannot_publish and
    saves nothing."""
    wp.contributor = True
    content = make_article(alice, title="Cold brew", html="<p>Steep.</p>")
    record = services.content_publish(content=content, wp_status="publish", link=False)
    assert (record.status, record.external_id, wp.posts) == ("failed", "", {})
    assert record.error == f"{HINTS['rest_cannot_publish']} (WordPress: rest_cannot_publish, HTTP 403)"


def test_returned_status_is_verified(alice, site, wp):
    wp.hold_for_review = True
    content = make_article(alice, title="Aeropress", html="<p>Press.</p>")
    record = services.content_publish(content=content, wp_status="publish", link=False)
    assert (record.status, record.remote_status) == ("failed", "pending")
    assert record.error == (
        "WordPress saved the post as pending review: the user may not publish; give it the "
        "Author or Editor role."
    )
    assert record.external_id != ""


def test_failure_is_stored_on_the_record(alice, site, wp):
    site.wp_secrets = {"app_password": "nope"}
    site.save()
    content = make_article(alice, title="Siphon", html="<p>Siphon.</p>")
    record = services.content_publish(content=content, link=False)
    assert record.status == "failed"
    assert record.error.startswith("The application password is wrong.")
    assert wp.posts == {}


def test_term_exists_during_publish(alice, site, wp, cluster):
    cluster.name = "Tea & Coffee"
    cluster.save()
    existing = wp.add_term("categories", "Tea & Coffee")
    content = make_article(alice, title="Chai latte", html="<p>Chai.</p>", cluster=cluster)
    record = services.content_publish(content=content, categories=None, tags=[], link=False)
    assert wp.posts[int(record.external_id)]["categories"] == [existing]
    assert wp.posts[int(record.external_id)]["tags"] == []


def test_contents_publish_many_one_failure_does_not_stop_others(alice, site, wp):
    good = make_article(alice, title="One", html="<p>One.</p>")
    also = make_article(alice, title="Two", html="<p>Two.</p>")
    # The first content's first request, the user's capabilities (3 tries), fails.
    wp.fail_next = [500] * 3
    records = services.contents_publish(site=site, contents=[good, also])
    assert [r.status for r in records] == ["failed", "published"]
    assert records[0].error == "WordPress answered HTTP 500 busy: Try again."
    assert len(wp.posts) == 1


def test_contents_publish_refuses_future_without_date(alice, site):
    from igny8.core.errors import Invalid

    content = make_article(alice, title="One", html="<p>One.</p>")
    with pytest.raises(Invalid):
        services.contents_publish(site=site, contents=[content], wp_status="future")


def test_a_user_without_unfiltered_html_is_sent_no_jsonld(alice, site, wp):
    """WordPress strips <script> from an Author's post and shows the JSON inside as text (seen on a
    real WordPress 6.1): such a connection gets the article without its JSON-LD, and a warning.
    The capabilities are read once per connection."""
    wp.unfiltered_html = False
    first = make_article(alice, title="Chemex", html="<p>Fold the filter.</p>", slug="chemex")
    second = make_article(alice, title="V60", html="<p>Spiral pour.</p>", slug="v60")
    records = services.contents_publish(site=site, contents=[first, second])
    assert [(r.status, r.error, r.log[-1]["warnings"]) for r in records] == [
        ("published", "", [publisher.NO_SCRIPT_WARNING]),
        ("published", "", [publisher.NO_SCRIPT_WARNING]),
    ]
    bodies = [wp.posts[int(r.external_id)]["content"]["raw"] for r in records]
    assert bodies == ["<p>Fold the filter.</p>", "<p>Spiral pour.</p>"]
    assert wp.count("GET", "/wp-json/wp/v2/users/me") == 1

    wp.unfiltered_html = True  # an Editor: the JSON-LD goes with the article
    record = services.content_publish(content=first, link=False)
    body = wp.posts[int(record.external_id)]["content"]["raw"]
    assert body.startswith('<p>Fold the filter.</p>\n<script type="application/ld+json">{"@context"')
    assert record.log[-1]["warnings"] == []
