"""Small pure text helpers."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def normalize_keyword(text: str) -> str:
    """The form two keywords are compared in: NFKC, case-folded, single spaces, trimmed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


def clean_keyword(text: str) -> str:
    """The form a keyword is displayed in: NFKC with single spaces, case kept."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def is_id(text: str) -> bool:
    """Whether text is a plain decimal number such as "42". str.isdigit() alone also accepts "²"
    and other Unicode digits, which int() then refuses (a 500 the API fuzzer found)."""
    return text.isascii() and text.isdigit()
