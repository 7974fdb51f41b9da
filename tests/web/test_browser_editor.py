"""The editor's desk in a real browser (issue 13): edit an article's body in the Quill editor and
watch the score and term counts follow the typing, save it (a revision is kept), regenerate its
one image with an edited prompt, accept an AI optimisation from its diff, export the article
list's selection as a zip and check its files, and publish as a draft (the default) to the fake
WordPress. Screenshots: editor.png, editor-export.png."""

import io
import zipfile

import pytest
from django.core.files.base import ContentFile

from igny8.publishing.models import ContentRevision, PublishRecord
from igny8.writer.models import Content, Image, Task
from tests.publishing.fake_wp import PNG
from tests.web.browser import BROWSER_MARKS, run_in_modal, shot, sign_in

pytestmark = BROWSER_MARKS
expect = pytest.importorskip("playwright.sync_api", reason="needs playwright (dev extra)").expect


def test_edit_score_export_and_publish_as_draft(
    transactional_db, live_server, settings, alice, wp, wp_site, browser_page, executor, publish_executor
):
    settings.WORDPRESS_RETRY_BASE_SECONDS = settings.WORDPRESS_RETRY_MAX_SECONDS = 0
    settings.WORDPRESS_TIMEOUT_SECONDS = 5
    task = Task.objects.create(
        account=alice.account, site=wp_site, title="Tamping", keywords=["espresso tamper", "tamping pressure"]
    )
    content = Content.objects.create(
        account=alice.account,
        site=wp_site,
        sector=alice.sector,
        task=task,
        title="How to tamp espresso",
        slug="tamp-espresso",
        html="<h2>Basics</h2><p>Start with a level bed of coffee.</p>",
        meta_title="How to tamp espresso",
        meta_description="Tamp evenly.",
    )
    image = Image(
        account=alice.account,
        site=wp_site,
        content=content,
        image_type="in_article",
        status="generated",
        prompt="A tamper on a bed of coffee",
    )
    image.file.save("tamper.png", ContentFile(PNG), save=True)
    old_file = image.file.name
    page, url = browser_page, live_server.url
    sign_in(page, url)
    page.goto(f"{url}/writer/content/{content.pk}/")
    page.locator("[data-edit-article]").click()
    page.get_by_role("heading", name="Edit article").wait_for()
    editor = page.locator("#editor-mount .ql-editor")
    editor.wait_for()
    assert "Start with a level bed of coffee." in editor.inner_text()
    primary = page.locator("tr[data-term='espresso tamper'] [data-term-count]")
    assert primary.inner_text() == "0 / 2"
    score_before = int(page.locator("[data-score-total]").inner_text())

    # Type at the end of the body: the counts and the score follow (debounced JSON).
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type("A good espresso tamper sets the tamping pressure. Hold the espresso tamper level.")
    expect(primary).to_have_text("2 / 2")  # polls: page.wait_for_function would need eval (CSP)
    expect(page.locator("tr[data-term='tamping pressure'] [data-term-count]")).to_have_text("1 / 1")
    expect(page.locator("[data-score-total]")).not_to_have_text(str(score_before))
    assert int(page.locator("[data-score-total]").inner_text()) > score_before
    # A meta title over its limit says so as you type (and is not cut).
    meta = page.get_by_label("Meta title")
    meta.fill("How to tamp espresso at home: pressure, level, and the tools that make it easy")
    hint = page.locator("[data-length-for='id_meta_title']")
    assert hint.inner_text().endswith("too many, shorten it to save")
    meta.fill("How to tamp espresso evenly at home")
    shot(page, "editor")

    page.get_by_role("button", name="Save", exact=True).click()
    page.locator("[data-saved]").wait_for()
    content.refresh_from_db()
    typed = "<p>A good espresso tamper sets the tamping pressure. Hold the espresso tamper level.</p>"
    assert typed in content.html
    assert content.meta_title == "How to tamp espresso evenly at home"
    [revision] = ContentRevision.objects.filter(content=content)
    assert (revision.reason, revision.html) == (
        "edit",
        "<h2>Basics</h2><p>Start with a level bed of coffee.</p>",
    )

    # Regenerate the one image with an edited prompt: the progress modal, then a new file.
    page.get_by_label("Prompt", exact=True).fill("A steel tamper pressing coffee, top view")
    page.locator(f"[data-regenerate-image='{image.pk}']").click()
    dialog = page.get_by_role("dialog")
    dialog.locator("[data-finished]").wait_for(timeout=60_000)
    image.refresh_from_db()
    assert (image.status, image.prompt) == ("generated", "A steel tamper pressing coffee, top view")
    assert image.file.name != old_file

    # Export the article from the content list as a zip.
    page.goto(f"{url}/writer/content/")
    page.get_by_label("Select How to tamp espresso").check()
    with page.expect_download() as download:
        page.locator("[data-export-selected]").click()
    data = download.value.path().read_bytes()
    archive = zipfile.ZipFile(io.BytesIO(data))
    name = image.file.name.rsplit("/", 1)[-1]
    assert sorted(archive.namelist()) == [
        f"tamp-espresso/images/{name}",
        "tamp-espresso/index.html",
        "tamp-espresso/index.md",
    ]
    markdown = archive.read("tamp-espresso/index.md").decode()
    assert markdown.startswith("---\ntitle: How to tamp espresso\nslug: tamp-espresso\n")
    assert "A good espresso tamper sets the tamping pressure." in markdown
    shot(page, "editor-export")

    # Optimize with AI: a proposal with its diff, accepted (offline: deterministic fixes only).
    page.goto(f"{url}/writer/content/{content.pk}/")
    run_in_modal(page, "Optimize with AI", "editor-optimize-modal")
    page.locator("[data-proposal-link] a").click()
    page.get_by_role("heading", name="Optimisation proposal").wait_for()
    assert "only deterministic fixes are possible" in page.locator("[data-offline-note]").inner_text()
    changed = page.locator("input[name=fields]").count()
    assert changed >= 1
    shot(page, "editor-proposal")
    page.locator("[data-accept-proposal]").click()
    page.get_by_text("Applied the optimisation; the version before is revision").wait_for()
    assert ContentRevision.objects.filter(content=content, reason="optimize").count() == 1

    # Publish: the panel starts on Draft, and a draft it is. The request queues it; the panel
    # polls until the worker (publish_executor) has sent it.
    page.goto(f"{url}/writer/content/{content.pk}/")
    status = page.get_by_label("WordPress status")
    assert status.input_value() == "draft"
    page.get_by_role("button", name="Publish", exact=True).click()
    page.locator("#publish-body").get_by_text("Sent to WordPress as draft.").wait_for()
    expect(page.locator("#publish-state")).not_to_have_attribute("hx-trigger", "every 1s")  # polling ended
    [post] = wp.posts.values()
    assert (post["status"], post["slug"]) == ("draft", "tamp-espresso")
    assert PublishRecord.objects.get(content=content).remote_status == "draft"

    # Any button that waits for the server is disabled with a spinner until it answers (app.js):
    # the OpenAI key's Test, with its request held here.
    page.goto(f"{url}/settings/")
    held = []
    page.route("**/settings/integrations/openai/test/", lambda route: held.append(route))
    test_button = page.locator("#openai-test").locator("xpath=preceding::button[1]")
    test_button.click()
    expect(test_button).to_be_disabled()
    expect(test_button).to_have_attribute("aria-busy", "true")
    held[0].continue_()
    page.unroute("**/settings/integrations/openai/test/")
    expect(test_button).to_be_enabled()
    assert page.js_errors == []
