"""Styled error pages (issue 13, point 8): 403/404/500 with the navigation and the reason."""

from django.test import Client


def test_a_viewer_on_team_gets_the_reason_and_the_navigation(viewer):
    response = viewer.get("/team/")
    assert response.status_code == 403
    page = response.content.decode()
    assert '<h1 id="error-h">Not allowed</h1>' in page
    reason = page.split("data-error-reason>")[1].split("</p>")[0]
    assert reason == "Your role &#x27;viewer&#x27; cannot do this; it needs &#x27;admin&#x27; or higher."
    assert '<nav class="sidenav" id="sidenav" aria-label="Main">' in page


def test_a_missing_cluster_is_a_styled_404(web, db):
    response = web.get("/planner/clusters/999999/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "data-error-reason>This page or item does not exist, or it belongs to another account.</p>" in page
    assert '<nav class="sidenav" id="sidenav" aria-label="Main">' in page
    assert "matches the given query" not in page


def test_an_unknown_address_is_styled_signed_out_and_json_under_the_api(db):
    client = Client()
    page = client.get("/no/such/page/")
    assert page.status_code == 404
    assert '<h1 id="error-h">Not found</h1>' in page.content.decode()
    api = client.get("/api/v1/no-such-route/")
    assert api.status_code == 404
    assert api.json() == {
        "success": False,
        "error": "This page or item does not exist, or it belongs to another account.",
        "errors": {},
    }


def test_a_server_error_is_styled_without_a_traceback(alice, rf):
    from igny8.web.views import errors

    request = rf.get("/")
    request.user = alice.user
    response = errors.server_error(request)
    assert response.status_code == 500
    page = response.content.decode()
    assert '<h1 id="error-h">Something went wrong</h1>' in page
    assert "The server failed on this request; the error has been logged." in page
    assert "Traceback" not in page


# -- human labels and numbers (issue 13, point 8) --------------------------------------------------


def test_label_filters():
    from igny8.web.templatetags.web_titles import iso_minute, operation_label, state_label, thousands

    assert [state_label(s) for s in ("partially_completed", "completed", "in_progress", "odd_state")] == [
        "Partly done",
        "Completed",
        "In progress",
        "Odd state",
    ]
    assert operation_label("generate_content") == "Generate content"
    assert operation_label("content_generation") == "Content generation"
    assert [thousands(v) for v in (1234567, 999, "4000", 1234.5, None, "n/a")] == [
        "1,234,567",
        "999",
        "4,000",
        "1,234.5",
        "",
        "n/a",
    ]
    assert iso_minute("2026-11-30T09:00:00+00:00") == "2026-11-30 09:00"


def test_refusals_name_fields_in_words():
    from igny8.core.errors import Invalid
    from igny8.web.errors import error_text

    error = Invalid(errors={"ids": ["Select at least one row."], "item_delay_seconds": ["Too long."]})
    assert error_text(error) == "Select at least one row. Pause between items (seconds): Too long."


def test_numbers_have_thousands_separators_on_the_pages(web, data, alice):
    from igny8.planner.models import Keyword

    Keyword.objects.filter(pk=data["keywords"][0].pk).update(volume=12500)
    from igny8.writer.models import Content

    Content.objects.filter(pk=data["content"].pk).update(word_count=1850)
    assert "<td>12,500</td>" in web.get("/planner/keywords/").content.decode()
    assert "<td>1,850</td>" in web.get("/writer/content/").content.decode()
