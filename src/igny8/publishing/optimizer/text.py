"""Text helpers for scoring: keyword matching, sentences, syllables, Flesch reading ease."""

from __future__ import annotations

import re

_WORD = re.compile(r"[A-Za-z0-9']+")
_SENTENCE_END = re.compile(r"[.!?]+")


def normalise(text: str) -> str:
    return " ".join(text.lower().split())


def contains(text: str, phrase: str) -> bool:
    """Whole-word, case-insensitive; "espresso machine" does not match "espresso machines"."""
    phrase = normalise(phrase)
    if not phrase:
        return False
    words = [re.escape(w) for w in phrase.split()]
    return re.search(r"(?<![\w-])" + r"\s+".join(words) + r"(?![\w-])", normalise(text)) is not None


def count(text: str, phrase: str) -> int:
    """How often the phrase occurs, by the same whole-word, case-insensitive rule as `contains`."""
    phrase = normalise(phrase)
    if not phrase:
        return 0
    pattern = r"(?<![\w-])" + r"\s+".join(re.escape(w) for w in phrase.split()) + r"(?![\w-])"
    return len(re.findall(pattern, normalise(text)))


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def sentences(text: str) -> int:
    return max(1, len([part for part in _SENTENCE_END.split(text) if words(part)]))


def syllables(word: str) -> int:
    """Vowel groups, a silent final e dropped; every word has at least one."""
    word = word.lower().strip("'")
    groups = re.findall(r"[aeiouy]+", word)
    count = len(groups)
    if word.endswith("e") and not word.endswith(("le", "ee")) and count > 1:
        count -= 1
    return max(1, count)


def flesch_reading_ease(text: str) -> float:
    found = words(text)
    if not found:
        return 0.0
    per_sentence = len(found) / sentences(text)
    per_word = sum(syllables(w) for w in found) / len(found)
    return round(206.835 - 1.015 * per_sentence - 84.6 * per_word, 1)
