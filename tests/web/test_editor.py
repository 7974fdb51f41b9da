"""The article editor (issue 13, point 1): fields saved through the API's serializer and
content_update, a revision per save of changed text, no silent truncation, keywords, and the
side panel's score as published and term counts (the JSON the editor's script asks for)."""

from django.core.files.base import ContentFile

from igny8.publishing.models import ContentRevision
from igny8.writer.models import Content, Image, Task
from tests.publishing.fake_wp import PNG


def post_fields(content, **changes) -> dict:
    fields = {
        "title": content.title,
        "slug": content.slug,
        "html": content.html,
        "excerpt": content.excerpt,
        "meta_title": content.meta_title,
        "meta_description": content.meta_description,
        "primary_keyword": "espresso machine",
        "secondary_keywords": "burr grinder",
    }
    return {**fields, **changes}


def test_the_editor_page_shows_the_body_editor_and_panel(web, data):
    content = data["content"]
    page = web.get(f"/writer/content/{content.pk}/edit/").content.decode()
    assert '<script src="/static/web/vendor/quill/quill.js" defer></script>' in page
    assert '<link rel="stylesheet" href="/static/web/vendor/quill/quill.snow.css">' in page
    assert 'data-editor-source=""' in page
    assert 'maxlength="60"' not in page  # no silent truncation: the hint and the server say it
    assert f'data-score-url="/writer/content/{content.pk}/edit/score/"' in page
    assert '<tr class="term-short" data-term="espresso machine">' in page
    detail = web.get(f"/writer/content/{content.pk}/").content.decode()
    assert f'href="/writer/content/{content.pk}/edit/" data-edit-article' in detail


def test_saving_writes_sanitised_html_keywords_and_a_revision(web, data):
    content = data["content"]
    response = web.post(
        f"/writer/content/{content.pk}/edit/",
        post_fields(
            content,
            title="Espresso machines for home",
            html='<h2>Why</h2><p onclick="x()">A good espresso machine.</p><script>alert(1)</script>',
            meta_title="Espresso machines",
            primary_keyword="espresso machine",
            secondary_keywords="burr grinder, tamper",
        ),
    )
    assert (response.status_code, response["Location"]) == (
        302,
        f"/writer/content/{content.pk}/edit/?saved=1",
    )
    content.refresh_from_db()
    assert content.title == "Espresso machines for home"
    assert content.html == "<h2>Why</h2><p>A good espresso machine.</p>"
    assert content.word_count == 5
    [revision] = ContentRevision.objects.filter(content=content)
    assert (revision.reason, revision.title, revision.html) == (
        "edit",
        "Best espresso machines",
        "<p>Hello <b>coffee</b></p>",
    )
    task = Task.objects.get(pk=content.task_id)
    assert task.keywords == ["espresso machine", "burr grinder", "tamper"]
    saved = web.get(f"/writer/content/{content.pk}/edit/?saved=1").content.decode()
    assert f"Saved. The version it replaced is revision {revision.pk}" in saved

    # Saving the same text again keeps no second revision.
    web.post(
        f"/writer/content/{content.pk}/edit/", post_fields(content, secondary_keywords="burr grinder, tamper")
    )
    assert ContentRevision.objects.filter(content=content).count() == 1


def test_an_over_long_meta_title_is_refused_with_its_field_not_cut(web, data):
    content = data["content"]
    long_title = "An espresso machine guide that is far too long for a search result"
    response = web.post(f"/writer/content/{content.pk}/edit/", post_fields(content, meta_title=long_title))
    assert response.status_code == 400
    body = response.content.decode()
    # The model's own rule, in Django's words (the API's serializer checks the same length).
    message = f"Ensure this value has at most 60 characters (it has {len(long_title)})."
    assert f'id="id_meta_title_error" role="alert">{message}' in body
    assert f'value="{long_title}"' in body  # what was typed is kept, not cut
    assert Content.objects.get(pk=content.pk).meta_title == "Espresso"
    assert not ContentRevision.objects.exists()


def test_the_api_update_keeps_a_revision_too(api, data):
    content = data["content"]
    response = api.patch(f"/api/v1/writer/content/{content.pk}/", {"html": "<p>New text.</p>"}, format="json")
    assert response.status_code == 200
    [revision] = ContentRevision.objects.filter(content=content)
    assert (revision.reason, revision.html) == ("edit", "<p>Hello <b>coffee</b></p>")


def test_the_score_counts_the_images_that_will_be_published(web, data, alice):
    content = data["content"]
    Image.objects.filter(content=content).delete()
    image = Image(
        account=alice.account, site=alice.site, content=content, image_type="featured", status="generated"
    )
    image.file.save("hero.png", ContentFile(PNG), save=True)
    inline = Image(
        account=alice.account,
        site=alice.site,
        content=content,
        image_type="in_article",
        status="generated",
        prompt="A machine pouring espresso.",
    )
    inline.file.save("inline.png", ContentFile(PNG), save=True)
    panel = web.post(f"/writer/content/{content.pk}/edit/score/", {"html": "<p>Espresso machine.</p>"}).json()
    [alts] = [c for c in panel["score"]["checks"] if c["key"] == "image_alts"]
    assert alts == {
        "key": "image_alts",
        "points": 5,
        "max_points": 5,
        "detail": "1 of 1 images have alt text.",
    }
    assert panel["published_adds"] == {"internal_links": 0, "images": 2}
    detail = web.get(f"/writer/content/{content.pk}/").content.decode()
    assert "No images; add at least one" not in detail


def test_the_panel_counts_terms_in_the_text_being_typed(web, data):
    content = data["content"]
    Task.objects.filter(pk=data["task"].pk).update(idea=data["idea"])  # its outline gives terms
    url = f"/writer/content/{content.pk}/edit/score/"
    before = web.post(url, {"html": "<p>Nothing yet.</p>", "primary_keyword": "espresso machine"}).json()
    after = web.post(
        url,
        {
            "html": "<p>An espresso machine and a burr grinder. Espresso machine care.</p>",
            "primary_keyword": "espresso machine",
            "secondary_keywords": "burr grinder",
        },
    ).json()
    assert before["terms"][0] == {
        "term": "espresso machine",
        "source": "primary",
        "count": 0,
        "target": 2,
        "met": False,
    }
    assert after["terms"][:2] == [
        {"term": "espresso machine", "source": "primary", "count": 2, "target": 2, "met": True},
        {"term": "burr grinder", "source": "secondary", "count": 1, "target": 1, "met": True},
    ]
    # The outline's heading is a term as well.
    assert {"term": "Why espresso", "source": "outline", "count": 0, "target": 1, "met": False} in after[
        "terms"
    ]
    assert after["score"]["total"] > before["score"]["total"]
    assert Content.objects.get(pk=content.pk).html == "<p>Hello <b>coffee</b></p>"  # nothing saved


def test_a_viewer_cannot_save_or_score(viewer, data):
    content = data["content"]
    assert (
        viewer.post(f"/writer/content/{content.pk}/edit/", post_fields(content, title="X")).status_code == 403
    )
    assert viewer.post(f"/writer/content/{content.pk}/edit/score/", {}).status_code == 403
    assert Content.objects.get(pk=content.pk).title == "Best espresso machines"


def test_another_account_gets_404(other, data):
    assert other.get(f"/writer/content/{data['content'].pk}/edit/").status_code == 404


# -- one image: prompt, alt text, regenerate (issue 13, point 4, part) ---------------------------


def generated_image(alice, content, **fields):
    image = Image(
        account=alice.account,
        site=alice.site,
        content=content,
        image_type="in_article",
        status="generated",
        prompt="A moka pot on a stove. Morning light",
        **fields,
    )
    image.file.save("moka.png", ContentFile(PNG), save=True)
    return image


def test_edit_an_images_prompt_and_alt_text(web, data, alice):
    content = data["content"]
    Image.objects.filter(content=content).delete()
    image = generated_image(alice, content)
    page = web.get(f"/writer/content/{content.pk}/edit/").content.decode()
    assert (
        f'<textarea id="image-prompt-{image.pk}" name="prompt" rows="2" form="image-form-{image.pk}">' in page
    )
    response = web.post(
        f"/writer/images/{image.pk}/edit/",
        {"prompt": "A steel moka pot. Steam", "alt_text": "Moka pot steaming"},
    )
    assert (
        response["Location"]
        == f"/writer/content/{content.pk}/edit/?image={image.pk}&note=saved#image-{image.pk}"
    )
    image.refresh_from_db()
    assert (image.prompt, image.alt_text, image.status) == (
        "A steel moka pot. Steam",
        "Moka pot steaming",
        "generated",
    )
    from igny8.publishing.services import image_alt

    assert image_alt(image, content) == "Moka pot steaming"  # what WordPress and exports get
    too_long = web.post(f"/writer/images/{image.pk}/edit/", {"alt_text": "x" * 130})
    assert too_long.status_code == 400
    assert (
        "Alt text is 130 characters; keep it to 125 (screen readers read it whole)."
        in too_long.content.decode()
    )
    empty = web.post(f"/writer/images/{image.pk}/edit/", {"prompt": "  "})
    assert "Describe the image: the prompt cannot be empty." in empty.content.decode()
    assert Image.objects.get(pk=image.pk).alt_text == "Moka pot steaming"


def test_regenerate_one_generated_image_with_an_edited_prompt(web, data, alice):
    from igny8.ai.models import AIRun

    content = data["content"]
    Image.objects.filter(content=content).delete()
    image = generated_image(alice, content)
    response = web.post(
        f"/writer/images/{image.pk}/regenerate/", {"prompt": "A copper moka pot"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert 'role="dialog"' in response.content.decode()
    run = AIRun.objects.get()
    assert (run.function_name, run.payload) == (
        "generate_images",
        {"ids": [image.pk], "content_id": content.pk},
    )
    image.refresh_from_db()
    assert (image.prompt, image.status) == ("A copper moka pot", "pending")


def test_regenerate_refuses_an_image_being_made(web, data, alice):
    content = data["content"]
    Image.objects.filter(content=content).delete()
    image = generated_image(alice, content)
    Image.objects.filter(pk=image.pk).update(status="processing")
    response = web.post(f"/writer/images/{image.pk}/regenerate/", {})
    assert response.status_code == 400
    assert "This image is being made right now; wait for it to finish." in response.content.decode()


# -- bulk content generation as a table (issue 13, point 5, part) --------------------------------


def test_content_generation_modal_has_a_row_per_article(web, data, alice):
    from igny8.ai.models import AIRun
    from tests.web.helpers import execute, latest_run

    second = Task.objects.create(account=alice.account, site=alice.site, title="Moka pot guide")
    response = web.post("/writer/tasks/generate/", {"ids": [second.pk]}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    running = response.content.decode()
    assert f'<tr class="queue-pending" data-task-id="{second.pk}">' in running
    run = execute(latest_run())
    assert run.status == "success"
    done = web.get(f"/runs/{run.task_id}/progress/", HTTP_HX_REQUEST="true").content.decode()
    content = Content.objects.get(task=second)
    row = done.split(f'data-task-id="{second.pk}">')[1].split("</tr>")[0]
    assert f'<a href="/writer/content/{content.pk}/">Moka pot guide</a>' in row
    assert '<span class="status status-completed">Completed</span>' in row
    assert f"<td>{content.word_count:,}</td>" in row
    assert "/100</td>" in row
    assert "Regenerate" in row and "data-row-again" in row
    assert AIRun.objects.count() == 1
