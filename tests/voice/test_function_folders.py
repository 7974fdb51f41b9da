"""An AI function is one folder that knows itself (issue 14 point 5): a toy function in a
temporary app's ai/<name>/ folder is found by autodiscovery and is then in the API, the progress
modal, the prices and the prompt editor, without touching any other file."""

import sys
import textwrap

import pytest

from igny8.ai import discovery, registry
from igny8.billing.selectors import credit_cost
from igny8.web.progress import function_title, success_sentence
from tests.web.conftest import signed_in
from tests.writer_ai.conftest import run_now

pytestmark = pytest.mark.django_db

TOY = """
from pydantic import BaseModel

from igny8.ai import prompts
from igny8.ai.base import AIFunction, TextPrompt


class Shouted(BaseModel):
    text: str


class ShoutFunction(AIFunction):
    name = "toy_shout"
    title = "Shout the words"
    operation = "toy_shout"
    credits = 3
    per_item = True
    max_items = 5
    prompt_type = "toy_shout"
    placeholders = frozenset({"word"})
    output_schema = Shouted
    payload_fields = frozenset({"loudness"})

    def prepare(self, ctx):
        return list(ctx.payload["ids"])

    def build_prompt(self, ctx, item, template):
        text = prompts.render(template, prompt_type=self.prompt_type, word=f"word {item}")
        return TextPrompt(prompt=text, offline_draft={"text": f"WORD {item}"})

    def save_output(self, ctx, item, output):
        return {"shouted": output.text}

    def summary(self, *, run, items, failed):
        return "Shouted " + ", ".join(item["shouted"] for item in items) + "."
"""


@pytest.fixture
def toy_app(tmp_path, settings, monkeypatch):
    folder = tmp_path / "toyapp" / "ai" / "shout"
    folder.mkdir(parents=True)
    (tmp_path / "toyapp" / "__init__.py").write_text("")
    (tmp_path / "toyapp" / "ai" / "__init__.py").write_text("")
    (folder / "__init__.py").write_text(textwrap.dedent(TOY))
    (folder / "prompt.md").write_text("Shout {word} in {language}.\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "toyapp"]  # ai.apps.ready() finds it
    found = discovery.discover(app_names=["toyapp"])  # what it registered, to take back after
    yield found
    discovery.forget(found)
    for name in [name for name in sys.modules if name == "toyapp" or name.startswith("toyapp.")]:
        del sys.modules[name]


def test_a_toy_function_folder_is_found_everywhere(alice, toy_app):
    assert (toy_app.functions, toy_app.prompt_types, toy_app.prices) == (
        ["toy_shout"],
        ["toy_shout"],
        ["toy_shout"],
    )
    assert registry.FUNCTIONS["toy_shout"] == "toyapp.ai.shout.ShoutFunction"
    client = alice.client()

    # The API: listed, startable, its own parameters honoured and others refused.
    listed = {row["name"]: row for row in client.get("/api/v1/ai/functions/").json()["data"]}
    assert listed["toy_shout"] == {
        "name": "toy_shout",
        "title": "Shout the words",
        "aliases": [],
        "kind": "text",
        "per_item": True,
        "max_items": 5,
        "prompt_type": "toy_shout",
        "operation": "toy_shout",
        "credits": 3,
        "payload_fields": ["loudness"],
    }
    assert (listed["generate_content"]["title"], listed["generate_content"]["aliases"]) == (
        "Generate content",
        ["auto_generate_content"],
    )
    started = client.post(
        "/api/v1/ai/runs/",
        {"function": "toy_shout", "payload": {"ids": [1, 2], "loudness": 9}},
        format="json",
    )
    assert started.status_code == 202, started.json()
    refused = client.post(
        "/api/v1/ai/runs/", {"function": "toy_shout", "payload": {"ids": [1], "pitch": 1}}, format="json"
    )
    assert refused.status_code == 400 and "pitch" in refused.json()["errors"]

    # The price list.
    assert credit_cost(operation="toy_shout") == 3

    # The prompt editor: its file is the default, its placeholders (and the profile's) are allowed.
    prompt = client.get("/api/v1/system/prompts/toy_shout/").json()["data"]
    assert (prompt["value"], prompt["placeholders"], prompt["is_default"]) == (
        "Shout {word} in {language}.\n",
        ["word"],
        True,
    )
    assert "toy_shout" in [p["prompt_type"] for p in client.get("/api/v1/system/prompts/").json()["data"]]
    web = signed_in(alice.user)
    editor = web.get("/settings/prompts/toy_shout/")
    assert editor.status_code == 200 and "Shout {word} in {language}." in editor.content.decode()
    assert "<h1>Prompt: Shout the words</h1>" in editor.content.decode()  # its title, not its type
    assert prompt["label"] == "Shout the words"
    assert ">Shout the words</a>" in web.get("/settings/").content.decode()

    # The engine runs it (offline), and the progress modal titles it and says what it did.
    run = run_now(alice, "toy_shout", {"ids": [1, 2]})
    assert (run.status, [item["shouted"] for item in run.result["items"]]) == (
        "success",
        ["WORD 1", "WORD 2"],
    )
    assert function_title("toy_shout") == "Shout the words"
    assert success_sentence(run=run) == "Shouted WORD 1, WORD 2."
    modal = web.get(f"/runs/{run.task_id}/").content.decode()
    assert "Shout the words" in modal and "Shouted WORD 1, WORD 2." in modal


def test_forgetting_takes_it_back(toy_app):
    discovery.forget(toy_app)
    assert "toy_shout" not in registry.FUNCTIONS
    assert credit_cost(operation="toy_shout") == 1  # the price of an operation nobody priced
    toy_app.functions.clear()
    toy_app.prompt_types.clear()
    toy_app.prices.clear()


SHIPPED = {
    # name: (folder module, prompt types shipped beside it, price list entries)
    "auto_cluster": (
        "igny8.planner.ai.auto_cluster",
        ["clustering", "cluster_naming"],
        {"cluster_keywords": 10},
    ),
    "auto_generate_ideas": ("igny8.planner.ai.auto_generate_ideas", ["ideas"], {"generate_ideas": 15}),
    "generate_content": (
        "igny8.writer.ai.generate_content",
        ["content_generation"],
        {"generate_content": 50},
    ),
    "generate_image_prompts": (
        "igny8.writer.ai.generate_image_prompts",
        ["image_prompt_extraction"],
        {"generate_image_prompts": 1},
    ),
    "generate_images": (
        "igny8.writer.ai.generate_images",
        ["image_prompt_template", "negative_prompt"],
        {"generate_images": 1, "generate_images:runware": 1, "generate_images:openai": 4},
    ),
    "optimize_content": (
        "igny8.publishing.ai.optimize_content",
        ["content_optimization"],
        {"optimize_content": 10},
    ),
    "generate_site_structure": (
        "igny8.publishing.ai.generate_site_structure",
        ["site_structure"],
        {"generate_site_structure": 20},
    ),
    "generate_page_content": (
        "igny8.publishing.ai.generate_page_content",
        ["page_content"],
        {"generate_page_content": 30},
    ),
}


def test_every_shipped_function_is_its_own_folder_and_nothing_else_names_it():
    """One mechanism: the registry, the prompt registry and the price list hold exactly what the
    folders declare (plus the price of publishing, which is no AI function)."""
    from pathlib import Path

    from igny8.billing.costs import DEFAULT_CREDITS
    from igny8.system import prompts as prompt_registry

    assert {name: path.rsplit(".", 1)[0] for name, path in registry.FUNCTIONS.items()} == {
        name: module for name, (module, _, _) in SHIPPED.items()
    }
    assert registry.ALIASES == {
        "auto_generate_content": "generate_content",
        "extract_image_prompts": "generate_image_prompts",
        "generate_images_from_prompts": "generate_images",
    }
    for module, prompt_types, prices in SHIPPED.values():
        folder = Path(__import__(module, fromlist=["_"]).__file__).parent
        for prompt_type in prompt_types:
            shipped = prompt_registry.PROMPT_FILES[prompt_type]
            assert shipped.parent == folder, prompt_type
            assert shipped.name == ("prompt.md" if prompt_type == prompt_types[0] else f"{prompt_type}.md")
        for operation, credits in prices.items():
            assert DEFAULT_CREDITS[operation] == credits, operation
    assert prompt_registry.PROMPT_LABELS["cluster_naming"] == "Auto-cluster keywords: cluster naming"
    assert prompt_registry.PROMPT_LABELS["content_generation"] == "Generate content"
    assert set(prompt_registry.PROMPT_PLACEHOLDERS) == {t for _, types, _ in SHIPPED.values() for t in types}
    assert (
        set(prompt_registry.PROMPT_PLACEHOLDERS)
        - {
            "image_prompt_template",
            "negative_prompt",
        }
        == prompt_registry.TEXT_PROMPT_TYPES
    )
    assert {
        "publish_to_wordpress": 5,
        **{operation: credits for _, _, prices in SHIPPED.values() for operation, credits in prices.items()},
    } == DEFAULT_CREDITS


def test_a_function_whose_prompt_file_is_missing_is_refused(tmp_path, monkeypatch):
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    folder = tmp_path / "brokenapp" / "ai" / "shout"
    folder.mkdir(parents=True)
    (tmp_path / "brokenapp" / "__init__.py").write_text("")
    (tmp_path / "brokenapp" / "ai" / "__init__.py").write_text("")
    (folder / "__init__.py").write_text(textwrap.dedent(TOY))  # no prompt.md beside it
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        module = importlib.import_module("brokenapp.ai.shout")
        with pytest.raises(
            ImproperlyConfigured, match=r"declares the toy_shout prompt but .*prompt\.md is missing"
        ):
            discovery.register_function(module.ShoutFunction)
        assert "toy_shout" not in registry.FUNCTIONS
        assert credit_cost(operation="toy_shout") == 1
    finally:
        for name in [name for name in sys.modules if name == "brokenapp" or name.startswith("brokenapp.")]:
            del sys.modules[name]


def test_web_refusals_carry_the_functions_own_title(alice):
    """The web starter titles its modal, and a refusal, with the function's title."""
    web = signed_in(alice.user)
    refused = web.post("/planner/keywords/bulk/cluster/", {"ids": []}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 200
    assert "Auto-cluster keywords" in refused.content.decode()
