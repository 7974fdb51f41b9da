"""/healthz staying fast during six concurrent 19 MB imports (issue 12, point 7).

Six legal 19 MB keyword files are posted at once to a live server while /healthz is polled. Each
upload is answered 202 with nothing imported in the request (the six imports are queued for a
worker, their files in the var directory), and /healthz answers 200 throughout. The times are
printed, not asserted (bench/import_load.py measures them with the imports running)."""

import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from igny8.planner.import_jobs import TASK
from igny8.planner.models import Keyword, KeywordImport

URL = "/api/v1/planner/keywords/import/"
SIZE = 19 * 1024 * 1024


def write_csv(path: Path, *, size: int) -> int:
    """A legal keyword export of at least `size` bytes; returns its rows."""
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("keyword,volume,difficulty,cpc,intent\n")
        written = 0
        while written < size:
            line = f"coffee grinder model {rows},{rows % 9000},{rows % 101},{rows % 7}.25,commercial\n"
            out.write(line)
            written += len(line)
            rows += 1
    return rows


@pytest.mark.django_db(transaction=True)
def test_healthz_stays_fast_during_six_concurrent_19_mb_imports(
    live_server, alice, settings, tmp_path, monkeypatch
):
    settings.VAR_DIR = tmp_path / "var"
    sent: list = []
    monkeypatch.setattr(
        "igny8.core.jobs.send",
        lambda *, task_name, args, task_id=None: sent.append((task_name, args)) or True,
    )
    alice.account.plan.max_keywords = 10_000_000
    alice.account.plan.save()
    held = Keyword.objects.count()
    source = tmp_path / "keywords.csv"
    rows = write_csv(source, size=SIZE)
    size = source.stat().st_size
    assert SIZE <= size < settings.KEYWORD_IMPORT_MAX_BYTES  # big, and still a legal upload

    headers = {"Authorization": f"Bearer {alice.token}"}

    def upload() -> tuple[int, dict, float]:
        start = time.perf_counter()
        with source.open("rb") as file:
            response = httpx.post(
                f"{live_server.url}{URL}",
                files={"file": ("keywords.csv", file, "text/csv")},
                data={"site_id": str(alice.site.pk)},
                headers=headers,
                timeout=120,
            )
        return response.status_code, response.json(), time.perf_counter() - start

    healthz: list[tuple[int, float]] = []
    done = threading.Event()

    def poll() -> None:
        with httpx.Client(timeout=30) as client:
            while not done.is_set():
                start = time.perf_counter()
                status = client.get(f"{live_server.url}/healthz").status_code
                healthz.append((status, time.perf_counter() - start))
                time.sleep(0.05)

    poller = threading.Thread(target=poll)
    poller.start()
    try:
        with ThreadPoolExecutor(max_workers=6) as pool:
            uploads = list(pool.map(lambda _: upload(), range(6)))
    finally:
        done.set()
        poller.join()
    start = time.perf_counter()
    after = httpx.get(f"{live_server.url}/healthz", timeout=30)
    healthz.append((after.status_code, time.perf_counter() - start))

    assert [status for status, _, _ in uploads] == [202] * 6, [body for _, body, _ in uploads]
    jobs = list(KeywordImport.objects.order_by("pk"))
    assert sorted(body["data"]["id"] for _, body, _ in uploads) == [job.pk for job in jobs]
    # The requests did not import: six queued jobs, nothing read, no keyword written, each file kept.
    assert [(job.status, job.rows_read, job.file_size) for job in jobs] == [("queued", 0, size)] * 6
    assert Keyword.objects.count() == held
    assert all((settings.VAR_DIR / job.file_path).stat().st_size == size for job in jobs)
    assert sorted(sent) == sorted((TASK, [job.pk]) for job in jobs)
    assert healthz and {status for status, _ in healthz} == {200}

    times = [seconds for _, seconds in healthz]
    print(
        f"\n6 concurrent uploads of {size / 1e6:.1f} MB ({rows:,} rows each): "
        f"slowest answered in {max(t for _, _, t in uploads):.2f} s; /healthz {len(times)} times, "
        f"p50 {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms"
    )
