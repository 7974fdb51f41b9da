"""auto_cluster on 10,000 keywords in the database (SQLite by default): the semantic clustering
plus saving clusters and keyword assignments, phase by phase, then the whole run through the
engine (offline provider: names are the representative keywords).

    IGNY8_HOME=$(mktemp -d) .venv/bin/python bench/cluster_save.py [size]

Target: 10k clustered and saved well under 30 s on the 2-core machine."""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _setup import django_with_fresh_database

django_with_fresh_database()

from igny8.accounts import services  # noqa: E402
from igny8.ai import engine  # noqa: E402
from igny8.ai import services as ai_services  # noqa: E402
from igny8.core.text import normalize_keyword  # noqa: E402
from igny8.planner import cluster_methods, cluster_service  # noqa: E402
from igny8.planner.clustering import DEFAULT_THRESHOLD, embeddings  # noqa: E402
from igny8.planner.models import Cluster, Keyword  # noqa: E402

try:  # the clustering bench's realistic niche keyword list, when it is there
    from cluster_scale import keyword_set
except ImportError:  # pragma: no cover

    def keyword_set(size: int) -> list[str]:
        return [f"keyword {n} coffee {n % 97}" for n in range(size)]


def site_with_keywords(account, name: str, texts: list[str]):
    site = services.site_create(account=account, name=name, url=f"https://{name}.example")
    Keyword.objects.bulk_create(
        [
            Keyword(
                account=account,
                site=site,
                keyword=text,
                normalized=normalize_keyword(text),
                volume=(n * 37) % 5000,
                difficulty=n % 101,
            )
            for n, text in enumerate(texts)
        ],
        batch_size=2000,
    )
    return site


def main() -> None:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    owner = services.user_create(email="bench@example.com", password="bench-password")
    account = services.account_create(name="Bench", owner=owner)
    plan = account.plan
    plan.max_clusters = plan.daily_cluster_limit = 1_000_000
    plan.max_sites = 10
    plan.save()
    texts = keyword_set(size)
    embeddings.load_model()  # loaded once per worker process; not part of a run's time

    site = site_with_keywords(account, "phases", texts)
    t = time.perf_counter()
    rows = cluster_methods.rows_of(cluster_methods.keywords_in_scope(account=account, site=site, ids=None))
    t_load = time.perf_counter() - t
    t = time.perf_counter()
    groups, _ = cluster_methods.semantic_groups(
        site=site, rows=rows, threshold=DEFAULT_THRESHOLD, min_cluster_size=2
    )
    t_cluster = time.perf_counter() - t
    t = time.perf_counter()
    report = cluster_service.groups_save(site=site, groups=groups)
    t_save = time.perf_counter() - t
    made, clustered = len(report.created), report.keywords_clustered
    print(f"{size:,} keywords -> {made:,} clusters, {clustered:,} keywords clustered")
    print(f"  load rows      {t_load:6.2f} s")
    print(f"  embed+cluster  {t_cluster:6.2f} s")
    print(f"  save (bulk)    {t_save:6.2f} s")

    site2 = site_with_keywords(account, "engine", texts)
    t = time.perf_counter()
    run = ai_services.run_create(account=account, function_name="auto_cluster", payload={"site_id": site2.pk})
    engine.execute(run)
    t_run = time.perf_counter() - t
    run.refresh_from_db()
    made = Cluster.objects.filter(site=site2).count()
    items = [
        {k: v for k, v in item.items() if k not in ("created", "extended")} for item in run.result["items"]
    ]
    print(f"  whole run through the engine: {t_run:.2f} s ({run.status}, {made:,} clusters) {items}")


if __name__ == "__main__":
    main()
