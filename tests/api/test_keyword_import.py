from django.core.files.uploadedfile import SimpleUploadedFile

from igny8.planner import import_jobs
from igny8.planner.models import Keyword

URL = "/api/v1/planner/keywords/import/"


def upload(client, site_id, data: bytes, name="keywords.csv", **extra):
    file = SimpleUploadedFile(name, data, content_type="text/csv")
    return client.post(URL, {"file": file, "site_id": site_id, **extra}, format="multipart")


def test_report_lists_created_duplicates_and_skipped(api, alice):
    Keyword.objects.create(
        account=alice.account, site=alice.site, keyword="V60 recipe", normalized="v60 recipe"
    )
    data = (
        b"keyword,volume,difficulty,cpc,intent,source\n"
        b"Chemex recipe,880,30,1.20,informational,semrush\n"
        b"v60   RECIPE,100,10,0.5,,semrush\n"
        b"chemex recipe,50,5,0.1,,semrush\n"
        b"moka pot,-5,10,0.5,,x\n"
        b"aeropress,many,10,0.5,,x\n"
        b",10,10,0.5,,x\n"
        b"cold brew,10,101,0.5,,x\n"
        b"espresso,10,10,0.5,curious,x\n"
        b"French press,1200,22,$0.80,Commercial,x\n"
    )
    response = upload(api, alice.site.pk, data)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["message"] == "Imported 2 keyword(s); 2 duplicate(s), 5 skipped."
    report = body["data"]
    assert (report["rows"], report["created"], report["duplicates_count"], report["skipped_count"]) == (
        9,
        2,
        2,
        5,
    )
    assert report["duplicates"] == [
        {"row": 3, "keyword": "v60 RECIPE", "reason": "already in this site"},
        {"row": 4, "keyword": "chemex recipe", "reason": "repeats line 2"},
    ]
    assert report["skipped"] == [
        {"row": 5, "keyword": "moka pot", "reason": "volume must be 0 or more, got '-5'"},
        {"row": 6, "keyword": "aeropress", "reason": "volume must be a number, got 'many'"},
        {"row": 7, "keyword": "", "reason": "keyword is empty"},
        {"row": 8, "keyword": "cold brew", "reason": "difficulty must be at most 100, got '101'"},
        {
            "row": 9,
            "keyword": "espresso",
            "reason": (
                "intent must be one of informational, commercial, transactional, navigational, got 'curious'"
            ),
        },
    ]
    assert report["ignored_columns"] == ["source"]
    created = {
        k.keyword: (k.volume, k.difficulty, str(k.cpc), k.intent, k.sector_id)
        for k in Keyword.objects.filter(site=alice.site).exclude(normalized="v60 recipe")
    }
    assert created == {
        "Chemex recipe": (880, 30, "1.20", "informational", None),
        "French press": (1200, 22, "0.80", "commercial", None),
    }


def test_bom_latin1_and_semicolons(api, alice):
    assert (
        upload(api, alice.site.pk, "\ufeffkeyword;volume\ncafé;10\n".encode()).json()["data"]["created"] == 1
    )
    latin = "keyword;volume;cpc\nthé glacé;90;0,40\n".encode("latin-1")
    body = upload(api, alice.site.pk, latin).json()["data"]
    assert (body["created"], body["delimiter"]) == (1, ";")
    assert str(Keyword.objects.get(normalized="thé glacé").cpc) == "0.40"


def test_sector_must_belong_to_the_site(api, alice, charlie):
    response = upload(api, alice.site.pk, b"keyword\nv60\n", sector_id=charlie.sector.pk)
    assert response.status_code == 400
    assert response.json() == {
        "success": False,
        "error": "sector_id: No such sector in this site.",
        "errors": {"sector_id": ["No such sector in this site."]},
    }
    assert upload(api, alice.site.pk, b"keyword\nv60\n", sector_id=alice.sector.pk).status_code == 201
    assert Keyword.objects.get().sector_id == alice.sector.pk


def test_whole_file_problems_are_400_naming_file(api, alice):
    for data, error in [
        (b"", "file: The submitted file is empty."),
        (b"keyword,volume\n", "file: The file has a header row but no keyword rows."),
        (b"name\nfoo\n", "file: No 'keyword' column in the header row; the columns found were: 'name'."),
    ]:
        response = upload(api, alice.site.pk, data)
        assert response.status_code == 400
        assert response.json()["error"] == error
    assert api.post(URL, {"site_id": alice.site.pk}, format="multipart").json()["errors"] == {
        "file": ["No file was submitted."]
    }
    assert Keyword.objects.count() == 0


def test_too_large_file_is_refused(api, alice, settings):
    settings.KEYWORD_IMPORT_MAX_BYTES = 20
    response = upload(api, alice.site.pk, b"keyword\n" + b"x" * 30 + b"\n")
    assert response.status_code == 400
    assert response.json()["errors"] == {"file": ["The file is 39 bytes; the limit is 20."]}


def test_over_plan_limit_imports_nothing(api, alice):
    alice.account.plan.max_keywords = 3
    alice.account.plan.save()
    Keyword.objects.create(account=alice.account, site=alice.site, keyword="a", normalized="a")
    response = upload(api, alice.site.pk, b"keyword\nb\nc\nd\n")
    assert response.status_code == 402
    assert response.json()["error"] == (
        "This import would bring the account to 4 keywords; the plan allows 3 (1 held now). "
        "Remove rows or upgrade the plan. Nothing was imported."
    )
    assert Keyword.objects.count() == 1


def test_other_accounts_site_is_404_and_viewer_is_403(alice, bob, charlie):
    response = upload(charlie.client(), alice.site.pk, b"keyword\nv60\n")
    assert response.status_code == 404
    response = upload(bob.client(), alice.site.pk, b"keyword\nv60\n")
    assert response.status_code == 403
    assert response.json()["error"] == "Your role 'viewer' cannot do this; it needs 'editor' or higher."
    assert Keyword.objects.count() == 0


def test_hundred_thousand_rows(api, alice, settings, tmp_path):
    """4 MB: above the synchronous bound, so a worker imports it (planner/import_jobs.py)."""
    settings.VAR_DIR = tmp_path
    alice.account.plan.max_keywords = 200_000
    alice.account.plan.save()
    lines = ["keyword,volume,difficulty,cpc,intent"] + [
        f"keyword number {n},{n % 5000},{n % 101},{n % 7}.25,commercial" for n in range(100_000)
    ]
    response = upload(api, alice.site.pk, "\n".join(lines).encode())
    assert response.status_code == 202
    assert Keyword.objects.filter(site=alice.site).count() == 0
    assert import_jobs.import_run(import_id=response.json()["data"]["id"]) == "done"
    status = api.get(response.json()["data"]["status_url"]).json()["data"]
    assert (status["status"], status["rows_read"], status["rows_total"]) == ("done", 100_000, 100_000)
    report = status["result"]
    assert (report["rows"], report["created"], report["skipped_count"]) == (100_000, 100_000, 0)
    assert Keyword.objects.filter(site=alice.site).count() == 100_000
    again = upload(api, alice.site.pk, "\n".join(lines[:1001]).encode()).json()["data"]
    assert (again["created"], again["duplicates_count"]) == (0, 1000)
