"""Keyword imports too big for a web request: stored as a file, imported by a worker (the job kernel).

Why: a 19 MB export takes longer to read than a web worker may hold a request (gunicorn kills it at
30 s), and six of them at once left no worker for anyone else. Up to KEYWORD_IMPORT_SYNC_MAX_BYTES
a file is imported in the request as before; above it the request only copies the upload into the
var directory, records a KeywordImport and answers at once (202), and a worker does the import.

The rules are the synchronous import's: both end in imports.keywords_write, one transaction with
the site locked, so the report is the same field for field and nothing is written when the plan's
limit would be passed. The row is finished (done, with its report) inside that same transaction,
and only by the worker that still holds the job: a worker that dies, or that the sweep gave up on,
leaves nothing behind, and the re-run starts from the file again (keywords are unique per site, so
a re-run can neither duplicate nor lose a row)."""

from __future__ import annotations

import logging
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from igny8.accounts.models import Sector, Site
from igny8.core import jobs
from igny8.core.errors import DomainError, Invalid, NotFound
from igny8.core.models import JobStatus
from igny8.planner import csv_reading, imports
from igny8.planner.models import KeywordImport

log = logging.getLogger(__name__)

TASK = "igny8.planner.tasks.run_keyword_import"
MAX_ATTEMPTS = 3
FOLDER = "imports"


def _stored(job: KeywordImport) -> Path:
    return Path(settings.VAR_DIR) / job.file_path


def _refuse_early(*, uploaded_file) -> None:
    """What can be told from the first bytes is said in the request (400 on "file"), as the
    synchronous import says it; everything else is the worker's to find."""
    head = uploaded_file.read(4096)
    uploaded_file.seek(0)
    if not head.strip():
        raise Invalid("The file is empty.", field="file")
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff")) or csv_reading.utf16_without_bom(head)
    if b"\x00" in head and not utf16:
        raise Invalid("The file is binary, not CSV (export the sheet as CSV first).", field="file")


def import_start(
    *, site: Site, uploaded_file, sector: Sector | None = None
) -> imports.ImportReport | KeywordImport:
    """The report of a small file imported now, or the queued import of a big one."""
    limit = settings.KEYWORD_IMPORT_MAX_BYTES
    if uploaded_file.size > limit:
        raise Invalid(f"The file is {uploaded_file.size} bytes; the limit is {limit}.", field="file")
    if uploaded_file.size <= settings.KEYWORD_IMPORT_SYNC_MAX_BYTES:
        return imports.keywords_import_upload(site=site, sector=sector, uploaded_file=uploaded_file)
    _refuse_early(uploaded_file=uploaded_file)
    job = KeywordImport(
        account_id=site.account_id,
        site=site,
        sector=sector,
        file_name=(getattr(uploaded_file, "name", "") or "keywords.csv")[:255],
        file_size=uploaded_file.size,
        heartbeat_at=timezone.now(),
    )
    job.file_path = f"{FOLDER}/{job.public_id.hex}.csv"
    target = _stored(job)
    target.parent.mkdir(parents=True, exist_ok=True)
    if hasattr(uploaded_file, "temporary_file_path"):
        # A large upload is already a temporary file on disk: moved (a rename on the same disk),
        # not read again. Django's own clean-up of it then finds it gone, as it allows.
        shutil.move(uploaded_file.temporary_file_path(), target)
    else:
        with target.open("wb") as out:
            for chunk in uploaded_file.chunks():
                out.write(chunk)
    try:
        with transaction.atomic():
            job.save()
            jobs.enqueue(task_name=TASK, args=[job.pk])
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return job


def import_get(*, site_ids, import_id: int | str) -> KeywordImport:
    """An import of one of these sites; NotFound otherwise (another account's id reveals nothing)."""
    try:
        return KeywordImport.objects.select_related("site").get(pk=int(import_id), site_id__in=site_ids)
    except (TypeError, ValueError, KeywordImport.DoesNotExist) as error:
        raise NotFound("No such import.") from error


def _finish_failed(*, job_id: int, seen: dict, error: str, field: str = "") -> bool:
    changed = jobs.claim(
        KeywordImport,
        pk=job_id,
        seen=seen,
        status=JobStatus.FAILED,
        error=error,
        error_field=field,
        finished_at=timezone.now(),
    )
    if changed:
        _discard_file(job_id=job_id)
    return changed


def _discard_file(*, job_id: int) -> None:
    job = KeywordImport.objects.filter(pk=job_id).only("file_path").first()
    if job is not None and job.file_path:
        _stored(job).unlink(missing_ok=True)


@contextmanager
def _beating(*, job_id: int, mine: dict) -> Iterator[None]:
    """Heartbeats from a thread of its own (its own connection, so they commit) while the write
    transaction runs: 400,000 rows take minutes on a busy server, longer than the stale cutoff."""
    stop = threading.Event()
    every = settings.KEYWORD_IMPORT_STALE_SECONDS / 5

    def beat() -> None:
        try:
            while not stop.wait(every):
                try:
                    jobs.beat(KeywordImport, pk=job_id, seen=mine)
                except DatabaseError:  # SQLite busy with the write: the next beat tries again
                    log.warning("Keyword import %s: a heartbeat failed; trying again", job_id)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"keyword-import-{job_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def import_run(*, import_id: int) -> str | None:
    """The worker's side: claims a queued import, reads it with progress, writes it in one
    transaction. None when someone else holds it or it is finished; else the final status."""
    job = KeywordImport.objects.filter(pk=import_id, status=JobStatus.QUEUED).first()
    if job is None:
        return None
    mine = jobs.take(KeywordImport, row=job, rows_read=0)
    if mine is None:
        return None
    try:
        data = _stored(job).read_bytes()
    except FileNotFoundError:
        _finish_failed(job_id=job.pk, seen=mine, error="The uploaded file is gone; upload it again.")
        return JobStatus.FAILED
    try:
        parsed = csv_reading.parse(data)
        del data
        jobs.still_mine(
            KeywordImport, pk=job.pk, mine=mine, rows_total=len(parsed.rows), heartbeat_at=timezone.now()
        )

        def progress(rows: int) -> None:
            jobs.still_mine(KeywordImport, pk=job.pk, mine=mine, rows_read=rows, heartbeat_at=timezone.now())

        readings = imports.read_rows(parsed=parsed, progress=progress)
        with _beating(job_id=job.pk, mine=mine), transaction.atomic():
            report = imports.keywords_write(
                site=job.site, sector=job.sector, parsed=parsed, readings=readings
            )
            # Lost when the sweep gave the job away meanwhile: the rows are the new holder's.
            jobs.still_mine(
                KeywordImport,
                pk=job.pk,
                mine=mine,
                status=JobStatus.DONE,
                rows_read=len(parsed.rows),
                result=report.as_dict(),
                heartbeat_at=timezone.now(),
                finished_at=timezone.now(),
            )
    except jobs.Lost:
        log.warning("Keyword import %s was taken over by the sweep; this worker stops.", job.pk)
        return None
    except csv_reading.CsvProblem as problem:
        _finish_failed(job_id=job.pk, seen=mine, error=str(problem), field="file")
        return JobStatus.FAILED
    except DomainError as error:  # the plan's keyword limit
        _finish_failed(job_id=job.pk, seen=mine, error=error.message)
        return JobStatus.FAILED
    _discard_file(job_id=job.pk)
    return JobStatus.DONE


def imports_sweep(*, now=None) -> dict:
    """Beat's side (core.jobs.sweep): a running import whose worker stopped beating is queued again
    or, after MAX_ATTEMPTS, failed with the reason; a queued import the broker lost is sent again."""

    def fail(job: KeywordImport, seen: dict) -> bool:
        return _finish_failed(
            job_id=job.pk,
            seen=seen,
            error=f"The import stopped {job.attempts} times without finishing (a worker died or ran "
            "out of memory); nothing was imported. Try a smaller file or ask the operator.",
        )

    return jobs.sweep(
        KeywordImport,
        task_name=TASK,
        seconds=settings.KEYWORD_IMPORT_STALE_SECONDS,
        max_attempts=MAX_ATTEMPTS,
        fail=fail,
        now=now,
    )


def import_view(*, job: KeywordImport) -> dict:
    """What the API's status endpoint answers and the web's progress box shows."""
    return {
        "id": job.pk,
        "status": job.status,
        "status_label": job.get_status_display(),
        "file_name": job.file_name,
        "file_size": job.file_size,
        "rows_total": job.rows_total,
        "rows_read": job.rows_read,
        "percentage": job.percentage,
        "attempts": job.attempts,
        "result": job.result,
        "error": job.error,
        "error_field": job.error_field,
        "created_at": job.created_at.isoformat(),
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }
