"""The import report, bulk actions, starting AI runs from pages, the progress and image queue
partials, content editing and settings saves with inline errors."""

from django.core.files.uploadedfile import SimpleUploadedFile

from igny8.ai.models import AIRun
from igny8.planner.models import Cluster, ContentIdea, Keyword
from igny8.system.models import AIPrompt, IntegrationSettings
from igny8.writer.models import Content, Image, Task
from tests.web.helpers import execute, latest_run
from tests.web.provider_checks import answer

HX = {"HTTP_HX_REQUEST": "true"}


def csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("k.csv", text.encode(), content_type="text/csv")


def test_import_shows_the_report(web, data):
    body = "keyword,volume\nespresso machine,10\nmoka pot,200\n,5\nmoka pot,1\n"
    response = web.post("/planner/keywords/import/", {"file": csv(body)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<strong>1</strong> created, <strong>2</strong> duplicate(s), <strong>1</strong> skipped" in page
    assert "Line 2: “espresso machine”" in page
    assert "Line 5: “moka pot”" in page
    assert Keyword.objects.filter(site=data["cluster"].site, keyword="moka pot").count() == 1


def test_import_error_is_shown_on_the_field(web, data):
    response = web.post("/planner/keywords/import/", {})
    assert response.status_code == 400
    assert b'id="id_file_error" role="alert">This field is required.' in response.content


def test_filters_sort_and_search(web, data):
    page = web.get("/planner/keywords/?intent=commercial").content.decode()
    assert "1 keyword(s) match." in page and "gooseneck kettle" in page and "burr grinder" not in page
    page = web.get("/planner/keywords/?volume_min=100&difficulty_max=30").content.decode()
    assert "1 keyword(s) match." in page and "burr grinder" in page
    page = web.get(f"/planner/keywords/?cluster_id={data['cluster'].pk}&sort=volume").content.decode()
    assert "2 keyword(s) match." in page
    assert page.index("burr grinder") < page.index("espresso machine")
    page = web.get("/planner/keywords/?q=kettle", **HX, HTTP_HX_TARGET="keyword-table").content.decode()
    assert "<html" not in page and "1 keyword(s) match." in page


def test_bulk_status_and_delete_by_ids(web, data):
    espresso, grinder, kettle = data["keywords"]
    response = web.post("/planner/keywords/bulk/status/", {"ids": [kettle.pk], "status": "archived"}, **HX)
    assert b"Set 1 keyword(s) to archived." in response.content
    assert Keyword.objects.get(pk=kettle.pk).status == "archived"
    response = web.post("/planner/keywords/bulk/delete/", {"ids": [kettle.pk, grinder.pk]}, **HX)
    assert b"Deleted 2 keyword(s)." in response.content
    assert list(Keyword.objects.values_list("pk", flat=True)) == [espresso.pk]


def test_bulk_select_all_matching_the_filter(web, data):
    response = web.post(
        "/planner/keywords/bulk/status/",
        {"select_all": "1", "query": "status=clustered", "status": "used"},
        **HX,
    )
    assert b"Set 2 keyword(s) to used." in response.content
    assert sorted(Keyword.objects.values_list("status", flat=True)) == ["new", "used", "used"]


def test_bulk_refuses_other_accounts_ids(web, data, charlie):
    from igny8.planner.services import keyword_create

    theirs = keyword_create(account=charlie.account, site=charlie.site, keyword="not yours")
    response = web.post("/planner/keywords/bulk/delete/", {"ids": [theirs.pk]}, **HX)
    assert response.status_code == 400
    assert f"No such record(s) here: {theirs.pk}.".encode() in response.content
    assert Keyword.objects.filter(pk=theirs.pk).exists()


def test_auto_cluster_opens_the_modal_and_runs(web, data, alice):
    from igny8.planner.services import keyword_create

    # auto_cluster takes unclustered keywords, at least 5, and groups only close ones.
    names = ["best espresso machine", "cheap espresso machine", "espresso machine reviews"]
    names += ["espresso machine for home", "espresso machine under 200"]
    ids = [keyword_create(account=alice.account, site=alice.site, keyword=k).pk for k in names]
    response = web.post("/planner/keywords/bulk/cluster/", {"ids": ids}, **HX)
    page = response.content.decode()
    run = latest_run()
    assert run.function_name == "auto_cluster"
    assert run.payload["ids"] == sorted(ids)
    assert 'role="dialog" aria-modal="true"' in page
    assert f'hx-get="/runs/{run.task_id}/progress/" hx-trigger="every 1s"' in page
    assert '<li class="current" aria-current="step">Starting</li>' in page
    execute(run)
    partial = web.get(f"/runs/{run.task_id}/progress/", **HX).content.decode()
    assert run.status == "success", run.error
    assert "data-finished" in partial and "every 1s" not in partial
    assert '<li class="done">Done</li>' in partial
    assert "<strong>100%</strong>" in partial
    assert "Added 5 keywords to 1 existing cluster.</p>" in partial  # the data's Espresso cluster


def test_run_start_refusal_is_shown_in_the_modal(web, data):
    response = web.post("/planner/keywords/bulk/cluster/", {}, **HX)
    assert b'role="alert">Select at least one row.' in response.content
    assert AIRun.objects.count() == 0


def test_non_htmx_start_redirects_to_the_run_page(web, data):
    response = web.post("/planner/clusters/ideas/", {"ids": [data["cluster"].pk]})
    run = latest_run()
    assert run.function_name == "auto_generate_ideas"
    assert response["Location"] == f"/runs/{run.task_id}/"
    assert web.get(response["Location"]).status_code == 200


def test_runs_of_other_accounts_are_404(web, other, data):
    web.post("/planner/clusters/ideas/", {"ids": [data["cluster"].pk]})
    run = latest_run()
    for suffix in ("", "modal/", "progress/"):
        assert other.get(f"/runs/{run.task_id}/{suffix}").status_code == 404
    assert web.get(f"/runs/{run.task_id}/modal/", **HX).status_code == 200


def test_pipeline_from_ideas_to_images(web, data):
    ContentIdea.objects.all().delete()
    web.post("/planner/clusters/ideas/", {"ids": [data["cluster"].pk]}, **HX)
    assert execute(latest_run()).status == "success"
    ideas = list(ContentIdea.objects.filter(status="new"))
    assert ideas
    ids = [i.pk for i in ideas]
    # The offline provider's ideas of one cluster compete with each other: the queue asks first.
    assert "Queue to writer: confirm" in web.post("/planner/ideas/queue/", {"ids": ids}).content.decode()
    page = web.post("/planner/ideas/queue/", {"ids": ids, "confirm": "1"}).content.decode()
    assert f"Queued {len(ideas)} idea(s) as writer tasks." in page
    new_task = Task.objects.exclude(pk=data["task"].pk).first()
    web.post("/writer/tasks/generate/", {"ids": [new_task.pk]}, **HX)
    assert execute(latest_run()).status == "success"
    content = Content.objects.get(task=new_task)
    web.post("/writer/content/prompts/", {"ids": [content.pk]}, **HX)
    assert execute(latest_run()).status == "success"
    assert Image.objects.filter(content=content).exclude(prompt="").exists()


def test_image_queue_modal_lists_every_image_before_any_call(web, data):
    response = web.post("/writer/images/generate/", {"content_ids": [data["content"].pk]}, **HX)
    page = response.content.decode()
    run = latest_run()
    featured, inline = data["images"]
    assert run.payload == {"ids": [featured.pk, inline.pk]}
    assert run.status == "pending"
    assert page.count('class="queue-pending"') == 2
    assert "<td>1</td>\n      <td>Featured Image</td>" in page
    assert "<td>2</td>\n      <td>In-Article Image 1</td>" in page
    assert "data-running" in page and "disabled" in page
    execute(run)
    partial = web.get(f"/runs/{run.task_id}/progress/", **HX).content.decode()
    assert partial.count('class="queue-completed"') == 2
    assert partial.count('<img src="/media/') == 2
    assert "2 of 2 image(s) generated." in partial
    assert "data-finished" in partial


def test_image_queue_shows_failures(web, data):
    web.post("/writer/images/generate/", {"content_ids": [data["content"].pk]}, **HX)
    run = latest_run()
    featured, _inline = data["images"]
    run.status = "running"
    run.result = {"meta": {"results": [{"image_id": featured.pk, "status": "failed", "error": "Refused."}]}}
    run.save()
    partial = web.get(f"/runs/{run.task_id}/progress/", **HX).content.decode()
    assert 'class="queue-failed"' in partial and '<span class="error">Refused.</span>' in partial
    assert 'class="queue-processing"' in partial
    assert "data-running" in partial


def test_content_editor_saves_and_shows_inline_errors(web, data):
    url = f"/writer/content/{data['content'].pk}/"
    page = web.get(url).content.decode()
    assert "<p>Hello <b>coffee</b></p>" in page
    assert 'data-count-for="id_meta_title" aria-live="polite">8 / 60' in page
    too_long = web.post(url, {"meta_title": "x" * 61, "meta_description": "", "status": "review"})
    assert too_long.status_code == 400
    assert b"Ensure this value has at most 60 characters (it has 61)." in too_long.content
    assert (
        web.post(url, {"meta_title": "New", "meta_description": "D", "status": "approved"}).status_code == 302
    )
    content = Content.objects.get(pk=data["content"].pk)
    assert (content.meta_title, content.status) == ("New", "approved")


def test_integration_save_and_inline_error(web, alice):
    response = web.post("/settings/integrations/image_generation/", {"max_in_article_images": "11"})
    assert response.status_code == 400
    assert (
        b'id="img-max-error" role="alert">Ensure this value is less than or equal to 10.' in response.content
    )
    response = web.post("/settings/integrations/openai/", {"apiKey": "sk-test-123456", "model": "gpt-4o"})
    assert response.status_code == 302
    row = IntegrationSettings.objects.get(account=alice.account, integration_type="openai")
    assert row.secrets["apiKey"] == "sk-test-123456"
    page = web.get("/settings/").content.decode()
    assert "sk-test-123456" not in page


def test_integration_test_without_key_says_what_to_do(web, alice):
    response = answer(web, web.post("/settings/integrations/runware/test/", **HX))
    assert (
        b'<p class="error" role="alert"><svg class="icon icon-failed" aria-hidden="true"' in response.content
    )
    assert b"</svg>\n No runware API key: save one in Settings &gt; Integrations" in response.content


def test_prompt_placeholder_problems_are_inline(web, alice):
    url = "/settings/prompts/clustering/"
    response = web.post(url, {"value": "Group {keywords} by {colour}"})
    assert response.status_code == 400
    assert b"Unknown placeholder {colour}" in response.content
    assert b"Missing placeholder {sector}." in response.content
    assert web.post(url, {"value": "{sector}: {keywords}"}).status_code == 302
    assert AIPrompt.objects.get(account=alice.account).value == "{sector}: {keywords}"
    assert web.post(url + "reset/").status_code == 302
    assert not AIPrompt.objects.filter(account=alice.account).exists()


def test_wordpress_fields_save_through_the_site_serializer(web, alice):
    response = web.post("/settings/wordpress/", {"wp_url": "not a url", "wp_username": "me"})
    assert response.status_code == 400
    assert b"Enter a valid URL." in response.content
    web.post("/settings/wordpress/", {"wp_url": "https://wp.example", "wp_app_password": "abcd efgh"})
    alice.site.refresh_from_db()
    assert (alice.site.wp_url, alice.site.wp_secrets["app_password"]) == ("https://wp.example", "abcd efgh")


def test_cluster_detail_lists_its_keywords(web, data):
    page = web.get(f"/planner/clusters/{data['cluster'].pk}/").content.decode()
    assert "espresso machine" in page and "burr grinder" in page and "gooseneck kettle" not in page
    assert Cluster.objects.count() == 1


def test_published_article_keeps_its_status_when_its_meta_is_edited(web, data):
    content = data["content"]
    Content.objects.filter(pk=content.pk).update(status="published")
    url = f"/writer/content/{content.pk}/"
    response = web.post(url, {"meta_title": "Edited", "meta_description": "D", "status": "published"})
    assert response.status_code == 302
    content.refresh_from_db()
    assert (content.meta_title, content.status) == ("Edited", "published")
    draft = Content.objects.create(
        account=content.account, site=content.site, title="Draft", html="<p>x</p>", meta_title="M"
    )
    refused = web.post(f"/writer/content/{draft.pk}/", {"meta_title": "M", "status": "published"})
    assert refused.status_code == 400
    assert b"Select a valid choice. published is not one of the available choices." in refused.content
    assert Content.objects.get(pk=draft.pk).status == "draft"


def test_settings_suggest_the_priced_models(web, alice):
    from igny8.ai.models import ModelRate

    ModelRate.objects.create(model="my-local-llama", kind="text", input_per_1m=0, output_per_1m=0)
    page = web.get("/settings/").content.decode()
    assert (
        'list="openai-models"' in page and 'list="image-models"' in page and 'list="runware-models"' in page
    )
    # Current models only: the shut-down ones (gpt-3.5-turbo, dall-e-3, ...) are not suggested.
    assert '<datalist id="openai-models"><option value="gpt-4.1">' in page
    assert 'value="gpt-3.5-turbo"' not in page and 'value="dall-e-3"' not in page
    assert '<option value="my-local-llama">' in page
    runware = (
        '<datalist id="runware-models"><option value="civitai:4384@128713"><option value="runware:100@1">'
    )
    assert runware in page
    assert 'value="offline">' not in page


def test_settings_has_one_card_per_registered_provider(web, monkeypatch):
    """The cards come from the provider registry: a new keyed provider gets its card, Test button and
    model suggestions without a template edit."""
    import dataclasses

    from bs4 import BeautifulSoup

    from igny8.ai.providers import registry

    toy = dataclasses.replace(registry.PROVIDERS["runware"], name="toyimg", display_name="Toy Images")
    monkeypatch.setitem(registry.PROVIDERS, "toyimg", toy)
    soup = BeautifulSoup(web.get("/settings/").content.decode(), "html.parser")
    cards = [
        (s["id"], s.h2.get_text(strip=True))
        for s in soup.select("section.card")
        if s.select_one("#" + s["id"] + "-key")
    ]
    assert cards == [("openai", "OpenAI"), ("runware", "Runware"), ("toyimg", "Toy Images")]
    assert soup.select_one("#toyimg button[hx-post]")["hx-post"] == "/settings/integrations/toyimg/test/"
    assert soup.select_one("#openai-base") is not None and soup.select_one("#runware-base") is None
