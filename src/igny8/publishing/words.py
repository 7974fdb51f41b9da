"""The meaningful words of a title or cluster name, shared by the internal linker and the site
structure planner (so both agree on what "the same topic" means)."""

import re

STOPWORDS = frozenset(
    {
        "the",
        "a",
        "an",
        "and",
        "or",
        "for",
        "of",
        "to",
        "in",
        "on",
        "with",
        "best",
        "how",
        "what",
        "vs",
        "your",
    }
)


def topic_words(text: str) -> list[str]:
    """Lower-case words of three letters or more, stop words left out, in their order."""
    return [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOPWORDS and len(w) > 2]
