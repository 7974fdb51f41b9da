"""How WordPress stores a slug it is sent, for finding a post again by the slug we sent.

WordPress (6.1, seen on a real one) removes accents from a slug when it saves it (remove_accents:
`café-über` is stored as `cafe-uber`, or `cafe-ueber` on a German site) but not when a request
looks one up (`GET /wp/v2/posts?slug=café-über` matches nothing). A lookup therefore asks for
every form WordPress may have stored; `?slug=` takes a comma-separated list."""

from __future__ import annotations

import unicodedata

# Letters remove_accents() replaces that have no Unicode decomposition to strip.
_LETTERS = str.maketrans({"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "đ": "d", "ł": "l", "þ": "th", "ð": "d"})
# The locales whose remove_accents() differs for these letters: de_* (ä ö ü), da_DK (æ ø å).
_GERMAN_DANISH = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ø": "oe", "å": "aa"})


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def stored_forms(slug: str) -> list[str]:
    """The slug as sent, then as WordPress stores it with its accents removed (the default
    locale's way and the German/Danish way); letters of other scripts are kept as they are, as
    WordPress keeps them (percent-encoded, which a lookup matches)."""
    if slug.isascii():
        return [slug]
    return list(dict.fromkeys([slug, _strip_accents(slug), _strip_accents(slug.translate(_GERMAN_DANISH))]))
