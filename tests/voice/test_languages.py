"""Keywords, clusters and articles in another language, end to end and offline (issue 14 point 4):
German keywords through the headless pipeline (import, semantic clustering with the bundled
model, ideas, articles) for a site whose author profile is German."""

import pytest

from igny8.planner.models import Cluster, ContentIdea, Keyword
from igny8.writer.models import Content
from tests.pipeline.test_plan_before_spend import keyword_file, pipeline
from tests.voice.conftest import make_profile

GERMAN = [
    "espressomaschine kaufen",
    "beste espressomaschine",
    "espressomaschine test",
    "siebträgermaschine kaufen",
    "espressomaschine vergleich",
    "milchschaum ohne aufschäumer",
    "milch aufschäumen",
    "milchaufschäumer test",
    "perfekter milchschaum cappuccino",
    "hafermilch aufschäumen",
]


@pytest.fixture(autouse=True)
def _no_key(settings):
    settings.OPENAI_API_KEY = ""


@pytest.mark.django_db(transaction=True)
def test_a_german_site_goes_through_the_pipeline_offline(alice, tmp_path):
    profile = make_profile(alice, "Kaffee-Blog", language="de-DE", country="DE", include_faq=True)
    alice.site.author_profile = profile
    alice.site.save()

    output = pipeline(
        keyword_file(tmp_path, GERMAN),
        "--site",
        "Alice Site",
        "--provider",
        "offline",
        "--stages",
        "cluster,ideas,content",
    )

    assert "credits 0" in output.splitlines()
    stored = set(Keyword.objects.filter(site=alice.site).values_list("keyword", flat=True))
    assert {"siebträgermaschine kaufen", "milchschaum ohne aufschäumer"} <= stored
    clusters = list(Cluster.objects.filter(site=alice.site).order_by("name").values_list("name", flat=True))
    assert clusters, output
    assert all(name in GERMAN for name in clusters)  # offline: named by a member keyword, as written
    descriptions = set(ContentIdea.objects.filter(site=alice.site).values_list("description", flat=True))
    assert descriptions == {
        "[Offline-Entwurf] Ohne KI-Modell aus den Keywords des Clusters erstellt; einen OpenAI-API-Schlüssel "
        "einrichten und neu erzeugen, um ein geschriebenes Briefing zu erhalten."
    }
    contents = list(Content.objects.filter(site=alice.site).order_by("pk"))
    assert contents
    for content in contents:
        assert content.html.startswith(
            "<p><strong>Offline-Entwurf: Dies ist kein geschriebener Artikel.</strong>"
        )
        assert (
            content.excerpt
            == "[Offline-Entwurf] Gerüst ohne KI-Anbieter erstellt; schreiben oder neu erzeugen."
        )
        assert content.structured_data[0]["inLanguage"] == "de-DE"
        assert content.structured_data[0]["author"] == {"@type": "Person", "name": "Kaffee-Blog"}


@pytest.mark.django_db
def test_right_to_left_articles_read_so_in_the_editor(alice):
    from tests.web.conftest import signed_in
    from tests.writer_ai.conftest import make_task
    from tests.writer_ai.conftest import run_now as run_direct

    arabic = make_profile(alice, "مدونة القهوة", language="ar", country="EG")
    alice.sector.author_profile = arabic
    alice.sector.save()
    task = make_task(alice, "طحن القهوة للإسبريسو")
    run_direct(alice, "generate_content", {"ids": [task.pk]})
    content = Content.objects.get(task=task)
    assert content.title == "طحن القهوة للإسبريسو"
    assert content.structured_data[0]["inLanguage"] == "ar"
    assert content.html.startswith("<p><strong>Offline draft:")  # our words: English when untranslated

    page = signed_in(alice.user).get(f"/writer/content/{content.pk}/").content.decode()
    assert '<article class="card article" aria-label="Article" lang="ar" dir="rtl">' in page
    assert 'name="meta_title"' in page and 'dir="auto"' in page
