"""Keywords, clusters and articles in another language, end to end and offline (issue 14 point 4):
German keywords through the headless pipeline (import, semantic clustering with the bundled
model, ideas, articles) for a site whose author profile is German."""

import pytest

from igny8.planner.models import Cluster, Keyword
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
