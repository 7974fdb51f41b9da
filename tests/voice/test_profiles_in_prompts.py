import json

import pytest

from igny8.writer.models import Content
from tests.writer_ai.conftest import make_task

pytestmark = pytest.mark.django_db
URL = "/api/v1/writer/tasks/auto_generate_content/"

GERMAN_VOICE = """Voice (the site's author profile):
- Language: write in German (de-DE), for readers in Germany.
- Audience: Hobby-Baristas; reading level: simple: plain words and short sentences.
- Tone: freundlich, sachkundig; point of view: second person (you).
- Brand voice notes: Wir duzen unsere Leser.
- Words to use: Siebträger, Mahlgrad
- Words to avoid: billig
- Example passages of the voice (match their style, not their content):
Du stellst die Mühle feiner, bis der Espresso honigartig fließt.
FAQ section: yes: put 3 to 5 questions readers ask, each with a short answer, in "faq" \
(they are shown under the heading 'Häufig gestellte Fragen'; do not repeat them in the html)
"""
SPANISH_VOICE = """Voice (the site's author profile):
- Language: write in Mexican Spanish (es-MX), for readers in Mexico.
- Audience: general readers; reading level: the general public.
- Tone: cercano; point of view: whichever reads best.
- Brand voice notes: (none)
- Words to use: (none)
- Words to avoid: (none)
- Example passages of the voice (match their style, not their content):
(none)
FAQ section: no: leave "faq" empty
"""
ARTICLE = {
    "title": "Mahlgrad",
    "meta_title": "Mahlgrad",
    "meta_description": "Der richtige Mahlgrad.",
    "excerpt": "Kurz.",
    "html": "<h2>Mahlgrad</h2><p>Text.</p>",
    "faq": [{"question": "Wie fein?", "answer": "Wie Puderzucker."}],
}


def _sent_prompt(answers) -> str:
    return answers.requests[-1]["messages"][-1]["content"]


def test_the_sites_profile_reaches_the_exact_prompt_and_the_faq_is_ours(
    alice, german, run_now, openai_answers
):
    alice.site.author_profile = german
    alice.site.save()
    task = make_task(alice, "Mahlgrad für Espresso", word_count_target=2000, content_structure="guide")
    openai_answers.append(ARTICLE)

    response, run = run_now(alice.client(), URL, {"ids": [task.pk]})

    assert (response.status_code, run.status, run.provider) == (202, "success", "openai")
    prompt = _sent_prompt(openai_answers)
    assert GERMAN_VOICE in prompt
    # The profile's default length wins over the task's own target; the task's structure stays.
    assert "Target length: about 1200 words\n" in prompt
    assert "Content structure: guide\n" in prompt
    content = Content.objects.get(task=task)
    assert content.html == (
        "<h2>Mahlgrad</h2><p>Text.</p>\n<h2>Häufig gestellte Fragen</h2>\n"
        "<h3>Wie fein?</h3>\n<p>Wie Puderzucker.</p>"
    )
    assert run.generation == {
        "author_profile_id": None,
        "author_profile": None,
        "content_structure": None,
        "word_count": None,
        "include_faq": None,
    }


def test_a_sectors_profile_overrides_the_sites(alice, german, spanish, run_now, openai_answers):
    alice.site.author_profile = german
    alice.site.save()
    alice.sector.author_profile = spanish
    alice.sector.save()
    task = make_task(alice, "Molienda para espresso", word_count_target=900)
    openai_answers.append({**ARTICLE, "faq": [{"question": "¿Qué?", "answer": "Nada."}]})

    _, run = run_now(alice.client(), URL, {"ids": [task.pk]})

    assert run.status == "success"
    prompt = _sent_prompt(openai_answers)
    assert SPANISH_VOICE in prompt
    assert "German" not in prompt
    assert "Target length: about 900 words\n" in prompt
    # FAQ off in the Spanish profile: an answer's FAQ is not added.
    assert Content.objects.get(task=task).html == "<h2>Mahlgrad</h2><p>Text.</p>"


def test_ideas_and_clustering_prompts_carry_the_profile(alice, spanish, run_now, openai_answers):
    from tests.planner_ai.conftest import add_cluster

    alice.site.author_profile = spanish
    alice.site.save()
    cluster = add_cluster(alice, "Cafeteras", [("cafetera espresso", 900, 30)])
    idea = {
        "title": "Cafeteras espresso",
        "description": "Cómo elegir.",
        "outline": [{"heading": "Tipos", "subsections": []}],
        "primary_keyword": "cafetera espresso",
        "secondary_keywords": [],
        "content_type": "post",
        "content_structure": "guide",
        "estimated_word_count": 1500,
    }
    openai_answers.append({"ideas": [idea, {**idea, "title": "Dos"}, {**idea, "title": "Tres"}]})

    _, run = run_now(alice.client(), "/api/v1/planner/clusters/auto_generate_ideas/", {"ids": [cluster.pk]})

    assert run.status == "success"
    assert (
        "Write titles, descriptions and outlines in Mexican Spanish (es-MX), for readers in Mexico: "
        "general readers,\n"
        "reading level the general public. Words to use: (none). Words to avoid: (none).\n"
    ) in _sent_prompt(openai_answers)


def test_offline_drafts_are_labelled_in_the_profiles_language(alice, german, run_now):
    alice.sector.author_profile = german
    alice.sector.save()
    task = make_task(alice, "Mahlgrad")

    _, run = run_now(alice.client(), URL, {"ids": [task.pk]})

    assert (run.status, run.provider) == ("success", "offline")
    content = Content.objects.get(task=task)
    assert content.html.startswith(
        "<p><strong>Offline-Entwurf: Dies ist kein geschriebener Artikel.</strong> Es war kein KI-Anbieter"
    )
    assert (
        "<p>[Offline-Entwurf] Platzhalter: Diesen Abschnitt schreiben (Why grind size matters).</p>"
        in content.html
    )
    assert (
        content.meta_description
        == "[Offline-Entwurf] Noch nicht geschrieben: ein Gerüst zum Thema coffee grind size."
    )
    assert (
        content.excerpt == "[Offline-Entwurf] Gerüst ohne KI-Anbieter erstellt; schreiben oder neu erzeugen."
    )


@pytest.mark.parametrize(
    ("language", "label"),
    [("es", "[Borrador sin conexión]"), ("fr-CA", "[Brouillon hors ligne]"), ("ja", "[Offline draft]")],
)
def test_offline_label_per_language(language, label):
    from igny8.writer.ai.generate_content import offline_article

    draft = offline_article(title="T", sections=[("H", [])], keyword="k", language=language)
    assert draft["excerpt"].startswith(label + " ")


def test_the_answer_without_faq_still_parses(alice, german, run_now, openai_answers):
    alice.site.author_profile = german
    alice.site.save()
    task = make_task(alice, "Mahlgrad")
    openai_answers.append({key: value for key, value in ARTICLE.items() if key != "faq"})
    _, run = run_now(alice.client(), URL, {"ids": [task.pk]})
    assert run.status == "success"
    assert json.loads(json.dumps(run.result["items"]))[0]["status"] == "success"
    assert Content.objects.get(task=task).html == "<h2>Mahlgrad</h2><p>Text.</p>"


@pytest.mark.usefixtures("embedding_model")
def test_the_cluster_naming_prompt_carries_the_profile(alice, spanish, run_now, openai_answers):
    from tests.planner_ai.conftest import add_keywords
    from tests.planner_ai.test_auto_cluster import COFFEE, SEMANTIC

    alice.site.author_profile = spanish
    alice.site.save()
    add_keywords(alice, COFFEE)
    openai_answers.append({"clusters": [{"number": 1, "name": "Molinillos", "description": "Moler."}]})

    _, run = run_now(
        alice.client(), "/api/v1/planner/keywords/auto_cluster/", {"site_id": alice.site.pk, **SEMANTIC}
    )

    assert run.status == "success"
    shipped = openai_answers.requests[0]["messages"][-1]["content"]
    assert "Write the names and sentences in Mexican Spanish (es-MX), for readers in Mexico.\n" in shipped


@pytest.mark.usefixtures("embedding_model")
def test_an_accounts_own_cluster_naming_prompt_is_the_one_sent(alice, spanish, run_now, openai_answers):
    from igny8.system.models import AIPrompt
    from tests.planner_ai.conftest import add_keywords
    from tests.planner_ai.test_auto_cluster import COFFEE, SEMANTIC

    alice.site.author_profile = spanish
    alice.site.save()
    add_keywords(alice, COFFEE)
    AIPrompt.objects.create(
        account=alice.account, prompt_type="cluster_naming", value="Nombra en {language}:\n{clusters}"
    )
    openai_answers.append({"clusters": []})

    _, run = run_now(
        alice.client(), "/api/v1/planner/keywords/auto_cluster/", {"site_id": alice.site.pk, **SEMANTIC}
    )

    assert run.status == "success"
    edited = openai_answers.requests[-1]["messages"][-1]["content"]
    assert edited.startswith("Nombra en Mexican Spanish (es-MX):\n1. ")


def test_per_site_and_per_sector_voices_reach_a_loopback_server(alice, german, spanish, settings):
    """The real OpenAI provider over a socket to a loopback listener: what it received is what
    the model would read. One run, two tasks: the site's sector writes in German, an overriding
    sector in Spanish."""
    from igny8.accounts.models import Sector
    from igny8.ai.providers import negotiation
    from igny8.system.models import IntegrationSettings
    from igny8.writer.models import Task
    from tests.loopback import Listener
    from tests.openai_fakes import chat_completion
    from tests.writer_ai.conftest import run_now as run_direct

    settings.OUTBOUND_ALLOW = ["127.0.0.1"]
    negotiation.forget_all()
    alice.site.author_profile = german
    alice.site.save()
    mexico = Sector.objects.create(
        account=alice.account, site=alice.site, name="México", author_profile=spanish
    )
    in_site = make_task(alice, "Mahlgrad")
    in_mexico = make_task(alice, "Molienda")
    Task.objects.filter(pk=in_mexico.pk).update(sector=mexico)
    with Listener(answer=chat_completion(json.dumps({**ARTICLE, "faq": []}))) as server:
        IntegrationSettings.objects.create(
            account=alice.account,
            integration_type="openai",
            config={"base_url": f"{server.url}/v1", "model": "llama3"},
            secrets={"apiKey": "local"},
        )
        run = run_direct(alice, "generate_content", {"ids": [in_site.pk, in_mexico.pk]})
    negotiation.forget_all()

    assert (run.status, run.items_succeeded, run.provider) == ("success", 2, "openai")
    prompts = [json.loads(request["body"])["messages"][-1]["content"] for request in server.received]
    by_title = {next(t for t in ("Mahlgrad", "Molienda") if f"Title: {t}\n" in p): p for p in prompts}
    assert GERMAN_VOICE in by_title["Mahlgrad"]
    assert SPANISH_VOICE in by_title["Molienda"]
