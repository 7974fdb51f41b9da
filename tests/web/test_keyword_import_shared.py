"""The keywords page and the API's import endpoint share planner.imports.keywords_import_upload:
the same size limit, unreadable-file and plan-limit refusals, word for word, and nothing written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from igny8.planner.models import Keyword

OVERSIZED = b"keyword\n" + b"x" * 30 + b"\n"  # 39 bytes
UNDECODABLE = bytes(range(256)) * 8  # binary: no encoding reads it as text


def api_import(alice, data: bytes):
    upload = SimpleUploadedFile("k.csv", data, content_type="text/csv")
    return alice.client().post(
        "/api/v1/planner/keywords/import/", {"file": upload, "site_id": alice.site.pk}, format="multipart"
    )


def page_import(web, data: bytes):
    return web.post("/planner/keywords/import/", {"file": SimpleUploadedFile("k.csv", data)})


def field_error(html: str) -> str:
    start = html.index('id="id_file_error" role="alert">') + len('id="id_file_error" role="alert">')
    return html[start : html.index("</p>", start)]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (OVERSIZED, "The file is 39 bytes; the limit is 20."),
        (UNDECODABLE, "The file is binary, not CSV (export the sheet as CSV first)."),
    ],
)
def test_refusals_are_identical_on_the_page_and_the_api(web, alice, settings, data, message):
    if data is OVERSIZED:
        settings.KEYWORD_IMPORT_MAX_BYTES = 20
    api = api_import(alice, data)
    assert api.status_code == 400
    assert api.json()["errors"] == {"file": [message]}
    page = page_import(web, data)
    assert page.status_code == 400
    assert field_error(page.content.decode()) == message
    assert Keyword.objects.count() == 0


def test_plan_limit_refusal_is_identical(web, alice):
    alice.account.plan.max_keywords = 2
    alice.account.plan.save()
    api = api_import(alice, b"keyword\nb\nc\nd\n")
    assert api.status_code == 402
    page = page_import(web, b"keyword\nb\nc\nd\n")
    assert page.status_code == 400
    assert (
        field_error(page.content.decode())
        == api.json()["error"]
        == (
            "This import would bring the account to 3 keywords; the plan allows 2 (0 held now). "
            "Remove rows or upgrade the plan. Nothing was imported."
        )
    )
    assert Keyword.objects.count() == 0


def test_the_web_form_no_longer_checks_the_size_itself():
    from igny8.web.forms import KeywordImportForm

    assert not hasattr(KeywordImportForm, "clean_file")
