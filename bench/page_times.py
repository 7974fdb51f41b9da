"""Server time and query count of every web page with 10,000 keywords in the site (and 20 rules,
400 executions, 300 publish records).

Standalone: a fresh database under a throw-away IGNY8_HOME. Prints ms (median of 5) and queries per
page, then the same with 1,000 keywords: the query counts must not grow with the data."""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from _setup import django_with_fresh_database

django_with_fresh_database()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from igny8.accounts import services  # noqa: E402
from igny8.automation import services as automation_services  # noqa: E402
from igny8.automation.models import ScheduledTask  # noqa: E402
from igny8.planner.models import Cluster, ContentIdea, Keyword  # noqa: E402
from igny8.publishing.models import PublishRecord  # noqa: E402
from igny8.writer.models import Content, Image, ImageType, Task  # noqa: E402

PAGES = [
    "/",
    "/planner/keywords/",
    "/planner/keywords/?status=new&volume_min=100&sort=-volume&page=3",
    "/planner/keywords/?q=term+12",
    "/planner/clusters/",
    "/planner/clusters/{cluster}/",
    "/planner/ideas/",
    "/writer/tasks/",
    "/writer/content/",
    "/writer/content/{content}/",
    "/writer/content/{content}/edit/",
    "/writer/images/",
    "/runs/",
    "/settings/",
    "/team/",
    "/billing/",
    "/automation/",
    "/automation/new/",
    "/automation/{rule}/",
    "/automation/{rule}/edit/",
    "/automation/history/",
    "/automation/executions/{execution}/",
    "/publishing/",
    "/publishing/?status=failed",
]
RULES = 20
EXECUTIONS = 400
RECORDS = 300


def build(*, name: str, keywords: int) -> tuple:
    user = services.user_create(email=f"{name}@example.com", password="bench-password-1")
    account = services.account_create(name=name, owner=user)
    site = services.site_create(account=account, name=f"{name} site", url="https://example.com")
    common = {"account": account, "site": site}
    clusters = Cluster.objects.bulk_create(
        [Cluster(name=f"cluster {i}", keywords_count=keywords // 200, **common) for i in range(200)]
    )
    Keyword.objects.bulk_create(
        [
            Keyword(
                keyword=f"term {i}",
                normalized=f"term {i}",
                volume=i % 5000,
                difficulty=i % 100,
                cluster=clusters[i % 200] if i % 2 else None,
                status="clustered" if i % 2 else "new",
                **common,
            )
            for i in range(keywords)
        ],
        batch_size=2000,
    )
    outline = [{"heading": "Intro", "subsections": ["A", "B"]}]
    ContentIdea.objects.bulk_create(
        [
            ContentIdea(title=f"idea {i}", cluster=clusters[i % 200], outline=outline, **common)
            for i in range(500)
        ]
    )
    tasks = Task.objects.bulk_create([Task(title=f"task {i}", **common) for i in range(300)])
    html = "<h2>Intro</h2>" + "<p>coffee words here</p>" * 200
    contents = Content.objects.bulk_create(
        [Content(task=t, title=t.title, html=html, word_count=600, **common) for t in tasks]
    )
    Image.objects.bulk_create(
        [
            Image(content=c, image_type=kind, position=0, prompt="a photo", **common)
            for c in contents
            for kind in (ImageType.FEATURED, ImageType.IN_ARTICLE)
        ]
    )
    rule, execution = automation(account=account, site=site)
    PublishRecord.objects.bulk_create(
        [
            PublishRecord(
                content=c,
                status="failed" if i % 3 else "published",
                error="HTTP 500" if i % 3 else "",
                attempts=1,
                **common,
            )
            for i, c in enumerate(contents[:RECORDS])
        ]
    )
    client = Client()
    client.force_login(user)
    ids = {"cluster": clusters[0].pk, "content": contents[0].pk, "rule": rule, "execution": execution}
    return client, ids


def automation(*, account, site) -> tuple[int, int]:
    """RULES rules of five actions and five conditions, EXECUTIONS ended executions among them."""
    actions = [
        {"type": kind, "params": {}}
        for kind in ("cluster_keywords", "generate_ideas", "generate_content", "generate_images")
    ] + [{"type": "optimize_content", "params": {}}]
    conditions = [{"field": "keyword.volume", "operator": "greater_than", "value": n} for n in range(5)]
    rules = [
        automation_services.rule_create(
            account=account,
            site=site,
            name=f"rule {i}",
            trigger="schedule",
            schedule="0 9 * * 1-5",
            actions=actions,
            conditions=conditions,
        )
        for i in range(RULES)
    ]
    now = timezone.now()
    results = [{"type": a["type"], "status": "success", "error": ""} for a in actions]
    tasks = ScheduledTask.objects.bulk_create(
        [
            ScheduledTask(
                account=account,
                rule=rules[i % RULES],
                site=site,
                scheduled_at=now,
                executed_at=now,
                finished_at=now,
                status="completed",
                percentage=100,
                results=results,
                total_actions=5,
                current_index=5,
                credits_used=120,
            )
            for i in range(EXECUTIONS)
        ]
    )
    return rules[0].pk, tasks[0].pk


def measure(client: Client, url: str) -> tuple[float, int]:
    client.get(url)  # warm caches (templates, the optimizer) once
    times = []
    for _ in range(5):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(times), len(queries)


def main() -> None:
    settings.DEBUG = False
    # No collectstatic in a throw-away home: plain storage, as the tests use.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    big = build(name="big", keywords=10_000)
    small = build(name="small", keywords=1_000)
    print(f"{'page':70} {'ms (10k)':>9} {'queries':>8} {'queries (1k)':>13}")
    worst = 0.0
    for template in PAGES:
        big_ms, big_q = measure(big[0], template.format(**big[1]))
        _, small_q = measure(small[0], template.format(**small[1]))
        worst = max(worst, big_ms)
        flag = "" if big_q == small_q else "  <- grows with data"
        print(f"{template:70} {big_ms:9.1f} {big_q:8d} {small_q:13d}{flag}")
    print(f"slowest page: {worst:.1f} ms (budget 300 ms)")


if __name__ == "__main__":
    main()
