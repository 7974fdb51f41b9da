"""Hostile AI text never reaches WordPress as markup: every field is cleaned for where it goes."""

import json

import pytest

from igny8.publishing import clean, services
from tests.publishing.conftest import generated_image, make_article
from tests.publishing.fake_wp import PNG

TITLE = "<script>alert(1)</script>Best grinders"
EXCERPT = "Grind fresh <img src=x onerror=alert(1)>every morning."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (TITLE, "Best grinders"),
        (EXCERPT, "Grind fresh every morning."),
        ("<b>x</b>", "x"),
        ("&lt;script&gt;alert(1)&lt;/script&gt;Hi", "Hi"),  # entity-encoded markup goes too
        ("&amp;lt;b&amp;gt;bold&amp;lt;/b&amp;gt; text", "bold text"),  # and doubly encoded
        ("Salt &amp; pepper & co", "Salt & pepper & co"),
        ("5 < 6 and 7 > 3", "5 < 6 and 7 > 3"),  # no tag: kept as text
        ("tail <script", "tail"),
        ("a\x00b\x1bc \u202eevil\u202c  d\u200de\n\tf", "abc evil d\u200de f"),
        (None, ""),
    ],
)
def test_plain(text, expected):
    assert clean.plain(text) == expected


def test_html_text_term_names_slug_and_article():
    assert clean.html_text("Salt & pepper: 5 < 6 <b>now</b>") == "Salt &amp; pepper: 5 &lt; 6 now"
    assert clean.html_text('"Quoted" <i>it</i>', max_length=6) == '"Quote'
    assert clean.term_names(["<b>x</b>", "Burr & blade", "<b>X</b>", "<script>y</script>", "  "]) == [
        "x",
        "Burr & blade",
    ]
    assert clean.term_name("a" * 250) == "a" * 200
    assert clean.slug("../../etc/passwd") == "etcpasswd"
    assert clean.slug("<b>Café</b> crème") == "café-crème"
    assert clean.article('<p onclick="x()">Hi</p><script>alert(1)</script><a href="javascript:x">y</a>') == (
        '<p>Hi</p><a rel="noopener">y</a>'
    )


def test_hostile_fields_reach_wordpress_as_plain_text(alice, site, wp):
    content = make_article(
        alice,
        title=TITLE,
        # Written straight to the row, as another path might: sanitised again at the door.
        html='<p onclick="steal()">Burrs &amp; blades.</p><script>alert(2)</script>',
        slug="best-grinders",
        excerpt=EXCERPT,
        meta_title="<b>Best</b> grinders & more",
        meta_description="&lt;script&gt;alert(3)&lt;/script&gt;Pick a burr grinder.",
    )
    generated_image(content, name="featured.png", data=PNG, image_type="featured")
    record = services.content_publish(
        content=content,
        tags=["<b>x</b>", "Burr & blade", "<b>X</b>", "<script>alert(4)</script>"],
        categories=["<i>Gear</i>" + "a" * 250],
        link=False,
    )

    assert (record.status, record.error) == ("published", "")
    post = wp.posts[int(record.external_id)]
    assert post["title"]["raw"] == "Best grinders"
    assert post["excerpt"]["raw"] == "Grind fresh every morning."
    # The article, then our JSON-LD (issue 14), in which no text can close the script tag.
    article, jsonld = post["content"]["raw"].split("\n", 1)
    assert article == "<p>Burrs &amp; blades.</p>"
    assert jsonld.startswith('<script type="application/ld+json">') and jsonld.count("</script>") == 1
    described = json.loads(
        jsonld.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    )
    assert (described["headline"], described["description"]) == (
        "Best grinders",
        "Pick a burr grinder.",
    )
    assert post["slug"] == "best-grinders"
    assert post["meta"] == {
        "_yoast_wpseo_title": "Best grinders & more",
        "_yoast_wpseo_metadesc": "Pick a burr grinder.",
    }
    tags = {t["id"]: t["raw"] for t in wp.terms["tags"].values()}
    assert [tags[i] for i in post["tags"]] == ["x", "Burr & blade"]
    categories = {t["id"]: t["raw"] for t in wp.terms["categories"].values()}
    assert [categories[i] for i in post["categories"]] == ["Gear" + "a" * 196]
    (media,) = wp.media.values()
    assert (media["alt_text"], media["title"]) == ("Best grinders", "Best grinders")
    # Every script tag in what was sent is our JSON-LD's (checked above); nothing else may be one.
    sent = (
        json.dumps([wp.posts, wp.media, wp.terms])
        .lower()
        .replace('<script type=\\"application/ld+json\\">', "")
    )
    for needle in ("<script", "onerror", "onclick", "<b>", "<i>", "<img src=x"):
        assert needle not in sent


def test_title_with_html_characters_is_escaped_and_still_adopted(alice, site, wp):
    from igny8.publishing.models import PublishRecord
    from igny8.writer.models import Content

    content = make_article(alice, title="Salt & pepper: 5 < 6", html="<p>S.</p>", slug="salt-pepper")
    first = services.content_publish(content=content, link=False)
    assert wp.posts[int(first.external_id)]["title"]["raw"] == "Salt &amp; pepper: 5 &lt; 6"
    # A lost record finds its post again by slug and title, compared as text.
    PublishRecord.objects.all().delete()
    Content.objects.filter(pk=content.pk).update(external_id="")
    content.refresh_from_db()
    second = services.content_publish(content=content, link=False)
    assert second.external_id == first.external_id
    assert len(wp.posts) == 1
