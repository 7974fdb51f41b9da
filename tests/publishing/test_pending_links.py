"""Internal links before publishing (issue 13, point 6, part): a link to an article not published
yet is kept as a placeholder, left out of what WordPress gets, and goes live when both are."""

from igny8.publishing import linker, services, tasks
from igny8.publishing.models import PublishRecord
from tests.publishing.conftest import make_article


def test_link_to_an_unpublished_article_waits_and_goes_live_when_both_are(
    alice, site, wp, cluster, monkeypatch, django_capture_on_commit_callbacks
):
    target = make_article(
        alice, title="Milk guide", html="<p>Steam it.</p>", cluster=cluster, primary="milk frothing"
    )
    source = make_article(
        alice, title="Espresso", html="<p>Espresso and milk frothing at home.</p>", cluster=cluster
    )
    [suggestion] = linker.links_suggest(content=source, max_links=3)
    assert (suggestion.target_id, suggestion.url, suggestion.published) == (
        target.pk,
        f"/__igny8/content/{target.pk}/",
        False,
    )

    record = services.content_publish(content=source, wp_status="publish")
    source.refresh_from_db()
    assert source.html == (
        f'<p>Espresso and <a href="/__igny8/content/{target.pk}/" rel="noopener">milk frothing</a>'
        " at home.</p>"
    )
    # The body, then our Article JSON-LD block (issue 14), which is not the article's text.
    sent = wp.posts[int(record.external_id)]["content"]["raw"].split("\n<script", 1)[0]
    assert sent == "<p>Espresso and milk frothing at home.</p>"  # no dead link in WordPress
    assert record.log[-1]["warnings"] == [
        f"The link on “milk frothing” waits for article {target.pk} to be published."
    ]

    monkeypatch.setattr(tasks.publish_records, "delay", lambda ids: tasks.publish_records(ids))
    with django_capture_on_commit_callbacks(execute=True):
        published = services.content_publish(content=target, wp_status="publish", link=False)
    target.refresh_from_db()
    resent = wp.posts[int(record.external_id)]["content"]["raw"].split("\n<script", 1)[0]
    assert (
        resent
        == f'<p>Espresso and <a href="{target.external_url}" rel="noopener">milk frothing</a> at home.</p>'
    )
    assert PublishRecord.objects.get(pk=record.pk).attempts == 2
    assert published.remote_status == "publish"


def test_links_resolve_points_published_targets_at_their_url(alice, site, cluster):
    target = make_article(
        alice, title="T", html="<p>x</p>", cluster=cluster, external_url="https://example.com/t/"
    )
    html, warnings = linker.links_resolve(
        html=(
            f'<p><a href="/__igny8/content/{target.pk}/">t</a> and '
            '<a href="/__igny8/content/999999/">u</a></p>'
        ),
        site=site,
    )
    assert html == '<p><a href="https://example.com/t/">t</a> and u</p>'
    assert warnings == ["The link on “u” waits for article 999999 to be published."]


def test_exports_and_the_editor_score_leave_out_links_that_wait(alice, site, cluster):
    from igny8.publishing import editor, export

    target = make_article(
        alice, title="Milk guide", html="<p>x</p>", cluster=cluster, primary="milk frothing"
    )
    source = make_article(alice, title="Espresso", html="<p>Espresso and milk frothing.</p>", cluster=cluster)
    linker.links_apply(content=source, max_links=3)
    source.refresh_from_db()
    assert f"/__igny8/content/{target.pk}/" in source.html
    exported = export.article_export(content=source)
    assert "<p>Espresso and milk frothing.</p>" in exported.html
    assert "__igny8" not in exported.markdown
    panel = editor.editor_panel(content=source)
    assert panel["published_adds"]["internal_links"] == 0
    [links] = [c for c in panel["score"]["checks"] if c["key"] == "internal_links"]
    assert links["detail"] == "0 internal link(s); 2 or more is best."
