"""Export through the API (issue 13, point 3): one article as HTML or Markdown, a selection or a
whole site as a zip with its images, the same files as the CLI's --export."""

import io
import zipfile

import yaml

from tests.publishing.conftest import generated_image, make_article


def with_images(alice, content):
    featured = generated_image(content, name="hero.png", data=b"PNG-hero", image_type="featured")
    inline = generated_image(
        content, name="kettle.png", data=b"PNG-kettle", prompt="A kettle pouring. Steam rising"
    )
    return featured, inline


def zip_of(response) -> zipfile.ZipFile:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_one_article_as_markdown_with_front_matter(alice):
    content = make_article(
        alice,
        title="Pour over",
        html="<h2>Kit</h2><p>A kettle.</p><h2>Method</h2><p>Pour slowly.</p>",
        slug="pour-over",
        meta_title="Pour over guide",
        meta_description="Brew it slowly.",
        excerpt="Slow coffee.",
        word_count=5,
    )
    featured, inline = with_images(alice, content)
    response = alice.client().get(f"/api/v1/writer/content/{content.pk}/export/?as=md")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="pour-over.md"'
    text = response.content.decode()
    front, body = text.split("---\n")[1], text.split("---\n", 2)[2]
    hero = f"http://testserver{featured.file.url}"
    assert yaml.safe_load(front) == {
        "title": "Pour over",
        "slug": "pour-over",
        "meta_title": "Pour over guide",
        "meta_description": "Brew it slowly.",
        "excerpt": "Slow coffee.",
        "status": "draft",
        "word_count": 5,
        "keywords": [],
        "featured_image": hero,
        "date": content.created_at.date().isoformat(),
        "language": "en",
    }
    # The in-article image (position 0) sits after the first section's first paragraph.
    assert body == (
        f"\n## Kit\n\nA kettle.\n\n![A kettle pouring](http://testserver{inline.file.url})\n\n## Method\n\n"
        "Pour slowly.\n"
    )


def test_one_article_as_html(alice):
    content = make_article(alice, title="Pour over", html="<p>Pour.</p>", slug="pour-over")
    response = alice.client().get(f"/api/v1/writer/content/{content.pk}/export/")
    assert response["Content-Disposition"] == 'attachment; filename="pour-over.html"'
    page = response.content.decode()
    assert "<title>Pour over</title>" in page
    assert "<h1>Pour over</h1>\n\n<p>Pour.</p>" in page


def test_unknown_format_is_a_400_naming_it(alice):
    content = make_article(alice, title="Pour over", html="<p>Pour.</p>")
    response = alice.client().get(f"/api/v1/writer/content/{content.pk}/export/?as=pdf")
    assert response.status_code == 400
    assert response.json()["errors"] == {"as": ["Unknown export format 'pdf'; use html or md."]}


def test_a_selection_as_a_zip_with_its_images(alice):
    first = make_article(alice, title="First", html="<h2>A</h2><p>One.</p>", slug="same")
    second = make_article(alice, title="Second", html="<p>Two.</p>", slug="same")
    make_article(alice, title="Left out", html="<p>Three.</p>", slug="left-out")
    with_images(alice, first)
    response = alice.client().post(
        "/api/v1/publishing/export/", {"ids": [first.pk, second.pk]}, format="json"
    )
    archive = zip_of(response)
    assert response["Content-Disposition"] == 'attachment; filename="articles.zip"'
    assert sorted(archive.namelist()) == sorted(
        [
            "same/images/hero.png",
            "same/images/kettle.png",
            "same/index.html",
            "same/index.md",
            f"same-{second.pk}/index.html",
            f"same-{second.pk}/index.md",
        ]
    )
    assert archive.read("same/images/kettle.png") == b"PNG-kettle"
    page = archive.read("same/index.html").decode()
    assert '<h1>First</h1>\n<img src="images/hero.png" alt="First">' in page
    assert '<p>One.</p><figure><img alt="A kettle pouring" src="images/kettle.png"/></figure>' in page
    front = archive.read("same/index.md").decode().split("---\n")[1]
    assert yaml.safe_load(front)["featured_image"] == "images/hero.png"


def test_a_whole_site_as_a_zip(alice, charlie):
    make_article(alice, title="Mine", html="<p>Mine.</p>", slug="mine")
    make_article(charlie, title="Theirs", html="<p>Theirs.</p>", slug="theirs")
    response = alice.client().post("/api/v1/publishing/export/", {"site": alice.site.pk}, format="json")
    assert sorted(zip_of(response).namelist()) == ["mine/index.html", "mine/index.md"]
    assert response["Content-Disposition"] == 'attachment; filename="alice-site-articles.zip"'


def test_export_refusals(alice, charlie):
    theirs = make_article(charlie, title="Theirs", html="<p>Theirs.</p>")
    client = alice.client()
    both = client.post("/api/v1/publishing/export/", {"ids": [1], "site": alice.site.pk}, format="json")
    assert both.status_code == 400
    assert both.json()["errors"] == {
        "ids": ["Send either ids (the articles to export) or site (all its articles), not both."]
    }
    foreign = client.post("/api/v1/publishing/export/", {"ids": [theirs.pk]}, format="json")
    assert foreign.status_code == 400
    assert foreign.json()["errors"] == {"ids": [f"No such content in this account: {theirs.pk}."]}
    assert client.get(f"/api/v1/writer/content/{theirs.pk}/export/").status_code == 404
    other_site = client.post("/api/v1/publishing/export/", {"site": charlie.site.pk}, format="json")
    assert other_site.status_code in (403, 404)
    unknown = client.post("/api/v1/publishing/export/", {"site": alice.site.pk, "zip": True}, format="json")
    assert unknown.status_code == 400
    assert list(unknown.json()["errors"]) == ["zip"]
