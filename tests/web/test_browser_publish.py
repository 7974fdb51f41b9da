"""Publishing in a real browser: alice's site connected to the fake WordPress, a content seeded
through the ORM, published from its page with status "publish" (queued, then sent by the worker
thread while the panel polls); the panel shows Published with the WordPress link, the fake
WordPress holds the post, and the Publishing page lists the record. Then a second article is queued
with "Publish selected" on the content list: closing that modal reloads the list behind it."""

from igny8.publishing.models import PublishRecord
from igny8.writer.models import Content
from tests.web.browser import BROWSER_MARKS, shot, sign_in

pytestmark = BROWSER_MARKS


def article(alice, site, *, title: str, slug: str) -> Content:
    return Content.objects.create(
        account=alice.account,
        site=site,
        sector=alice.sector,
        title=title,
        slug=slug,
        html="<h2>Grind</h2><p>Grind fine and tamp evenly.</p><h2>Brew</h2><p>Aim for 25 seconds.</p>",
        meta_title=title,
        meta_description="Grind, tamp and time your shot.",
    )


def test_publish_to_the_fake_wordpress(
    transactional_db, live_server, settings, alice, wp, wp_site, browser_page, publish_executor
):
    settings.WORDPRESS_RETRY_BASE_SECONDS = settings.WORDPRESS_RETRY_MAX_SECONDS = 0
    settings.WORDPRESS_TIMEOUT_SECONDS = 5
    content = article(alice, wp_site, title="Pulling a better espresso shot", slug="better-espresso-shot")
    page, url = browser_page, live_server.url
    sign_in(page, url)
    page.goto(f"{url}/writer/content/{content.pk}/")
    panel = page.locator("#publish-body")
    assert "Not sent to WordPress yet." in panel.inner_text()
    page.get_by_label("WordPress status").select_option("publish")
    page.get_by_role("button", name="Publish", exact=True).click()
    panel.get_by_text("Sent to WordPress as publish.").wait_for()
    assert panel.locator("[data-publish-state]").inner_text() == "Published"
    assert page.locator("#content-status").inner_text() == "Published"  # the heading's badge too
    link = panel.get_by_role("link", name="Post")
    assert link.get_attribute("href") == f"{wp.url}/better-espresso-shot/"
    shot(page, "publish-content")

    [post] = wp.posts.values()
    assert (post["title"]["raw"], post["status"]) == ("Pulling a better espresso shot", "publish")
    record = PublishRecord.objects.get(content=content)
    assert (record.status, record.external_id) == ("published", str(post["id"]))

    page.get_by_role("link", name="Publishing", exact=True).click()
    page.get_by_role("heading", name="Publishing", exact=True).wait_for()
    row = page.locator(f"#record-{record.pk}")
    assert "Pulling a better espresso shot" in row.inner_text()
    assert "Published" in row.inner_text()
    shot(page, "publishing")

    # Bulk: queued for the worker (stopped here, so it stays queued); the modal may be closed, and
    # closing it reloads the list so the rows show their new state.
    publish_executor.halt()
    second = article(alice, wp_site, title="Milk steaming basics", slug="milk-steaming")
    page.goto(f"{url}/writer/content/")
    page.get_by_label("Select Milk steaming basics").check()
    page.get_by_role("button", name="Publish selected").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_text("Milk steaming basics").wait_for()
    assert PublishRecord.objects.get(content=second).status == "queued"
    shot(page, "modal-bulk-publish")
    with page.expect_navigation():
        dialog.get_by_role("button", name="Close").click()
    assert page.get_by_role("dialog").count() == 0
    assert page.js_errors == []
