"""Offline idea drafts are titled in the author profile's language (issue 14 points 1 and 5): the
titles are our words, like the drafts' labels, so a German, Spanish or French profile gets them in
its language; any other language keeps the English ones."""

import pytest

from igny8.planner.idea_drafts import KeywordInfo, offline_ideas
from igny8.planner.models import ContentIdea
from tests.planner_ai.conftest import add_cluster

KEYWORDS = [
    KeywordInfo("kaffeemühle", 900),
    KeywordInfo("mahlgrad espresso", 400),
    KeywordInfo("handmühle reinigen", 200),
]
COMPARED = [KeywordInfo("best burr grinder", 500), KeywordInfo("best blade grinder", 300)]
ASKED = [KeywordInfo("how to clean a grinder", 700), KeywordInfo("what is a burr", 300)]


@pytest.mark.parametrize(
    ("language", "titles"),
    [
        (
            "de-DE",
            [
                "Kaffeemühle: der komplette Leitfaden",
                "Der Einstieg in kaffeemühle",
                "Kaffeemühle: Tipps und bewährte Methoden",
            ],
        ),
        (
            "es-MX",
            [
                "Kaffeemühle: la guía completa",
                "Cómo empezar con kaffeemühle",
                "Kaffeemühle: consejos y buenas prácticas",
            ],
        ),
        (
            "fr",
            [
                "Kaffeemühle : le guide complet",
                "Bien débuter avec kaffeemühle",
                "Kaffeemühle : conseils et bonnes pratiques",
            ],
        ),
        (
            "ja",
            [
                "Kaffeemühle: The Complete Guide",
                "How to Get Started With Kaffeemühle",
                "Kaffeemühle: Tips and Best Practices",
            ],
        ),
    ],
)
def test_draft_titles_are_in_the_profiles_language(language, titles):
    assert [idea["title"] for idea in offline_ideas(KEYWORDS, language=language)] == titles


def test_every_kind_of_title_has_its_translation():
    assert [idea["title"] for idea in offline_ideas(COMPARED, language="es")] == [
        "Best burr grinder: la guía completa",
        "Burr grinder o blade grinder: ¿cuál elegir?",
        "Cómo empezar con best burr grinder",
        "Best burr grinder: consejos y buenas prácticas",
    ]
    assert [idea["title"] for idea in offline_ideas(ASKED, language="fr")] == [
        "How to clean a grinder : le guide complet",
        "2 questions sur how to clean a grinder, avec réponses",
        "How to clean a grinder : étape par étape",
        "How to clean a grinder : conseils et bonnes pratiques",
    ]
    assert [idea["title"] for idea in offline_ideas(ASKED[1:], language="es")][1] == (
        "¿What is a burr? La respuesta"
    )
    assert [idea["title"] for idea in offline_ideas(ASKED[1:], language="de")][1] == (
        "What is a burr? Die Antwort"
    )


@pytest.mark.django_db
def test_an_offline_ideas_run_titles_in_the_sites_profile_language(alice, german, run_now):
    alice.site.author_profile = german
    alice.site.save()
    cluster = add_cluster(alice, "Kaffeemühlen", [("kaffeemühle", 900, 20), ("mahlgrad espresso", 400, 10)])

    response, run = run_now(
        alice.client(), "/api/v1/planner/clusters/auto_generate_ideas/", {"ids": [cluster.pk]}
    )

    assert (response.status_code, run.status, run.provider) == (202, "success", "offline")
    ideas = ContentIdea.objects.filter(cluster=cluster).order_by("pk")
    assert [idea.title for idea in ideas] == [
        "Kaffeemühle: der komplette Leitfaden",
        "Der Einstieg in kaffeemühle",
        "Kaffeemühle: Tipps und bewährte Methoden",
    ]
    assert {idea.description for idea in ideas} == {
        "[Offline-Entwurf] Ohne KI-Modell aus den Keywords des Clusters erstellt; einen OpenAI-API-Schlüssel "
        "einrichten und neu erzeugen, um ein geschriebenes Briefing zu erhalten."
    }
