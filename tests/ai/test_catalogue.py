"""The model catalogue and the provider registry: current defaults, the SDK's own dates, admin
overrides, unknown models, lifecycle warnings, and what an account may save."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from igny8.ai import catalogue, checks
from igny8.ai.catalogue import lifecycle_warning, shipped_spec
from igny8.ai.models import ModelRate
from igny8.ai.providers.registry import PROVIDERS, keyed
from igny8.system.integrations import defaults_for
from tests.ai.today_openai import sdk_deprecations

pytestmark = pytest.mark.django_db
URL = "/api/v1/system/integrations/"


def test_defaults_are_models_the_installed_sdk_does_not_list_as_deprecated():
    deprecated = sdk_deprecations()
    assert {"gpt-4o-mini", "dall-e-3", "gpt-image-1", "gpt-5.4-nano"} <= set(deprecated)  # the parser works
    defaults = {info.default_text_model for info in keyed()} | {info.default_image_model for info in keyed()}
    defaults |= {defaults_for("openai")["model"], defaults_for("image_generation")["model"]}
    assert defaults - {""} == {"gpt-5.4-mini", "gpt-image-2", "runware:97@1"}
    assert not defaults & set(deprecated)
    for name in defaults - {""}:
        assert shipped_spec(name, kind="text" if name == "gpt-5.4-mini" else "image").shutdown is None


def test_shipped_shutdown_dates_match_the_sdk():
    deprecated = sdk_deprecations()
    raw = catalogue._shipped()
    checked = [name for name in raw if deprecated.get(name)]
    assert len(checked) >= 14
    for name in checked:
        assert shipped_spec(name, kind=raw[name]["kind"]).shutdown == deprecated[name], name


def test_registry_declares_each_provider_once():
    assert list(PROVIDERS) == ["openai", "runware", "offline"]
    assert [(i.name, i.key_setting, i.base_url_setting) for i in keyed()] == [
        ("openai", "OPENAI_API_KEY", "OPENAI_BASE_URL"),
        ("runware", "RUNWARE_API_KEY", "RUNWARE_BASE_URL"),
    ]
    assert PROVIDERS["runware"].capabilities.negative_prompt is True
    assert PROVIDERS["openai"].capabilities.negative_prompt is False


def test_unknown_models_are_current_on_openai_and_plain_elsewhere():
    on_openai = catalogue.spec("gpt-6-sol", kind="text", provider="openai")
    assert (on_openai.known, on_openai.json_mode, on_openai.reasoning, on_openai.output_cap) == (
        False,
        "schema",
        True,
        16000,
    )
    assert catalogue.spec(
        "gpt-6-sol", kind="text", provider="openai", base_url="https://api.openai.com/v1"
    ).reasoning
    local = catalogue.spec(
        "llama3.1:8b", kind="text", provider="openai", base_url="http://127.0.0.1:11434/v1"
    )
    assert (local.json_mode, local.reasoning, local.input) == ("auto", False, None)
    image = catalogue.spec("gpt-image-2.6-flare", kind="image", provider="openai")
    assert (image.gpt_image, image.default_quality, image.per_image) == (True, "medium", {})


def test_an_admin_row_overrides_field_by_field():
    ModelRate.objects.create(model="gpt-5.4-mini", kind="text", output_per_1m=Decimal("5"), output_cap=8000)
    spec = catalogue.spec("gpt-5.4-mini", kind="text", provider="openai")
    assert (spec.input, spec.cached_input, spec.output, spec.output_cap, spec.reasoning) == (
        Decimal("0.75"),
        Decimal("0.075"),
        Decimal("5"),
        8000,
        True,
    )
    ModelRate.objects.create(
        model="my-llama", kind="text", json_mode="object", input_per_1m=0, output_per_1m=0, provider="openai"
    )
    mine = catalogue.spec("my-llama", kind="text", provider="openai", base_url="http://127.0.0.1:8080/v1")
    assert (mine.known, mine.json_mode, mine.input, mine.output) == (
        True,
        "object",
        Decimal("0"),
        Decimal("0"),
    )


def test_lifecycle_warnings_say_when_and_what_instead():
    today = date(2026, 11, 29)
    assert lifecycle_warning(shipped_spec("gpt-5-mini", kind="text"), today=today) == (
        "gpt-5-mini shuts down on 2026-12-11 (in 12 days). Choose gpt-5.4-mini instead."
    )
    assert lifecycle_warning(shipped_spec("gpt-image-1-mini", kind="image"), today=today) == (
        "gpt-image-1-mini shuts down on 2026-12-01 (in 2 days). Choose gpt-image-2 instead."
    )
    assert lifecycle_warning(shipped_spec("dall-e-3", kind="image"), today=today) == (
        "dall-e-3 was shut down on 2026-05-12. Choose gpt-image-2 instead."
    )
    assert lifecycle_warning(shipped_spec("gpt-4o-mini", kind="text"), today=today) == ""  # 46 days
    assert lifecycle_warning(shipped_spec("gpt-5.4-mini", kind="text"), today=today) == ""


def test_suggestions_leave_out_shut_down_models():
    text = catalogue.known_models(kind="text", provider="openai")
    assert "gpt-5.4-mini" in text and "gpt-3.5-turbo" not in text and "o4-mini" not in text
    assert catalogue.known_models(kind="image", provider="runware") == [
        "civitai:4384@128713",
        "runware:100@1",
        "runware:97@1",
    ]


def test_saving_an_image_model_the_provider_cannot_serve_names_both(api):
    wrong = api.put(f"{URL}image_generation/", {"provider": "openai", "model": "runware:97@1"}, format="json")
    assert wrong.status_code == 400
    assert wrong.json()["errors"]["model"] == [
        "OpenAI cannot make images with runware:97@1 (a model for Runware). "
        "Choose one OpenAI serves, such as gpt-image-2, or change the provider."
    ]
    back = api.put(f"{URL}image_generation/", {"provider": "runware", "model": "gpt-image-2"}, format="json")
    assert back.json()["errors"]["model"] == [
        "Runware cannot make images with gpt-image-2 (a model for OpenAI). "
        "Choose one Runware serves, such as runware:97@1, or change the provider."
    ]
    ok = api.put(f"{URL}image_generation/", {"provider": "runware", "model": "runware:100@1"}, format="json")
    assert ok.status_code == 200


def test_saving_a_shut_down_model_names_a_replacement(api):
    image = api.patch(f"{URL}image_generation/", {"provider": "openai", "model": "dall-e-3"}, format="json")
    assert image.json()["errors"]["model"] == [
        "dall-e-3 was shut down on 2026-05-12. Choose gpt-image-2 instead."
    ]
    text = api.patch(f"{URL}openai/", {"model": "gpt-3.5-turbo"}, format="json")
    assert (text.status_code, text.json()["errors"]["model"]) == (
        400,
        ["gpt-3.5-turbo was shut down on 2026-10-23. Choose gpt-5.4-mini instead."],
    )


def _soon(model: str, *, kind: str, days: int) -> None:
    ModelRate.objects.create(
        model=model, kind=kind, shutdown_on=timezone.localdate() + timedelta(days=days), replacement="gpt-5.4"
    )


def test_settings_page_warns_of_a_model_shutting_down_soon(alice):
    web = Client()
    web.force_login(alice.user)
    _soon("gpt-5.4-mini", kind="text", days=10)
    page = web.get("/settings/").content.decode()
    when = (timezone.localdate() + timedelta(days=10)).isoformat()
    assert (
        f'<p class="warning" role="status">gpt-5.4-mini shuts down on {when} (in 10 days). '
        "Choose gpt-5.4 instead.</p>"
    ) in page
    _soon("gpt-5.4", kind="text", days=31)
    alice_page = web.get("/settings/").content.decode()
    assert alice_page.count('class="warning"') == 1


def test_the_test_button_warns_of_a_model_shutting_down_soon(alice, monkeypatch, settings):
    from igny8.ai.providers import factory

    class Lister:
        def check(self):
            return {"models": ["gpt-5.4", "gpt-5.4-mini"]}

    monkeypatch.setattr(factory, "build_provider", lambda config: Lister())
    settings.OPENAI_API_KEY, settings.OPENAI_MODEL = "sk-test", ""
    _soon("gpt-5.4-mini", kind="text", days=3)
    answer = checks.integration_test(account=alice.account, kind="openai")
    when = (timezone.localdate() + timedelta(days=3)).isoformat()
    assert answer["warnings"] == [f"gpt-5.4-mini shuts down on {when} (in 3 days). Choose gpt-5.4 instead."]
    missing = checks.integration_test(account=alice.account, kind="openai", model="gpt-6-sol")
    assert missing["warnings"] == ["gpt-6-sol is not among the models OpenAI lists for this key."]


def test_doctor_names_each_configured_model_that_is_shut_down(alice, settings):
    from io import StringIO

    from django.core.management import CommandError, call_command

    from igny8.system.models import IntegrationSettings

    settings.OPENAI_MODEL = ""
    out = StringIO()
    call_command("doctor", "--only", "models", stdout=out)
    assert out.getvalue() == (
        "ok    AI models: no configured model is shut down or shutting down within 30 days.\n"
    )
    IntegrationSettings.objects.create(
        account=alice.account,
        integration_type="image_generation",
        config={"provider": "openai", "model": "dall-e-3"},
    )
    out = StringIO()
    with pytest.raises(CommandError, match=r"^1 check\(s\) failed \(AI models\): each FAIL line above says"):
        call_command("doctor", "--only", "models", stdout=out)
    assert out.getvalue() == (
        f"FAIL  AI models: account {alice.account.pk} (Account A), image_generation settings: dall-e-3 was "
        "shut down on 2026-05-12. Choose gpt-image-2 instead.\n"
    )


def test_a_partial_save_is_judged_against_the_saved_provider(api, alice):
    assert api.put(f"{URL}image_generation/", {"provider": "runware"}, format="json").status_code == 200
    assert api.patch(f"{URL}image_generation/", {"model": "runware:100@1"}, format="json").status_code == 200
    web = Client()
    web.force_login(alice.user)
    # The settings form knows the saved provider (Runware): an OpenAI model is refused, naming both.
    page = web.post("/settings/integrations/image_generation/", {"model": "gpt-image-2"})
    assert page.status_code == 400
    assert "Runware cannot make images with gpt-image-2 (a model for OpenAI)." in page.content.decode()


def test_switching_provider_without_a_model_takes_that_provider_s_default(api, alice, settings):
    from igny8.ai import selectors

    settings.RUNWARE_API_KEY = "rw-test"
    api.put(f"{URL}image_generation/", {"provider": "openai", "model": "gpt-image-1.5"}, format="json")
    api.patch(f"{URL}image_generation/", {"provider": "runware"}, format="json")
    # The API keeps only what was sent; a run still asks Runware for a model Runware serves.
    config = selectors.image_provider_config(account=alice.account)
    assert (config.provider, config.model) == ("runware", "runware:97@1")
    replaced = api.put(f"{URL}image_generation/", {"provider": "openai"}, format="json").json()["data"]
    assert (replaced["config"]["provider"], replaced["config"]["model"]) == ("openai", "gpt-image-2")


def test_the_api_judges_a_provider_switch_against_the_saved_model(alice):
    url = "/api/v1/system/integrations/image_generation/"
    api = alice.client()
    assert api.patch(url, {"provider": "openai", "model": "gpt-image-1.5"}, format="json").status_code == 200
    switched = api.patch(url, {"provider": "runware"}, format="json")
    assert switched.status_code == 200
    assert (switched.json()["data"]["config"]["provider"], switched.json()["data"]["config"]["model"]) == (
        "runware",
        "runware:97@1",
    )
    refused = api.patch(url, {"model": "gpt-image-1.5"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"]["model"][0].startswith("Runware cannot make images with gpt-image-1.5")
