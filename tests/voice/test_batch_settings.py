"""Generation settings per batch (issue 14 point 2) and no silent drops (point 6)."""

import pytest

from igny8.ai.models import AIRun
from igny8.automation.actions.pipeline import generation_payload
from igny8.automation.actions.registry import validate_actions
from igny8.planner.models import ContentIdea
from igny8.writer.models import Content, Image
from tests.planner_ai.conftest import add_cluster
from tests.voice.conftest import make_profile
from tests.voice.test_profiles_in_prompts import ARTICLE, SPANISH_VOICE
from tests.web.conftest import signed_in
from tests.writer_ai.conftest import make_task

pytestmark = pytest.mark.django_db
CONTENT_URL = "/api/v1/writer/tasks/auto_generate_content/"
IDEAS_URL = "/api/v1/planner/clusters/auto_generate_ideas/"
HX = {"HTTP_HX_REQUEST": "true"}


def test_a_batch_override_wins_over_the_sites_profile(alice, german, spanish, run_now, openai_answers):
    alice.site.author_profile = german  # 1200 words, FAQ on
    alice.site.save()
    task = make_task(alice, "Molienda", word_count_target=2000, content_structure="guide")
    openai_answers.append(ARTICLE)
    body = {
        "ids": [task.pk],
        "author_profile_id": spanish.pk,
        "content_structure": "listicle",
        "word_count": 800,
        "include_faq": False,
    }

    response, run = run_now(alice.client(), CONTENT_URL, body)

    assert (response.status_code, run.status) == (202, "success")
    prompt = openai_answers.requests[-1]["messages"][-1]["content"]
    assert SPANISH_VOICE in prompt
    assert "Content structure: listicle\nTarget length: about 800 words\n" in prompt
    assert run.generation == {
        "author_profile_id": spanish.pk,
        "author_profile": "Blog de café",
        "content_structure": "listicle",
        "word_count": 800,
        "include_faq": False,
    }
    assert Content.objects.get(task=task).html == "<h2>Mahlgrad</h2><p>Text.</p>"  # the FAQ was switched off


def test_an_ideas_batch_sets_every_ideas_type_and_length(alice, run_now, openai_answers):
    cluster = add_cluster(alice, "Grinders", [("burr grinder", 900, 30)])
    idea = {
        "title": "Burr grinders",
        "description": "Which.",
        "outline": [{"heading": "Types", "subsections": []}],
        "primary_keyword": "burr grinder",
        "secondary_keywords": [],
        "content_type": "post",
        "content_structure": "guide",
        "estimated_word_count": 1500,
    }
    openai_answers.append({"ideas": [idea, {**idea, "title": "Two"}, {**idea, "title": "Three"}]})

    _, run = run_now(
        alice.client(), IDEAS_URL, {"ids": [cluster.pk], "content_structure": "how_to", "word_count": 900}
    )

    assert run.status == "success"
    prompt = openai_answers.requests[-1]["messages"][-1]["content"]
    assert "Every idea must have: content_structure how_to, estimated_word_count 900.\n" in prompt
    saved = ContentIdea.objects.filter(cluster=cluster).values_list(
        "content_structure", "estimated_word_count"
    )
    assert sorted(saved) == [("how_to", 900)] * 3


@pytest.mark.parametrize(
    ("url", "extra", "field"),
    [
        (CONTENT_URL, {"content_structure": "essay"}, "content_structure"),
        (CONTENT_URL, {"word_count": 20}, "word_count"),
        (CONTENT_URL, {"include_faq": "sometimes"}, "include_faq"),
        (CONTENT_URL, {"tone": "loud"}, "tone"),
        (IDEAS_URL, {"include_faq": True}, "include_faq"),
        (IDEAS_URL, {"max_ideas": 9}, "max_ideas"),
        ("/api/v1/writer/tasks/auto_generate_images/", {"prompt_override": "x"}, "prompt_override"),
        ("/api/v1/writer/images/generate_images/", {"prompt_override": "x"}, "prompt_override"),
        ("/api/v1/writer/content/generate_image_prompts/", {"max_images": 11}, "max_images"),
        ("/api/v1/planner/keywords/auto_cluster/", {"niche": "coffee"}, "niche"),
    ],
)
def test_a_parameter_the_endpoint_does_not_take_is_a_400_naming_it(alice, url, extra, field):
    response = alice.client().post(url, {"ids": [1], **extra}, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["errors"]
    assert AIRun.objects.count() == 0


def test_the_runs_endpoint_refuses_what_a_function_does_not_take(alice):
    task = make_task(alice, "Grind")
    client = alice.client()
    body = {"function": "generate_images", "payload": {"ids": [1], "max_images": 2, "colour": 1}}
    refused = client.post("/api/v1/ai/runs/", body, format="json")
    assert refused.status_code == 400
    assert sorted(refused.json()["errors"]) == ["colour", "max_images"]
    assert refused.json()["error"] == (
        "Generate images does not take colour, max_images; "
        "it takes content_id, ids, prompt_override, provider."
    )
    theirs = client.post(
        "/api/v1/ai/runs/",
        {"function": "generate_content", "payload": {"ids": [task.pk], "author_profile_id": 999_999}},
        format="json",
    )
    assert theirs.status_code == 404
    assert "author_profile_id" in theirs.json()["errors"]
    assert AIRun.objects.count() == 0


def test_the_runs_endpoints_own_body_is_checked_whole(alice):
    task = make_task(alice, "Grind")
    response = alice.client().post(
        "/api/v1/ai/runs/",
        {"function": "generate_content", "payload": {"ids": [task.pk]}, "priority": 1},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["priority"]
    assert AIRun.objects.count() == 0


def test_max_images_is_honoured_for_the_run(alice):
    from tests.writer_ai.conftest import run_now as run_direct
    from tests.writer_ai.test_image_prompts import make_content

    content = make_content(alice)
    run = run_direct(alice, "generate_image_prompts", {"ids": [content.pk], "max_images": 1})
    assert run.status == "success"
    assert list(Image.objects.filter(content=content).values_list("image_type", "position")) == [
        ("featured", 0),
        ("in_article", 0),
    ]


def test_the_web_form_starts_the_batch_with_its_settings(alice, spanish):
    web = signed_in(alice.user)
    task = make_task(alice, "Molienda")
    page = web.get("/writer/tasks/").content.decode()
    assert f'<option value="{spanish.pk}">Blog de café (es-MX)</option>' in page
    assert '<select id="gen-faq" name="include_faq">' in page

    web.post(
        "/writer/tasks/generate/",
        {
            "ids": [task.pk],
            "author_profile_id": str(spanish.pk),
            "content_structure": "review",
            "word_count": "700",
            "include_faq": "yes",
        },
        **HX,
    )
    run = AIRun.objects.get()
    assert run.payload == {
        "ids": [task.pk],
        "author_profile_id": spanish.pk,
        "content_structure": "review",
        "word_count": 700,
        "include_faq": True,
    }
    refused = web.post(
        "/writer/tasks/generate/", {"ids": [task.pk], "word_count": "many"}, **HX
    ).content.decode()
    assert "Article length: a number of words from 300 to 10000." in refused
    assert AIRun.objects.count() == 1


def test_automation_steps_take_generation_settings(alice):
    actions = [{"type": "generate_content", "params": {"content_structure": "essay"}}]
    with pytest.raises(ValueError, match="content_structure must be one of"):
        validate_actions(actions)
    params = {"author_profile_id": 4, "content_structure": "pillar", "word_count": 900, "include_faq": "no"}
    assert validate_actions([{"type": "generate_content", "params": params}])[0]["params"] == params
    assert generation_payload(params) == {
        "author_profile_id": 4,
        "content_structure": "pillar",
        "word_count": 900,
        "include_faq": False,
    }
    assert generation_payload({"author_profile_id": 0, "content_structure": "", "word_count": 0}) == {}


def test_profile_helper(alice):
    assert make_profile(alice, "Plain").language == "en"
