from django.db import connection

from igny8.core import crypto
from igny8.system.models import IntegrationSettings
from igny8.system.prompts import default_prompt

URL = "/api/v1/system/integrations/"


def test_secret_is_encrypted_masked_and_kept(api, alice):
    saved = api.put(f"{URL}openai/", {"apiKey": "sk-live-abcdef1234", "model": "gpt-5.4"}, format="json")
    assert saved.status_code == 200
    data = saved.json()["data"]
    assert data["secrets"] == {"apiKey": "sk-...1234"}
    assert data["config"] == {"model": "gpt-5.4", "base_url": "", "enabled": True}
    assert "sk-live-abcdef1234" not in saved.content.decode()
    with connection.cursor() as cursor:
        cursor.execute("SELECT secrets FROM system_integrationsettings")
        raw = cursor.fetchone()[0]
    assert "sk-live" not in raw
    assert crypto.decrypt(raw) == '{"apiKey": "sk-live-abcdef1234"}'

    # A save without the key keeps it; an empty key clears it.
    api.patch(f"{URL}openai/", {"model": "gpt-5.5"}, format="json")
    row = IntegrationSettings.objects.get(account=alice.account, integration_type="openai")
    assert (row.config["model"], row.secrets) == ("gpt-5.5", {"apiKey": "sk-live-abcdef1234"})
    cleared = api.patch(f"{URL}openai/", {"apiKey": ""}, format="json").json()["data"]
    assert cleared["secrets"] == {}


def test_defaults_unknown_keys_and_types(api):
    image = api.get(f"{URL}image_generation/").json()["data"]
    assert image["is_configured"] is False
    assert image["config"] == {
        "provider": "openai",
        "model": "gpt-image-2",
        "image_type": "realistic",
        "max_in_article_images": 2,
        "image_format": "webp",
        "desktop_enabled": True,
        "mobile_enabled": True,
        "concurrency": None,
    }
    typo = api.put(f"{URL}image_generation/", {"max_images": 3}, format="json")
    assert typo.status_code == 400
    assert typo.json()["errors"]["max_images"][0].startswith(
        "Unknown setting; allowed: concurrency, desktop_enabled,"
    )
    bad = api.patch(f"{URL}image_generation/", {"image_format": "gif"}, format="json")
    assert bad.json()["errors"] == {"image_format": ['"gif" is not a valid choice.']}
    assert api.get(f"{URL}telegram/").status_code == 404
    listing = api.get(URL).json()["data"]
    assert [item["integration_type"] for item in listing] == [
        "openai",
        "runware",
        "image_generation",
        "wordpress",
    ]


def test_prompt_override_placeholders_and_reset(api):
    default = api.get("/api/v1/system/prompts/clustering/").json()["data"]
    assert (default["is_default"], default["placeholders"]) == (True, ["keywords", "sector"])
    assert default["value"] == default_prompt("clustering")

    unknown = api.put(
        "/api/v1/system/prompts/clustering/", {"value": "Group {keywords} for {niche}"}, format="json"
    )
    assert unknown.status_code == 400
    assert unknown.json()["errors"] == {
        "value": [
            # The author profile's placeholders are optional in every text prompt (issue 14).
            "Unknown placeholder {niche}; allowed: keywords, sector; and the author profile's: audience, "
            "brand_voice, country, example_passages, faq, language, point_of_view, reading_level, tone, "
            "words_to_avoid, words_to_use.",
            "Missing placeholder {sector}.",
        ]
    }
    assert default["optional_placeholders"][:3] == ["audience", "brand_voice", "country"]
    with_voice = api.put(
        "/api/v1/system/prompts/clustering/",
        {"value": "Group {keywords} for {sector} in {language}"},
        format="json",
    )
    assert with_voice.status_code == 200
    braces = api.put("/api/v1/system/prompts/clustering/", {"value": "Group {keywords"}, format="json")
    assert braces.json()["errors"]["value"][0].startswith("Unbalanced braces")

    saved = api.put(
        "/api/v1/system/prompts/clustering/",
        {"value": "Group {keywords} about {sector}. {{json}}"},
        format="json",
    ).json()["data"]
    assert (saved["is_default"], saved["value"]) == (False, "Group {keywords} about {sector}. {{json}}")
    listing = {p["prompt_type"]: p["is_default"] for p in api.get("/api/v1/system/prompts/").json()["data"]}
    assert listing == {
        "clustering": False,
        "cluster_naming": True,  # issue 14: the naming call's prompt is editable too
        "ideas": True,
        "content_generation": True,
        "image_prompt_extraction": True,
        "image_prompt_template": True,
        "negative_prompt": True,
        "content_optimization": True,
        "site_structure": True,
        "page_content": True,
    }
    reset = api.post("/api/v1/system/prompts/clustering/reset/").json()
    assert (reset["data"]["is_default"], reset["message"]) == (True, "Prompt reset to default.")


def test_every_shipped_prompt_passes_its_own_check():
    from igny8.system.prompts import PROMPT_TYPES, placeholder_problems

    for prompt_type in PROMPT_TYPES:
        assert placeholder_problems(prompt_type=prompt_type, template=default_prompt(prompt_type)) == []


def test_mask():
    assert [crypto.mask(s) for s in ["", "abc", "sk-proj-123456789", "rw_abcdefghij"]] == [
        "",
        "...bc",
        "sk-...6789",
        "rw...ghij",
    ]
