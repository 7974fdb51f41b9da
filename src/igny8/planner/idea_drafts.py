"""Content ideas built from a cluster's keywords alone, for the offline provider.

Pure functions over (keyword, volume, intent) tuples, so they are deterministic and testable
without a database. They are honest drafts: real structure from the real keywords, with every
description starting with the offline label so nobody mistakes them for an AI's work."""

from __future__ import annotations

from dataclasses import dataclass

from igny8.system.voice import labels

SMALL_WORDS = frozenset(
    ["a", "an", "and", "as", "at", "but", "by", "for", "in", "of", "on", "or", "the", "to", "vs", "with"]
)
QUESTION_WORDS = frozenset(
    [
        "how",
        "what",
        "why",
        "when",
        "where",
        "which",
        "who",
        "can",
        "does",
        "do",
        "is",
        "are",
        "should",
        "will",
    ]
)
COMMERCIAL_INTENTS = frozenset({"commercial", "transactional"})
# Words that make a keyword a shopping query; stripped to get the thing being compared.
BUYING_PREFIXES = ("best ", "cheap ", "buy ", "top ", "affordable ")
BUYING_SUFFIXES = (" review", " reviews", " price", " prices", " for sale")
SECONDARY_LIMIT = 8
# The drafts' titles are our words, so they are written in the profile's language (its primary
# subtag; English for any other). English titles are title-cased; the others start with a capital
# and keep the keywords as they were typed.
TITLES: dict[str, dict[str, str]] = {
    "en": {
        "guide": "{top}: The Complete Guide",
        "comparison": "{a} vs {b}: Which Should You Choose?",
        "questions": "{n} Questions About {top}, Answered",
        "question": "{question}? Answered",
        "how_to": "{how}: Step by Step",
        "start": "How to Get Started With {top}",
        "tips": "{top}: Tips and Best Practices",
    },
    "de": {
        "guide": "{top}: der komplette Leitfaden",
        "comparison": "{a} oder {b}: Was passt zu Ihnen?",
        "questions": "{n} Fragen zu {top}, beantwortet",
        "question": "{question}? Die Antwort",
        "how_to": "{how}: Schritt für Schritt",
        "start": "Der Einstieg in {top}",
        "tips": "{top}: Tipps und bewährte Methoden",
    },
    "es": {
        "guide": "{top}: la guía completa",
        "comparison": "{a} o {b}: ¿cuál elegir?",
        "questions": "{n} preguntas sobre {top}, respondidas",
        "question": "¿{question}? La respuesta",
        "how_to": "{how}: paso a paso",
        "start": "Cómo empezar con {top}",
        "tips": "{top}: consejos y buenas prácticas",
    },
    "fr": {
        "guide": "{top} : le guide complet",
        "comparison": "{a} ou {b} : lequel choisir ?",
        "questions": "{n} questions sur {top}, avec réponses",
        "question": "{question} ? La réponse",
        "how_to": "{how} : étape par étape",
        "start": "Bien débuter avec {top}",
        "tips": "{top} : conseils et bonnes pratiques",
    },
}


@dataclass(frozen=True)
class KeywordInfo:
    keyword: str
    volume: int = 0
    intent: str = "informational"


def headline(text: str) -> str:
    """Title case that keeps small words low and leaves words with capitals (iPhone) alone."""
    words = text.split()
    out = []
    for index, word in enumerate(words):
        if any(ch.isupper() for ch in word) or (index and word in SMALL_WORDS):
            out.append(word)
        else:
            out.append(word[:1].upper() + word[1:])
    return " ".join(out)


def draft_title(kind: str, *, language: str = "en", **values: object) -> str:
    """One draft title in the profile's language: TITLES[language][kind] filled with the values."""
    code = (language or "en").split("-")[0].lower()
    if code not in TITLES:
        code = "en"
    if code == "en":
        return TITLES["en"][kind].format(
            **{key: headline(value) if isinstance(value, str) else value for key, value in values.items()}
        )
    title = TITLES[code][kind].format(**values)
    start = 1 if title.startswith("¿") else 0
    return title[:start] + title[start : start + 1].upper() + title[start + 1 :]


def is_question(keyword: str) -> bool:
    first = keyword.split(maxsplit=1)[0].lower() if keyword.strip() else ""
    return first in QUESTION_WORDS


def product_subject(info: KeywordInfo) -> str | None:
    """The product a commercial keyword is about ("best burr grinder" -> "burr grinder")."""
    text = info.keyword.lower()
    buying = info.intent in COMMERCIAL_INTENTS or text.startswith(BUYING_PREFIXES)
    if not buying or is_question(text):
        return None
    for prefix in BUYING_PREFIXES:
        text = text.removeprefix(prefix)
    for suffix in BUYING_SUFFIXES:
        text = text.removesuffix(suffix)
    return text.strip() or None


def _secondary(keywords: list[KeywordInfo], primary: str) -> list[str]:
    return [k.keyword for k in keywords if k.keyword != primary][:SECONDARY_LIMIT]


def _idea(
    *,
    title: str,
    angle: str,
    outline: list[tuple[str, list[str]]],
    primary: str,
    keywords: list[KeywordInfo],
    structure: str,
    words: int,
) -> dict:
    english = labels("en")
    return {
        "title": title,
        "description": f"{english['offline']} {angle} {english['idea_note']}",
        "outline": [{"heading": heading, "subsections": subs} for heading, subs in outline],
        "primary_keyword": primary,
        "secondary_keywords": _secondary(keywords, primary),
        "content_type": "post",
        "content_structure": structure,
        "estimated_word_count": words,
    }


def _guide(
    top: str, topics: list[str], questions: list[str], keywords: list[KeywordInfo], language: str
) -> dict:
    outline = [(f"What Is {headline(top)}?", [f"Why {top} matters", "Key terms to know"])]
    outline += [(headline(topic), [f"{headline(topic)} basics", f"Tips for {topic}"]) for topic in topics[:4]]
    if questions:
        outline.append(("Frequently Asked Questions", [headline(q) + "?" for q in questions[:5]]))
    return _idea(
        title=draft_title("guide", language=language, top=top),
        angle=f"A complete guide to {top}, covering {', '.join(topics[:3]) or 'the essentials'}.",
        outline=outline,
        primary=top,
        keywords=keywords,
        structure="guide",
        words=2500,
    )


def _comparison(first: KeywordInfo, a: str, b: str, keywords: list[KeywordInfo], language: str) -> dict:
    outline = [
        (f"{headline(a)} at a Glance", ["Strengths", "Drawbacks"]),
        (f"{headline(b)} at a Glance", ["Strengths", "Drawbacks"]),
        ("Side-by-Side Comparison", ["Price and value", "Performance", "Ease of use"]),
        ("Which One Is Right for You?", [f"Choose {a} if...", f"Choose {b} if..."]),
    ]
    return _idea(
        title=draft_title("comparison", language=language, a=a, b=b),
        angle=f"A side-by-side comparison of {a} and {b} for readers deciding what to buy.",
        outline=outline,
        primary=first.keyword,
        keywords=keywords,
        structure="comparison",
        words=1800,
    )


def _faq(top: str, questions: list[str], keywords: list[KeywordInfo], language: str) -> dict:
    shown = questions[:7]
    return _idea(
        title=(
            draft_title("questions", language=language, n=len(shown), top=top)
            if len(shown) > 1
            else draft_title("question", language=language, question=shown[0])
        ),
        angle=f"Straight answers to the questions people search about {top}.",
        outline=[(headline(q) + "?", ["Short answer", "In more detail"]) for q in shown],
        primary=shown[0],
        keywords=keywords,
        structure="listicle",
        words=1500,
    )


def _how_to(top: str, how: str | None, keywords: list[KeywordInfo], language: str) -> dict:
    subject = how[len("how to ") :] if how else top
    title = (
        draft_title("how_to", language=language, how=how)
        if how
        else draft_title("start", language=language, top=top)
    )
    outline = [
        ("What You Need", ["Equipment", "Before you begin"]),
        ("Step-by-Step Instructions", ["Step 1: Prepare", "Step 2: Do it", "Step 3: Check the result"]),
        ("Common Mistakes to Avoid", []),
        ("Next Steps", []),
    ]
    return _idea(
        title=title,
        angle=f"A practical walkthrough of {subject} for beginners.",
        outline=outline,
        primary=how or top,
        keywords=keywords,
        structure="how_to",
        words=1500,
    )


def _tips(top: str, topics: list[str], keywords: list[KeywordInfo], language: str) -> dict:
    tips = topics[:5] or [top]
    return _idea(
        title=draft_title("tips", language=language, top=top),
        angle=f"Quick, practical tips that help readers get more out of {top}.",
        outline=[(f"Tip {n}: {headline(topic)}", []) for n, topic in enumerate(tips, 1)],
        primary=top,
        keywords=keywords,
        structure="listicle",
        words=1200,
    )


def offline_ideas(keywords: list[KeywordInfo], *, language: str = "en") -> list[dict]:
    """The drafts below; for a profile in another language (de, es, fr) each title is ours in that
    language and each description our note in it (the English angle sentence is left out)."""
    ideas = _offline_ideas(keywords, language=language)
    words = labels(language)
    if words is not labels("en"):
        ideas = [{**idea, "description": f"{words['offline']} {words['idea_note']}"} for idea in ideas]
    return ideas


def _offline_ideas(keywords: list[KeywordInfo], *, language: str) -> list[dict]:
    """Three to five ideas in the shape of the ideas schema: a guide, a comparison when two
    product-like keywords exist, a question listicle when question keywords exist, a how-to and
    a tips listicle. Keywords are ordered by volume (then text) so the output is deterministic."""
    ordered = sorted(keywords, key=lambda k: (-k.volume, k.keyword))
    if not ordered:
        return []
    top = ordered[0].keyword
    questions = [k.keyword for k in ordered if is_question(k.keyword)]
    topics = [k.keyword for k in ordered[1:] if not is_question(k.keyword)]
    ideas = [_guide(top, topics, questions, ordered, language)]
    products: dict[str, KeywordInfo] = {}
    for info in ordered:
        subject = product_subject(info)
        if subject and subject not in products:
            products[subject] = info
    if len(products) >= 2:
        (a, first), (b, _) = list(products.items())[:2]
        ideas.append(_comparison(first, a, b, ordered, language))
    if questions:
        ideas.append(_faq(top, questions, ordered, language))
    how = next((q for q in questions if q.lower().startswith("how to ")), None)
    ideas.append(_how_to(top, how, ordered, language))
    ideas.append(_tips(top, topics, ordered, language))
    return ideas
