"""Big keyword files are imported by a worker (planner/import_jobs.py): the request answers 202 with
a status address, the worker's report is the synchronous one field for field, a worker that dies
or loses the job leaves nothing behind, and the sweep re-queues or fails what was left."""

import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from igny8.accounts import services as account_services
from igny8.core.models import JobStatus
from igny8.planner import import_jobs, imports
from igny8.planner.models import Keyword, KeywordImport

URL = "/api/v1/planner/keywords/import/"
DATA = (
    b"keyword,volume,difficulty,cpc,intent,source\n"
    b"Chemex recipe,880,30,1.20,informational,semrush\n"
    b"v60   RECIPE,100,10,0.5,,semrush\n"
    b"chemex recipe,50,5,0.1,,semrush\n"
    b"moka pot,-5,10,0.5,,x\n"
    b"aeropress,many,10,0.5,,x\n"
    b",10,10,0.5,,x\n"
    b"French press,1200,22,$0.80,Commercial,x\n"
)
EXPECTED = {
    "rows": 7,
    "created": 2,
    "duplicates_count": 2,
    "skipped_count": 3,
    "duplicates": [
        {"row": 3, "keyword": "v60 RECIPE", "reason": "already in this site"},
        {"row": 4, "keyword": "chemex recipe", "reason": "repeats line 2"},
    ],
    "skipped": [
        {"row": 5, "keyword": "moka pot", "reason": "volume must be 0 or more, got '-5'"},
        {"row": 6, "keyword": "aeropress", "reason": "volume must be a number, got 'many'"},
        {"row": 7, "keyword": "", "reason": "keyword is empty"},
    ],
    "details_truncated": False,
    "encoding": "utf-8",
    "delimiter": ",",
    "ignored_columns": ["source"],
}


@pytest.fixture
def sent(monkeypatch, settings, tmp_path):
    """Files above 100 bytes go to a worker; the broker is replaced by a list of what was sent."""
    settings.KEYWORD_IMPORT_SYNC_MAX_BYTES = 100
    settings.VAR_DIR = tmp_path / "var"
    calls: list[tuple[str, list]] = []
    monkeypatch.setattr(
        "igny8.core.jobs.send",
        lambda *, task_name, args, task_id=None: calls.append((task_name, args)) or True,
    )
    return calls


def _existing(site) -> None:
    Keyword.objects.create(account=site.account, site=site, keyword="V60 recipe", normalized="v60 recipe")


def _upload(client, site_id, data: bytes = DATA):
    file = SimpleUploadedFile("tool export.csv", data, content_type="text/csv")
    return client.post(URL, {"file": file, "site_id": site_id}, format="multipart")


def _keywords(site) -> list[tuple]:
    return sorted(
        Keyword.objects.filter(site=site).values_list("normalized", "volume", "difficulty", "intent")
    )


def test_a_big_file_is_queued_and_the_worker_report_is_the_synchronous_one(
    api, alice, sent, django_capture_on_commit_callbacks
):
    _existing(alice.site)
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(api, alice.site.pk)
    assert response.status_code == 202, response.json()
    body = response.json()
    job = KeywordImport.objects.get()
    assert body["data"]["status_url"] == f"/api/v1/planner/keywords/imports/{job.pk}/"
    assert (body["data"]["id"], body["data"]["status"], body["data"]["file_name"]) == (
        job.pk,
        "queued",
        "tool export.csv",
    )
    # Nothing imported in the request; the upload is a file in the var directory, the task was sent.
    assert _keywords(alice.site) == [("v60 recipe", 0, 0, "informational")]
    stored = Path(django_settings.VAR_DIR) / job.file_path
    assert stored.read_bytes() == DATA
    assert sent == [(import_jobs.TASK, [job.pk])]

    assert import_jobs.import_run(import_id=job.pk) == JobStatus.DONE
    assert import_jobs.import_run(import_id=job.pk) is None  # a second message finds it finished

    status = api.get(body["data"]["status_url"]).json()["data"]
    assert (status["status"], status["rows_total"], status["rows_read"], status["percentage"]) == (
        "done",
        7,
        7,
        100,
    )
    assert status["result"] == EXPECTED
    assert not stored.exists()  # the copy is removed once the import has its answer

    # The same file imported synchronously into a site in the same state reports the same.
    twin = account_services.site_create(account=alice.account, name="Twin", url="https://twin.example")
    _existing(twin)
    assert imports.keywords_import(site=twin, data=DATA).as_dict() == EXPECTED
    assert (
        _keywords(alice.site)
        == _keywords(twin)
        == [
            ("chemex recipe", 880, 30, "informational"),
            ("french press", 1200, 22, "commercial"),
            ("v60 recipe", 0, 0, "informational"),
        ]
    )


def test_small_files_stay_synchronous(api, alice, sent):
    response = _upload(api, alice.site.pk, b"keyword\nmoka pot\n")
    assert response.status_code == 201
    assert response.json()["data"]["created"] == 1
    assert (KeywordImport.objects.count(), sent) == (0, [])


def test_a_worker_that_dies_mid_write_leaves_nothing_and_the_sweep_reruns_it(alice, sent, monkeypatch):
    _existing(alice.site)
    job = import_jobs.import_start(site=alice.site, uploaded_file=SimpleUploadedFile("k.csv", DATA))
    real_bulk_create = Keyword.objects.bulk_create

    def dies_after_inserting(objs, **kwargs):
        real_bulk_create(objs, **kwargs)
        raise SystemExit("worker killed")  # what a kill looks like to the transaction: no commit

    with monkeypatch.context() as patched, pytest.raises(SystemExit):
        patched.setattr(Keyword.objects, "bulk_create", dies_after_inserting)
        import_jobs.import_run(import_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.attempts, _keywords(alice.site)) == (
        "running",
        1,
        [("v60 recipe", 0, 0, "informational")],
    )

    # Not stale yet: the sweep leaves it alone.
    assert import_jobs.imports_sweep() == {"requeued": 0, "failed": 0, "resent": 0}
    later = timezone.now() + timedelta(seconds=django_settings.KEYWORD_IMPORT_STALE_SECONDS + 1)
    sent.clear()
    assert import_jobs.imports_sweep(now=later) == {"requeued": 1, "failed": 0, "resent": 0}
    assert sent == [(import_jobs.TASK, [job.pk])]

    assert import_jobs.import_run(import_id=job.pk) == JobStatus.DONE
    job.refresh_from_db()
    assert (job.status, job.attempts, job.result) == ("done", 2, EXPECTED)
    assert [k[0] for k in _keywords(alice.site)] == ["chemex recipe", "french press", "v60 recipe"]


def test_a_worker_whose_job_was_swept_away_writes_nothing(alice, sent, monkeypatch):
    job = import_jobs.import_start(site=alice.site, uploaded_file=SimpleUploadedFile("k.csv", DATA))
    real_read = imports.read_rows

    def slow_worker(**kwargs):
        readings = real_read(**kwargs)
        # While this worker was reading, its heartbeat went stale and the sweep queued the job again.
        KeywordImport.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
        assert import_jobs.imports_sweep()["requeued"] == 1
        return readings

    with monkeypatch.context() as patched:
        patched.setattr(imports, "read_rows", slow_worker)
        assert import_jobs.import_run(import_id=job.pk) is None
    job.refresh_from_db()
    assert (job.status, Keyword.objects.filter(site=alice.site).count()) == ("queued", 0)
    assert import_jobs.import_run(import_id=job.pk) == JobStatus.DONE
    assert Keyword.objects.filter(site=alice.site).count() == 3


def test_an_import_that_keeps_dying_is_failed_with_the_reason(alice, sent):
    job = import_jobs.import_start(site=alice.site, uploaded_file=SimpleUploadedFile("k.csv", DATA))
    stored = Path(django_settings.VAR_DIR) / job.file_path
    KeywordImport.objects.filter(pk=job.pk).update(
        status="running", attempts=import_jobs.MAX_ATTEMPTS, heartbeat_at=timezone.now() - timedelta(hours=1)
    )
    assert import_jobs.imports_sweep() == {"requeued": 0, "failed": 1, "resent": 0}
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error == (
        "The import stopped 3 times without finishing (a worker died or ran out of memory); nothing "
        "was imported. Try a smaller file or ask the operator."
    )
    assert not stored.exists()


def test_a_queued_import_the_broker_lost_is_sent_again(alice, sent):
    job = import_jobs.import_start(site=alice.site, uploaded_file=SimpleUploadedFile("k.csv", DATA))
    assert import_jobs.imports_sweep() == {"requeued": 0, "failed": 0, "resent": 0}
    later = timezone.now() + timedelta(seconds=django_settings.KEYWORD_IMPORT_STALE_SECONDS + 1)
    assert import_jobs.imports_sweep(now=later) == {"requeued": 0, "failed": 0, "resent": 1}
    assert sent[-1] == (import_jobs.TASK, [job.pk])


def test_an_unreadable_big_file_fails_on_the_worker_naming_the_file(api, alice, sent):
    data = b"term_x,volume\n" + b"moka pot,10\n" * 20
    response = _upload(api, alice.site.pk, data)
    assert response.status_code == 202
    job_id = response.json()["data"]["id"]
    assert import_jobs.import_run(import_id=job_id) == JobStatus.FAILED
    status = api.get(response.json()["data"]["status_url"]).json()["data"]
    assert (status["status"], status["error_field"], status["error"]) == (
        "failed",
        "file",
        "No 'keyword' column in the header row; the columns found were: 'term_x', 'volume'.",
    )


def test_a_binary_big_file_is_refused_in_the_request(api, alice, sent):
    response = _upload(api, alice.site.pk, b"PK\x03\x04\x00\x00" + b"\x00\x01" * 200)
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "file": ["The file is binary, not CSV (export the sheet as CSV first)."]
    }
    assert KeywordImport.objects.count() == 0


def test_the_plan_limit_fails_the_background_import_and_writes_nothing(api, alice, sent):
    alice.account.plan.max_keywords = 1
    alice.account.plan.save()
    response = _upload(api, alice.site.pk)
    assert import_jobs.import_run(import_id=response.json()["data"]["id"]) == JobStatus.FAILED
    status = api.get(response.json()["data"]["status_url"]).json()["data"]
    assert status["error"] == (
        "This import would bring the account to 3 keywords; the plan allows 1 (0 held now). "
        "Remove rows or upgrade the plan. Nothing was imported."
    )
    assert Keyword.objects.filter(site=alice.site).count() == 0


def test_another_account_cannot_see_an_import(api, alice, charlie, sent):
    response = _upload(api, alice.site.pk)
    status_url = response.json()["data"]["status_url"]
    assert charlie.client().get(status_url).status_code == 404
    assert api.get("/api/v1/planner/keywords/imports/999999/").status_code == 404


def test_the_write_transaction_keeps_the_heartbeat_going(alice, sent, settings, monkeypatch):
    """Minutes of inserts happen inside one transaction: a thread with its own connection beats."""
    settings.KEYWORD_IMPORT_STALE_SECONDS = 0.25  # a beat every 0.05 s
    job = import_jobs.import_start(site=alice.site, uploaded_file=SimpleUploadedFile("k.csv", DATA))
    beats: list[tuple[int, dict, str]] = []
    monkeypatch.setattr(
        "igny8.core.jobs.beat",
        lambda model, *, pk, seen, field="heartbeat_at": (
            beats.append((pk, seen, threading.current_thread().name)) or True
        ),
    )
    real_write = imports.keywords_write

    def slow_write(**kwargs):
        time.sleep(0.5)  # a big file's inserts
        return real_write(**kwargs)

    monkeypatch.setattr(imports, "keywords_write", slow_write)
    assert import_jobs.import_run(import_id=job.pk) == JobStatus.DONE
    assert len(beats) >= 2
    expected = (job.pk, {"status": "running", "attempts": 1}, f"keyword-import-{job.pk}-heartbeat")
    assert all(beat == expected for beat in beats), beats
