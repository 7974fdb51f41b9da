"""The voice a run writes in: an author profile (or the plain default) merged with a batch's
overrides, turned into prompt placeholders and into the words of our own labels (offline drafts,
the FAQ heading) in the profile's language. Pure: no database, so prompts and tests share it."""

from __future__ import annotations

import functools
import re
from dataclasses import asdict, dataclass, field
from importlib import resources

from django.conf.locale import LANG_INFO

# BCP 47 in the shape people use: language[-Script][-REGION|-UN M.49][-variant...]
BCP47 = re.compile(
    r"^(?P<language>[a-zA-Z]{2,3})(-[a-zA-Z]{4})?(-(?P<region>[a-zA-Z]{2}|[0-9]{3}))?(-([a-zA-Z0-9]{5,8}|[0-9][a-zA-Z0-9]{3}))*$"
)
# The batch's choice of article shape: the ideas and articles a run writes use it.
CONTENT_STRUCTURES = ("how_to", "listicle", "review", "comparison", "pillar")
MIN_WORDS, MAX_WORDS = 300, 10_000

POINT_OF_VIEW_TEXT = {
    "first_singular": "first person singular (I)",
    "first_plural": "first person plural (we)",
    "second": "second person (you)",
    "third": "third person",
}
READING_LEVEL_TEXT = {
    "simple": "simple: plain words and short sentences",
    "general": "the general public",
    "expert": "experts: use the field's vocabulary",
}

# Our own words in a draft or an article, per language (the profile's primary subtag); English
# for any other language. The model writes everything else in the profile's language itself.
LABELS: dict[str, dict[str, str]] = {
    "en": {
        "offline": "[Offline draft]",
        "notice": "Offline draft: this is not a written article.",
        "notice_more": "No AI provider was configured, so IGNY8 made this skeleton from the outline. "
        "A person must write it, or regenerate it once an AI provider is set up in Settings > Integrations.",
        "section": "Placeholder: write this section ({heading}).",
        "subsection": "Placeholder: write this subsection ({heading}).",
        "about": "Not written yet: a skeleton about {topic}.",
        "excerpt": "Skeleton made without an AI provider; write or regenerate it.",
        "faq": "Frequently asked questions",
        "faq_answer": "Placeholder: answer this question.",
        "idea_note": "Built from the cluster's keywords without an AI model; configure an OpenAI API key "
        "and regenerate for a written brief.",
    },
    "de": {
        "offline": "[Offline-Entwurf]",
        "notice": "Offline-Entwurf: Dies ist kein geschriebener Artikel.",
        "notice_more": "Es war kein KI-Anbieter eingerichtet, daher hat IGNY8 dieses Gerüst aus der "
        "Gliederung erstellt. Ein Mensch muss ihn schreiben, oder er wird neu erzeugt, sobald unter "
        "Einstellungen > Integrationen ein KI-Anbieter eingerichtet ist.",
        "section": "Platzhalter: Diesen Abschnitt schreiben ({heading}).",
        "subsection": "Platzhalter: Diesen Unterabschnitt schreiben ({heading}).",
        "about": "Noch nicht geschrieben: ein Gerüst zum Thema {topic}.",
        "excerpt": "Gerüst ohne KI-Anbieter erstellt; schreiben oder neu erzeugen.",
        "faq": "Häufig gestellte Fragen",
        "faq_answer": "Platzhalter: Diese Frage beantworten.",
        "idea_note": "Ohne KI-Modell aus den Keywords des Clusters erstellt; einen OpenAI-API-Schlüssel "
        "einrichten und neu erzeugen, um ein geschriebenes Briefing zu erhalten.",
    },
    "es": {
        "offline": "[Borrador sin conexión]",
        "notice": "Borrador sin conexión: esto no es un artículo escrito.",
        "notice_more": "No había ningún proveedor de IA configurado, así que IGNY8 creó este esqueleto a "
        "partir del esquema. Una persona debe escribirlo, o regenerarlo cuando haya un proveedor de IA en "
        "Ajustes > Integraciones.",
        "section": "Marcador: escribe esta sección ({heading}).",
        "subsection": "Marcador: escribe esta subsección ({heading}).",
        "about": "Aún sin escribir: un esqueleto sobre {topic}.",
        "excerpt": "Esqueleto creado sin proveedor de IA; escríbelo o regenéralo.",
        "faq": "Preguntas frecuentes",
        "faq_answer": "Marcador: responde a esta pregunta.",
        "idea_note": "Creado a partir de las palabras clave del clúster sin un modelo de IA; configura una "
        "clave de API de OpenAI y vuelve a generarlo para obtener un briefing escrito.",
    },
    "fr": {
        "offline": "[Brouillon hors ligne]",
        "notice": "Brouillon hors ligne : ceci n'est pas un article rédigé.",
        "notice_more": "Aucun fournisseur d'IA n'était configuré : IGNY8 a donc créé ce squelette à partir "
        "du plan. Une personne doit le rédiger, ou le régénérer une fois un fournisseur d'IA configuré dans "
        "Paramètres > Intégrations.",
        "section": "Espace réservé : rédigez cette section ({heading}).",
        "subsection": "Espace réservé : rédigez cette sous-section ({heading}).",
        "about": "Pas encore rédigé : un squelette sur {topic}.",
        "excerpt": "Squelette créé sans fournisseur d'IA ; rédigez-le ou régénérez-le.",
        "faq": "Questions fréquentes",
        "faq_answer": "Espace réservé : répondez à cette question.",
        "idea_note": "Créé à partir des mots-clés du cluster sans modèle d'IA ; configurez une clé d'API "
        "OpenAI et régénérez-le pour obtenir un brief rédigé.",
    },
}

# The placeholders every text prompt may use (system/prompts.py adds them to each text type).
VOICE_PLACEHOLDERS: frozenset[str] = frozenset(
    {
        "language",
        "country",
        "tone",
        "point_of_view",
        "audience",
        "reading_level",
        "brand_voice",
        "words_to_use",
        "words_to_avoid",
        "faq",
        "example_passages",
    }
)


@dataclass(frozen=True)
class Voice:
    """What a run's prompts say about voice; `profile_id` is None for the plain default."""

    profile_id: int | None = None
    profile_name: str = ""
    language: str = "en"
    country: str = ""
    tone: str = ""
    point_of_view: str = ""
    audience: str = ""
    reading_level: str = ""
    brand_voice: str = ""
    words_to_use: list[str] = field(default_factory=list)
    words_to_avoid: list[str] = field(default_factory=list)
    article_length: int | None = None
    include_faq: bool = False
    example_passages: str = ""
    # The batch's overrides that are not a profile's: the article shape.
    content_structure: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def language_problem(tag: str) -> str:
    """'' when `tag` is a BCP 47 tag whose language we can name, else what is wrong."""
    match = BCP47.match(tag or "")
    if not match:
        return f"{tag!r} is not a language tag; write a BCP 47 tag such as en, de-AT or pt-BR."
    if match["language"].lower() not in LANG_INFO:
        return (
            f"{match['language']!r} is not a language we know; write a BCP 47 tag such as en, de-AT or pt-BR."
        )
    return ""


def normalise_language(tag: str) -> str:
    """de-at -> de-AT, ZH-hant-tw -> zh-Hant-TW (BCP 47's conventional casing)."""
    parts = tag.split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) == 2 and part.isalpha():
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)


@functools.cache
def countries() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code -> English name, from the tz database's table (the tzdata package)."""
    text = (resources.files("tzdata") / "zoneinfo" / "iso3166.tab").read_text(encoding="utf-8")
    rows = (line.split("\t", 1) for line in text.splitlines() if line and not line.startswith("#"))
    return {code: name.strip() for code, name in rows}


def country_problem(code: str) -> str:
    if code and code.upper() not in countries():
        return f"{code!r} is not an ISO 3166 country code; write two letters such as DE, ES or US."
    return ""


def language_name(tag: str) -> str:
    """'German (de-AT)': the English name and the tag, as the prompt says it."""
    primary = tag.split("-")[0].lower()
    info = LANG_INFO.get(tag.lower()) or LANG_INFO.get(primary) or {}
    return f"{info.get('name', tag)} ({tag})" if info else tag


def is_right_to_left(tag: str) -> bool:
    primary = tag.split("-")[0].lower()
    return bool((LANG_INFO.get(tag.lower()) or LANG_INFO.get(primary) or {}).get("bidi"))


def labels(language: str) -> dict[str, str]:
    return LABELS.get((language or "en").split("-")[0].lower(), LABELS["en"])


def _listed(words: list[str]) -> str:
    return ", ".join(words) if words else "(none)"


def prompt_values(voice: Voice) -> dict[str, str]:
    """The VOICE_PLACEHOLDERS' values: a person's words, with a plain default for what is unset."""
    country = countries().get(voice.country, voice.country) if voice.country else "any country"
    faq_heading = labels(voice.language)["faq"]
    return {
        "language": language_name(voice.language),
        "country": country,
        "tone": voice.tone or "clear and helpful",
        "point_of_view": POINT_OF_VIEW_TEXT.get(voice.point_of_view, "whichever reads best"),
        "audience": voice.audience or "general readers",
        "reading_level": READING_LEVEL_TEXT.get(voice.reading_level, "the general public"),
        "brand_voice": voice.brand_voice or "(none)",
        "words_to_use": _listed(voice.words_to_use),
        "words_to_avoid": _listed(voice.words_to_avoid),
        "faq": (
            f'yes: put 3 to 5 questions readers ask, each with a short answer, in "faq" '
            f"(they are shown under the heading {faq_heading!r}; do not repeat them in the html)"
            if voice.include_faq
            else 'no: leave "faq" empty'
        ),
        "example_passages": voice.example_passages or "(none)",
    }


def clustering_note(language: str) -> str:
    """What semantic clustering quality to expect for keywords in this language: the bundled
    embedding model (all-MiniLM-L6-v2) was trained on English. Measured by
    bench/cluster_languages.py (docs/clustering.md "Other languages")."""
    primary = (language or "en").split("-")[0].lower()
    if primary == "en":
        return ""
    return (
        "Keyword clustering uses an English embedding model: keywords in this language group less "
        "reliably (measured on the same intents: German 0.40, Spanish 0.53, English 0.50 adjusted "
        "Rand index at the default threshold; other languages and scripts may do worse). Review the "
        "clusters, or use the llm clustering method, which reads any language."
    )
