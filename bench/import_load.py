"""/healthz while six 19 MB keyword imports are uploaded and imported (issue 12, point 7).

The web server is the shipped one (`igny8 serve`: gunicorn, WEB_CONCURRENCY processes of WEB_THREADS
threads, 2 and 4 by default) on 127.0.0.1; six clients post the same 19 MB legal CSV at once (one site
each); WORKERS processes play the Celery worker (planner.import_jobs.import_run, what the task calls)
until every import is done, while /healthz is polled every 100 ms throughout. Prints the uploads' answer
times, /healthz p50/p95/max during the uploads and during the imports, and the import throughput. Use
PostgreSQL (DATABASE_URL): the server, the workers and this script share the database."""

import logging
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent))
from _setup import django_with_fresh_database

os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
django_with_fresh_database()

import httpx  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from igny8.accounts import services  # noqa: E402
from igny8.accounts.tokens import token_create  # noqa: E402
from igny8.planner import import_jobs  # noqa: E402
from igny8.planner.models import KeywordImport  # noqa: E402
from tests.system.test_healthz_during_imports import write_csv  # noqa: E402

UPLOADS = 6
WORKERS = int(os.environ.get("WORKERS", 2))
SIZE = 19 * 1024 * 1024


def work() -> None:
    """One worker process: imports queued files until none is left (as the Celery task would)."""
    connection.close()
    while True:
        job = KeywordImport.objects.filter(status="queued").order_by("pk").first()
        if job is None:
            return
        import_jobs.import_run(import_id=job.pk)


def figures(label: str, samples: list[float]) -> str:
    if not samples:
        return f"{label}: no samples"
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return (
        f"{label}: {len(samples)} answers, p50 {statistics.median(samples) * 1000:.0f} ms, "
        f"p95 {p95 * 1000:.0f} ms, max {max(samples) * 1000:.0f} ms"
    )


def main() -> None:
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per /healthz otherwise
    owner = services.user_create(email="bench@example.com", password="bench-password")
    account = services.account_create(name="Bench", owner=owner)
    account.plan.max_keywords = 10_000_000
    account.plan.max_sites = UPLOADS
    account.plan.save()
    sites = [services.site_create(account=account, name=f"site {n}") for n in range(UPLOADS)]
    token = token_create(user=owner)
    source = Path(tempfile.mkdtemp(prefix="igny8-import-load-")) / "keywords.csv"
    rows = write_csv(source, size=SIZE)
    size = source.stat().st_size

    with socket.socket() as probe:  # a free port for the server
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "igny8.cli", "serve", "--port", str(port)],
        env={**os.environ, "IGNY8_VAR_DIR": str(settings.VAR_DIR)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(f"{url}/healthz", timeout=5).status_code in (200, 503):
                break
        except httpx.HTTPError:
            time.sleep(0.1)

    phase = {"name": "uploads"}
    healthz: dict[str, list[float]] = {"uploads": [], "imports": []}
    statuses: set[int] = set()
    stop = threading.Event()

    def poll() -> None:
        with httpx.Client(timeout=60) as client:
            while not stop.is_set():
                start = time.perf_counter()
                statuses.add(client.get(f"{url}/healthz").status_code)
                healthz[phase["name"]].append(time.perf_counter() - start)
                time.sleep(0.1)

    def upload(site) -> tuple[int, float]:
        start = time.perf_counter()
        with source.open("rb") as file:
            response = httpx.post(
                f"{url}/api/v1/planner/keywords/import/",
                files={"file": ("keywords.csv", file, "text/csv")},
                data={"site_id": str(site.pk)},
                headers={"Authorization": f"Bearer {token}"},
                timeout=300,
            )
        return response.status_code, time.perf_counter() - start

    poller = threading.Thread(target=poll)
    poller.start()
    with ThreadPoolExecutor(max_workers=UPLOADS) as pool:
        answers = list(pool.map(upload, sites))
    phase["name"] = "imports"
    print(f"load average {os.getloadavg()[0]:.2f}; file {size / 1e6:.1f} MB, {rows:,} rows", flush=True)
    print(
        f"uploads answered {sorted(s for s, _ in answers)}, max {max(t for _, t in answers):.2f} s",
        flush=True,
    )
    print(figures("/healthz during the 6 uploads", list(healthz["uploads"])), flush=True)
    start = time.perf_counter()
    connection.close()  # each worker process opens its own
    workers = [multiprocessing.get_context("fork").Process(target=work) for _ in range(WORKERS)]
    for worker in workers:
        worker.start()
    while any(worker.is_alive() for worker in workers):
        time.sleep(30)
        progress = list(KeywordImport.objects.order_by("pk").values_list("status", "rows_read"))
        print(f"{time.perf_counter() - start:5.0f} s: {progress}", flush=True)
        print(figures("  /healthz so far during the imports", list(healthz["imports"])), flush=True)
        connection.close()
    importing = time.perf_counter() - start
    stop.set()
    poller.join()
    server.terminate()
    server.wait(timeout=30)

    done = list(KeywordImport.objects.values_list("status", "result__created"))
    print(
        f"database: {connection.vendor}; load average {os.getloadavg()[0]:.2f}; {WORKERS} worker process(es)"
    )
    print(figures("/healthz during the 6 imports", healthz["imports"]))
    print(f"/healthz statuses seen: {sorted(statuses)}")
    total = sum(created or 0 for _, created in done)
    print(
        f"imports: {[s for s, _ in done]}; {total:,} keywords in {importing:.1f} s "
        f"({UPLOADS * rows / importing:,.0f} rows/s read and judged, {total / importing:,.0f} created/s)"
    )


if __name__ == "__main__":
    main()
