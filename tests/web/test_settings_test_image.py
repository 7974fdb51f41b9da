"""Settings: one test image with the configured image provider (the API's image test), shown
honestly as an offline placeholder when no key is configured."""

from igny8.billing.models import CreditUsageLog
from tests.web.provider_checks import answer

HX = {"HTTP_HX_REQUEST": "true"}


def test_settings_page_offers_a_test_image(web, alice):
    page = web.get("/settings/").content.decode()
    assert 'hx-post="/settings/test-image/" hx-target="#img-test"' in page
    assert '<label for="img-test-prompt">Prompt</label>' in page
    assert "Generate a test image</button>" in page


def test_offline_test_image_is_shown_and_labelled(web, alice):
    response = answer(web, web.post("/settings/test-image/", {"prompt": "A moka pot on a stove"}, **HX))
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "Offline draft: no image provider key is configured, so this placeholder was drawn locally." in html
    )
    assert '<img src="/media/ai-tests/' in html and 'alt="Test image: A moka pot on a stove"' in html
    assert "Offline, cost $0." in html and "offline offline" not in html
    row = CreditUsageLog.objects.get(account=alice.account)
    assert (row.operation, row.credits, row.provider) == ("generate_image_test", 0, "offline")


def test_blank_prompt_uses_the_apis_default(web, alice):
    html = answer(web, web.post("/settings/test-image/", {"prompt": "  "}, **HX)).content.decode()
    assert 'alt="Test image: A cup of coffee on a wooden table, morning light"' in html


def test_too_long_prompt_is_refused_with_its_field(web, alice):
    html = web.post("/settings/test-image/", {"prompt": "x" * 4001}, **HX).content.decode()
    assert "Prompt: Ensure this value has at most 4000 characters (it has 4001).</p>" in html
    assert not CreditUsageLog.objects.exists()


def test_viewer_and_editor_cannot_make_test_images(viewer, alice):
    assert viewer.post("/settings/test-image/", **HX).status_code == 403
    assert 'id="img-test-prompt"' not in viewer.get("/settings/").content.decode()
    assert not CreditUsageLog.objects.exists()
