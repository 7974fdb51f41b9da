"""Export in the web app (issue 13, point 3): the content page's downloads and Copy data, the
content list's zip of a selection and of the whole site (the same files as the API and the CLI)."""

import io
import json
import re
import zipfile

import yaml

from igny8.writer.models import Content


def zip_names(response) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return sorted(zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist())


def test_content_page_offers_downloads_and_copy(web, data):
    content = data["content"]
    Content.objects.filter(pk=content.pk).update(slug="best-espresso")
    page = web.get(f"/writer/content/{content.pk}/").content.decode()
    assert f'href="/writer/content/{content.pk}/export/html/" download' in page
    assert f'href="/writer/content/{content.pk}/export/md/" download' in page
    assert 'data-copy-from="export-copy-html"' in page
    assert '<script src="/static/web/export.js" defer></script>' in page
    copied = re.search(r'<script id="export-copy-markdown" type="application/json">(.*?)</script>', page)
    markdown = json.loads(copied.group(1))
    assert markdown.startswith("---\ntitle: Best espresso machines\nslug: best-espresso\n")
    assert markdown.endswith("---\n\nHello **coffee**\n")

    md = web.get(f"/writer/content/{content.pk}/export/md/")
    assert md["Content-Disposition"] == 'attachment; filename="best-espresso.md"'
    front = md.content.decode().split("---\n")[1]
    assert yaml.safe_load(front)["meta_title"] == "Espresso"
    html = web.get(f"/writer/content/{content.pk}/export/html/")
    assert html["Content-Type"] == "text/html; charset=utf-8"
    assert "<h1>Best espresso machines</h1>" in html.content.decode()
    assert web.get(f"/writer/content/{content.pk}/export/pdf/").status_code == 404


def test_export_selected_and_whole_site_as_zip(web, data, alice):
    content = data["content"]
    other = Content.objects.create(
        account=alice.account, site=alice.site, title="Moka", slug="moka", html="<p>M.</p>"
    )
    listing = web.get("/writer/content/").content.decode()
    assert (
        'formaction="/writer/content/export/" data-export-selected>Export selected (zip)</button>' in listing
    )
    assert "Export the whole site (zip)" in listing
    chosen = web.post("/writer/content/export/", {"ids": [other.pk]})
    assert chosen["Content-Disposition"] == 'attachment; filename="articles.zip"'
    assert zip_names(chosen) == ["moka/index.html", "moka/index.md"]
    whole = web.post("/writer/content/export/", {"whole_site": "1"})
    assert zip_names(whole) == [
        f"content-{content.pk}/index.html",
        f"content-{content.pk}/index.md",
        "moka/index.html",
        "moka/index.md",
    ]


def test_export_refuses_an_empty_selection_and_other_accounts(web, other, data):
    refused = web.post("/writer/content/export/", {})
    assert refused.status_code == 400
    assert "Select at least one row." in refused.content.decode()
    assert other.get(f"/writer/content/{data['content'].pk}/export/md/").status_code == 404
    foreign = other.post("/writer/content/export/", {"ids": [data["content"].pk]})
    assert foreign.status_code == 400


def test_a_viewer_may_export(viewer, data):
    assert viewer.post("/writer/content/export/", {"whole_site": "1"}).status_code == 200
    assert viewer.get(f"/writer/content/{data['content'].pk}/export/html/").status_code == 200


# -- bulk status on the content list (issue 13, point 5, part) ----------------------------------


def test_bulk_status_moves_the_ticked_articles_and_leaves_published_ones(web, data, alice):
    content = data["content"]
    other = Content.objects.create(account=alice.account, site=alice.site, title="Moka", html="<p>M.</p>")
    done = Content.objects.create(
        account=alice.account, site=alice.site, title="Live", html="<p>L.</p>", status="published"
    )
    listing = web.get("/writer/content/").content.decode()
    assert 'formaction="/writer/content/bulk/status/" data-bulk-status>Set status</button>' in listing
    assert (
        '<option value="published">' not in listing.split('id="bulk-content-status"')[1].split("</select>")[0]
    )
    response = web.post(
        "/writer/content/bulk/status/", {"ids": [content.pk, other.pk, done.pk], "status": "review"}
    )
    assert (response.status_code, response["Location"]) == (302, "/writer/content/?updated=2&to=review")
    assert dict(Content.objects.values_list("pk", "status")) == {
        content.pk: "review",
        other.pk: "review",
        done.pk: "published",
    }
    page = web.get(response["Location"]).content.decode()
    assert '<p class="success" role="status" data-bulk-note>Set 2 article(s) to Review.</p>' in page


def test_bulk_status_refusals(web, viewer, data):
    content = data["content"]
    bad = web.post("/writer/content/bulk/status/", {"ids": [content.pk], "status": "published"})
    assert bad.status_code == 400
    assert "Choose a status: Draft, Review or Approved." in bad.content.decode()
    empty = web.post("/writer/content/bulk/status/", {"status": "review"})
    assert "Select at least one row." in empty.content.decode()
    assert (
        viewer.post("/writer/content/bulk/status/", {"ids": [content.pk], "status": "review"}).status_code
        == 403
    )
    assert Content.objects.get(pk=content.pk).status == "draft"


# -- images page: variants under their image, counts apart (issue 13, point 4, part) ------------


def test_images_page_puts_the_featured_image_first_and_variants_under_their_image(web, data, alice):
    from igny8.writer.models import Image

    content = data["content"]
    Image.objects.filter(content=content).delete()
    common = {"account": alice.account, "site": alice.site, "content": content, "status": "generated"}
    Image.objects.create(image_type="in_article", position=0, prompt="Inline", **common)
    Image.objects.create(image_type="desktop", position=0, **common)
    Image.objects.create(image_type="mobile", position=0, **common)
    Image.objects.create(image_type="featured", position=0, prompt="Hero", **common)
    page = web.get("/writer/images/").content.decode()
    assert (
        '<p class="muted" data-image-counts>2 image(s), plus 2 size variant(s) '
        "(desktop/mobile copies of in-article images).</p>"
    ) in page
    assert page.index("Featured Image") < page.index("In-article 1")
    assert 'aria-label="Size variants of in-article image 1"' in page
    assert page.index("Desktop variant") > page.index("In-article 1")
