"""Search intent and discriminating modifiers of a keyword, by deterministic rules over its words.

`classify(text)` gives a keyword's `Signature`: its search intent (informational, commercial,
transactional, navigational) and, per modifier dimension (audience, platform, condition, ...),
the values it names. Two keywords whose signatures `conflict` never share a cluster: "best running
shoes" (commercial) and "how to clean running shoes" (informational), or "... for women" and
"... for men". A keyword that names no value of a dimension (or carries no intent cue) is not
in conflict with anyone on it: "running shoes women" may join "best women's running shoes".

Why rules and not a model: the modifier words are few, known and language-specific, the rules are
explainable to an SEO user ("split because one says women and the other men"), fully deterministic
and need no training data. The word lists live in `lexicon.py`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import (
    COMMERCIAL,
    COMMERCIAL_QUESTIONS,
    DIMENSIONS,
    HOW_TO,
    IGNORED,
    IMPERATIVES,
    INFORMATIONAL,
    MEASURE_JUDGES,
    MEASURES,
    MODIFIERS,
    NAVIGATIONAL,
    QUESTION_WORDS,
    TRANSACTIONAL,
)

INFORMATIONAL_INTENT = "informational"
COMMERCIAL_INTENT = "commercial"
TRANSACTIONAL_INTENT = "transactional"
NAVIGATIONAL_INTENT = "navigational"
INTENTS = (INFORMATIONAL_INTENT, COMMERCIAL_INTENT, TRANSACTIONAL_INTENT, NAVIGATIONAL_INTENT)

_YEAR = re.compile(r"^(19|20)\d\d$")
_AMOUNT = re.compile(r"^[$£€]?\d[\d,.]*k?$")
_PRICE_LIMITS = frozenset({"under", "below"})
_DOMAIN = re.compile(r"^[a-z0-9-]+\.(com|org|net|co|io|gov|edu)(\.[a-z]{2})?$")
_SITE_WORDS = frozenset({"www", "website", "site", "official", "app", "home", "page", "homepage"})
_TOKEN = re.compile(r"[\w.+#$%/-]+")
HOW_TO_TABLE = dict.fromkeys(HOW_TO, True)
_TABLES = (MODIFIERS, COMMERCIAL, COMMERCIAL_QUESTIONS, TRANSACTIONAL, NAVIGATIONAL, INFORMATIONAL)
# "which laptop should I buy" compares products; "where to buy" is transactional.
_COMPARING_WORDS = frozenset({"which", "what", "cuál", "qué", "welche"})


@dataclass(frozen=True, slots=True)
class Signature:
    """What a keyword says beyond its topic. `intent` is the classified intent (always one of the
    four, for display); `cued` tells whether a word said so (only cued intents can conflict)."""

    intent: str
    cued: bool
    modifiers: tuple[tuple[str, frozenset[str]], ...]  # (dimension, values), dimensions sorted

    def values(self, dimension: str) -> frozenset[str]:
        return dict(self.modifiers).get(dimension, frozenset())

    def describe(self) -> str:
        """Human words for why keywords were kept apart: 'commercial; audience: women'."""
        parts = [self.intent] if self.cued else []
        parts += [f"{dimension}: {', '.join(sorted(values))}" for dimension, values in self.modifiers]
        return "; ".join(parts)


def tokens(text: str) -> tuple[str, ...]:
    """Words of a normalised keyword; apostrophes dropped so "women's" and "womens" are one word."""
    cleaned = re.sub(r"['\u2019`]", "", text.casefold())
    return tuple(word.strip(".-/") for word in _TOKEN.findall(cleaned) if word.strip(".-/"))


Phrase = tuple[str, ...]


def _by_first_word(table: dict[Phrase, object]) -> dict[str, tuple[int, ...]]:
    """Phrase lengths per first word, longest first: a keyword's words are looked up, not scanned."""
    lengths: dict[str, set[int]] = {}
    for phrase in table:
        lengths.setdefault(phrase[0], set()).add(len(phrase))
    return {word: tuple(sorted(found, reverse=True)) for word, found in lengths.items()}


_FIRST_WORDS = {id(table): _by_first_word(table) for table in (*_TABLES, HOW_TO_TABLE)}


def _phrases(words: Phrase, table: dict[Phrase, object]) -> list[tuple[int, Phrase]]:
    """Longest phrases of `table` found left to right, each word used once: (position, phrase)."""
    first = _FIRST_WORDS[id(table)]
    found = []
    position = 0
    while position < len(words):
        for length in first.get(words[position], ()):
            phrase = words[position : position + length]
            if phrase in table:
                found.append((position, phrase))
                position += length
                break
        else:
            position += 1
    return found


def intent_of(words: tuple[str, ...]) -> tuple[str, bool]:
    """(intent, cued). Order matters and is the point of the rules:
    1. navigational cues (login, sign in, a domain) win;
    2. "how to ..." / "best way to ..." / "best mowing height for ..." asks for knowledge, whatever
       follows;
    3. "which/what X should I buy" compares products before buying;
    4. transactional cues (near me, buy, coupon, sale; "order" / "book" / "apply" first);
    5. commercial cues (best, top, review, vs, compare);
    6. a question word first, or a knowledge cue (guide, tips, recipe, symptoms) -> informational;
    7. no cue: commercial if the keyword names a product-like modifier, else informational, and
       not cued (it conflicts with no intent)."""
    if not words:
        return INFORMATIONAL_INTENT, False
    if _phrases(words, NAVIGATIONAL) or _only_a_domain(words):
        return NAVIGATIONAL_INTENT, True
    if _phrases(words, HOW_TO_TABLE) or _asks_for_a_measure(words):
        return INFORMATIONAL_INTENT, True
    if words[0] in _COMPARING_WORDS and _phrases(words, COMMERCIAL_QUESTIONS):
        return COMMERCIAL_INTENT, True
    if _phrases(words, TRANSACTIONAL) or words[0] in IMPERATIVES:
        return TRANSACTIONAL_INTENT, True
    if _phrases(words, COMMERCIAL):
        return COMMERCIAL_INTENT, True
    if words[0] in QUESTION_WORDS or _phrases(words, INFORMATIONAL):
        return INFORMATIONAL_INTENT, True
    return INFORMATIONAL_INTENT, False


def _only_a_domain(words: tuple[str, ...]) -> bool:
    """ "monday.com" or "monday.com official site" looks for the site; "monday.com cost" and
    "asana vs monday.com" ask about the product, with its domain as its name."""
    domains = [word for word in words if _DOMAIN.match(word)]
    return bool(domains) and all(word in _SITE_WORDS for word in words if word not in domains)


def _asks_for_a_measure(words: tuple[str, ...]) -> bool:
    """ "best mowing height for grass": a measure noun, last or before for / to / of, and a judging
    word ("best", "ideal", "recommended") anywhere; "best pressure washer" names a product."""
    if not MEASURE_JUDGES.intersection(words):
        return False
    following = (*words[1:], "")
    return any(
        word in MEASURES and after in ("", "for", "to", "of")
        for word, after in zip(words, following, strict=True)
    )


def modifiers_of(words: tuple[str, ...]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    taken: set[int] = set()
    for position, phrase in _phrases(words, MODIFIERS):
        taken.update(range(position, position + len(phrase)))
        dimension, value = MODIFIERS[phrase]
        if dimension == IGNORED:
            continue
        found.setdefault(dimension, set()).add(value)
    for position, word in enumerate(words):
        if _YEAR.match(word):
            found.setdefault("year", set()).add(word)
            continue
        if position in taken or position == 0:
            continue
        before = words[position - 1]
        if before in _PRICE_LIMITS and _AMOUNT.match(word) and position - 1 not in taken:
            found.setdefault("price", set()).add("budget")  # "under $20", "below 300"
            continue
        if position - 1 in taken or before in _NOT_A_QUALIFIER or before in _CUE_WORDS or before.isdigit():
            continue
        # Open-ended qualifiers no list can hold: "side sleepers" / "back sleepers", "young
        # drivers", "heavy people" are audiences; "shoulder pain", "oily skin", "curly hair" are
        # conditions.
        if word in PERSON_NOUNS:
            found.setdefault("audience", set()).add(f"{before} {PERSON_NOUNS[word]}")
        elif word in CONDITION_NOUNS:
            found.setdefault("condition", set()).add(f"{before} {word}")
    use = _use_of(words, taken)
    if use is not None and not found.keys() & _NAMED_BY_LISTS:
        found.setdefault(USE, set()).add(use)
    return found


def _use_of(words: tuple[str, ...], taken: set[int]) -> str | None:
    """The open-ended need after the last "for": "project management software for charities" ->
    "charities", "vpn for netflix" -> "netflix". None when there is no such phrase, when a word
    list already names it ("for women", "for flat feet") or when it is a pronoun, a price word or
    longer than three words. Which of these values mean the same need ("charities" / "nonprofits")
    is decided per keyword list (qualifiers.py), by their meaning."""
    for position in range(len(words) - 2, 0, -1):
        if words[position] != "for" or position in taken:
            continue
        span: list[str] = []
        for after in range(position + 1, len(words)):
            word = words[after]
            if after in taken:
                return None
            if word in _USE_ENDS or _YEAR.match(word) or word in _FILLER:
                break
            span.append(word)
        while span and span[0] in _NOT_A_QUALIFIER:
            span.pop(0)
        if not 1 <= len(span) <= 3 or _NOT_A_USE.intersection(span):
            return None
        return " ".join(span)
    return None


def classify(text: str) -> Signature:
    words = tokens(text)
    intent, cued = intent_of(words)
    found = modifiers_of(words)
    if not cued and found.keys() & PRODUCT_DIMENSIONS:
        intent = COMMERCIAL_INTENT  # "running shoes women": a product, not a question
    modifiers = tuple((dimension, frozenset(found[dimension])) for dimension in sorted(found))
    return Signature(intent=intent, cued=cued, modifiers=modifiers)


def classify_intent(text: str) -> str:
    """The search intent shown in the keyword table (always one of INTENTS)."""
    return classify(text).intent


def conflict(a: Signature, b: Signature) -> str | None:
    """Why two keywords may not share a cluster (human words), or None when they may. The same
    rule as constraints.Codes.conflicts, one pair at a time."""
    if a.cued and b.cued and a.intent != b.intent:
        return f"{a.intent} vs {b.intent} intent"
    mine = dict(a.modifiers)
    for dimension, values in b.modifiers:
        if dimension in mine and not mine[dimension] & values:
            return f"{dimension}: {', '.join(sorted(mine[dimension]))} vs {', '.join(sorted(values))}"
    facets_a = {(d, v) for d, values in a.modifiers if d in FACETS for v in values}
    facets_b = {(d, v) for d, values in b.modifiers if d in FACETS for v in values}
    if facets_a and facets_b and not facets_a & facets_b:
        named = (", ".join(sorted(v for _, v in facets)) for facets in (facets_a, facets_b))
        return " vs ".join(named)
    return None


# Words that say how to rank results, not what the topic is: dropped from the text that is
# embedded, so "best men's running shoes" and "men's running shoes reviews" embed alike.
_FILLER = frozenset(
    [
        "best",
        "top",
        "good",
        "rated",
        "review",
        "reviews",
        "recommended",
        "great",
        "most",
        "comfortable",
        "comparison",
        "2023",
        "2024",
        "2025",
        "2026",
        "mejores",
        "mejor",
        "beste",
    ]
)

# Nouns for kinds of people: the word before one names an audience ("side sleepers", "young
# drivers", "heavy people"); plural and singular give one value ("back sleeper mattress").
PERSON_NOUNS = {
    word: forms.split(",")[0]
    for forms in (
        "sleepers,sleeper",
        "people,persons,person",
        "drivers,driver",
        "riders,rider",
        "players,player",
        "gamers,gamer",
        "users,user",
        "owners,owner",
        "workers,worker",
        "walkers,walker",
        "hikers,hiker",
        "lifters,lifter",
        "athletes,athlete",
        "travellers,traveller",
        "parents,parent",
        "moms,mom,mums,mum",
        "dads,dad",
        "couples,couple",
    )
    for word in forms.split(",")
}
# Nouns whose qualifier names a condition or type of the person: "shoulder pain", "oily skin",
# "curly hair", "sensitive teeth", "dry eyes".
CONDITION_NOUNS = frozenset({"pain", "skin", "hair", "scalp", "teeth", "gums", "eyes"})
# Words before a person noun that qualify nothing ("for people", "the drivers").
_NOT_A_QUALIFIER = frozenset(
    [
        *("a", "an", "the", "for", "to", "of", "with", "and", "or", "in", "on", "by", "from", "at"),
        *("my", "your", "our", "their", "his", "her", "its", "as", "all", "most", "many", "some"),
        *("other", "these", "those", "who", "that"),
    ]
)
# Ranking and intent words qualify no person or condition: "best skin care" names no kind of skin,
# "apply skin products" none either ("top drivers" is a ranking, not an audience).
_CUE_WORDS = (
    _FILLER
    | IMPERATIVES
    | {
        phrase[0]
        for table in (COMMERCIAL, TRANSACTIONAL, INFORMATIONAL)
        for phrase in table
        if len(phrase) == 1
    }
)
# The open-ended need named after "for" (_use_of), when no word list names one.
USE = "use"
# Words that end the phrase after "for": "for teams in 2025", "for mac or windows".
_USE_ENDS = frozenset(
    [
        *("in", "on", "near", "with", "without", "under", "below", "vs", "versus", "or"),
        *("and", "reddit", "that", "which", "to", "from", "by", "at", "like", "if", "when", "?"),
    ]
)
# Not a need: "good for you", "for sale", "for free", "pay for it", "for the money".
_NOT_A_USE = frozenset(
    [
        *("you", "me", "it", "them", "us", "him", "yourself", "myself", "this", "that", "sale"),
        *("free", "money", "cheap", "less", "cash", "everyone", "anyone", "everything", "all"),
        *("people", "person", "persons", "someone", "somebody", "everybody"),
    ]
)
# A keyword naming one of these by a word list has its need named already ("best shoes for
# women" is an audience): the phrase after "for" adds nothing.
_NAMED_BY_LISTS = frozenset({"audience", "animal", "condition", "platform", "size"})
# Dimensions that make a keyword without intent words a product query ("trail shoes women").
PRODUCT_DIMENSIONS = frozenset(
    {"accessory", "audience", "brand", "material", "price", "size", "year", "variant", USE}
)
# Dimensions that say which need a page serves: two keywords that both name facets must share
# one ("running shoes for flat feet" vs "... for wide feet": condition vs size, different pages).
FACETS = frozenset(
    {
        *("accessory", "audience", "animal", "condition", "variant", "material", "size", "platform"),
        *("price", "service"),
    }
)
assert {*DIMENSIONS, "year", USE} >= PRODUCT_DIMENSIONS | FACETS


def topic_text(text: str) -> str:
    """What the intent-aware method embeds: the keyword without ranking words (kept whole if
    nothing else would remain). Intent and modifiers are judged by the rules, not the vectors."""
    words = tokens(text)
    kept = [word for word in words if word not in _FILLER]
    return " ".join(kept) if kept else " ".join(words)
