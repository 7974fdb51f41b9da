"""The editor's side panel (publishing.editor.editor_panel) and the link suggester against a site
with many articles and sitemap pages: queries and milliseconds per call. The panel is asked for
on every pause in typing, so neither may grow with the site.

    IGNY8_HOME=$(mktemp -d) .venv/bin/python bench/editor_panel.py
"""

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("IGNY8_HOME", tempfile.mkdtemp(prefix="igny8-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "igny8.config.settings")
os.environ["OPENAI_API_KEY"] = ""
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import django
from django.core.management import call_command

django.setup()
call_command("migrate", verbosity=0)

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from igny8.accounts import services as accounts  # noqa: E402
from igny8.planner.models import Cluster, Keyword  # noqa: E402
from igny8.publishing import editor, linker  # noqa: E402
from igny8.publishing.models import SitemapPage  # noqa: E402
from igny8.writer.models import Content, Task  # noqa: E402

REPEAT = 5
BODY = "<h2>Grinding</h2><p>" + "A burr grinder and fresh beans make good crema at home. " * 60 + "</p>"


def measure(fn) -> tuple[int, float]:
    fn()  # warm
    with CaptureQueriesContext(connection) as captured:
        fn()
    started = time.perf_counter()
    for _ in range(REPEAT):
        fn()
    return len(captured), (time.perf_counter() - started) * 1000 / REPEAT


def main() -> None:
    user = accounts.user_create(email="bench@example.com", password="correct-horse-battery")
    account = accounts.account_create(name="Bench", owner=user)
    site = accounts.site_create(account=account, name="Bench", url="https://example.com")
    cluster = Cluster.objects.create(account=account, site=site, name="Espresso grinders")
    Keyword.objects.create(account=account, site=site, cluster=cluster, keyword="burr grinder", volume=90)
    source = None
    made = 0
    print(f"{'articles':>8} {'pages':>6} {'suggest q':>9} {'suggest ms':>10} {'panel q':>7} {'panel ms':>8}")
    for articles, pages in ((10, 10), (100, 200), (500, 1000)):
        while made < articles:
            task = Task.objects.create(account=account, site=site, cluster=cluster, title=f"T{made}")
            content = Content.objects.create(
                account=account,
                site=site,
                task=task,
                title=f"Article {made}",
                html=BODY if made == 0 else "<p>x</p>",
            )
            source = source or content
            made += 1
        SitemapPage.objects.filter(site=site).delete()
        SitemapPage.objects.bulk_create(
            SitemapPage(account=account, site=site, url=f"https://example.com/p{n}/", title=f"Page {n}")
            for n in range(pages)
        )
        sq, sms = measure(lambda c=source: linker.links_suggest(content=c, max_links=5))
        pq, pms = measure(lambda c=source: editor.editor_panel(content=c))
        print(f"{articles:>8} {pages:>6} {sq:>9} {sms:>10.1f} {pq:>7} {pms:>8.1f}")
    print(f"load average: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
