"""The linker reads a bounded number of queries however many articles the site has (issue 13,
point 5): the editor's score runs it on every keystroke pause."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from igny8.planner.models import Keyword
from igny8.publishing import editor, linker
from igny8.writer.models import Content, Task


def _plain_article(tenant, cluster, n: int) -> Content:
    # No idea and no task keywords: the linker falls back to the cluster's keywords.
    task = Task.objects.create(account=tenant.account, site=tenant.site, cluster=cluster, title=f"T{n}")
    return Content.objects.create(
        account=tenant.account, site=tenant.site, task=task, title=f"Article {n}", html="<p>x</p>"
    )


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured)


def test_suggestions_and_the_editor_panel_use_the_same_queries_for_2_or_12_articles(alice, cluster):
    Keyword.objects.create(
        account=alice.account, site=alice.site, cluster=cluster, keyword="crema", volume=50
    )
    source = _plain_article(alice, cluster, 0)
    source.html = "<p>Good crema needs fresh beans.</p>"
    source.save()
    _plain_article(alice, cluster, 1)
    _plain_article(alice, cluster, 2)

    def suggest():
        return linker.links_suggest(content=source, max_links=3)

    def panel():
        return editor.editor_panel(content=source)

    few = (_queries(suggest), _queries(panel))
    for n in range(3, 13):
        _plain_article(alice, cluster, n)
    many = (_queries(suggest), _queries(panel))
    assert many == few
    [link] = suggest()
    assert link.anchor == "crema"
