"""The keywords page with a file above the synchronous bound: the upload is answered at once with
a redirect to the page's progress box, which polls until the worker's report is there."""

from django.core.files.uploadedfile import SimpleUploadedFile

from igny8.planner import import_jobs
from igny8.planner.models import Keyword, KeywordImport

HX = {"HTTP_HX_REQUEST": "true"}
DATA = b"keyword,volume\nmoka pot,10\nmoka pot,20\nfrench press,-1\naeropress,30\n"


def test_a_big_file_shows_progress_then_the_report(web, alice, settings, tmp_path):
    settings.KEYWORD_IMPORT_SYNC_MAX_BYTES = 10
    settings.VAR_DIR = tmp_path
    response = web.post("/planner/keywords/import/", {"file": SimpleUploadedFile("big.csv", DATA)})
    job = KeywordImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/planner/keywords/?import={job.pk}#import"
    assert Keyword.objects.filter(site=alice.site).count() == 0

    page = web.get(response["Location"]).content.decode()
    assert "Importing “big.csv”" in page
    assert f'hx-get="/planner/keywords/imports/{job.pk}/" hx-trigger="every 1s"' in page
    assert "Waiting for a worker…" in page

    assert import_jobs.import_run(import_id=job.pk) == "done"
    done = web.get(f"/planner/keywords/imports/{job.pk}/", **HX).content.decode()
    assert "hx-trigger" not in done  # finished: the box stops polling
    assert (
        "<strong>2</strong> created, <strong>1</strong> duplicate(s), <strong>1</strong> skipped of 4 row(s)."
        in done
    )
    assert "Line 3: “moka pot” — repeats line 2" in done
    assert "Line 4: “french press” — volume must be 0 or more, got &#x27;-1&#x27;" in done


def test_a_failed_background_import_says_why(web, alice, settings, tmp_path):
    settings.KEYWORD_IMPORT_SYNC_MAX_BYTES = 10
    settings.VAR_DIR = tmp_path
    web.post("/planner/keywords/import/", {"file": SimpleUploadedFile("big.csv", b"phrase\nmoka pot\n")})
    job = KeywordImport.objects.get()
    assert import_jobs.import_run(import_id=job.pk) == "failed"
    html = web.get(f"/planner/keywords/imports/{job.pk}/", **HX).content.decode()
    assert (
        "Nothing was imported: No &#x27;keyword&#x27; column in the header row; "
        "the columns found were: &#x27;phrase&#x27;." in html
    )


def test_another_accounts_import_is_not_shown(web, charlie, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    job = KeywordImport.objects.create(
        account=charlie.account, site=charlie.site, file_name="x.csv", file_path="imports/x.csv", file_size=1
    )
    assert web.get(f"/planner/keywords/imports/{job.pk}/", **HX).status_code == 404
    assert "Importing" not in web.get(f"/planner/keywords/?import={job.pk}").content.decode()
