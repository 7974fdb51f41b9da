"""Validating one cell at a time. Each parser returns the value or raises ValueError with a
message that names what is wrong and what was found."""

import re
from decimal import Decimal, InvalidOperation

from igny8.planner.models import Intent

_INTENT_ABBREVIATIONS = {
    "i": Intent.INFORMATIONAL,
    "c": Intent.COMMERCIAL,
    "t": Intent.TRANSACTIONAL,
    "n": Intent.NAVIGATIONAL,
    "info": Intent.INFORMATIONAL,
    "nav": Intent.NAVIGATIONAL,
}
_THOUSANDS = re.compile(r"^\d{1,3}([ ,_']\d{3})+$")


def _number(raw: str, field: str) -> Decimal:
    text = raw.strip().replace("\u00a0", " ")
    if _THOUSANDS.match(text):
        text = re.sub(r"[ ,_']", "", text)
    try:
        value = Decimal(text)
    except InvalidOperation as error:
        raise ValueError(f"{field} must be a number, got {raw.strip()!r}") from error
    if not value.is_finite():
        raise ValueError(f"{field} must be a number, got {raw.strip()!r}")
    return value


def whole_number(raw: str, *, field: str, maximum: int | None = None) -> int:
    if not raw.strip():
        return 0
    value = _number(raw, field)
    if value != value.to_integral_value():
        raise ValueError(f"{field} must be a whole number, got {raw.strip()!r}")
    if value < 0:
        raise ValueError(f"{field} must be 0 or more, got {raw.strip()!r}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{field} must be at most {maximum}, got {raw.strip()!r}")
    if value > 2_000_000_000:
        raise ValueError(f"{field} is too large, got {raw.strip()!r}")
    return int(value)


def money(raw: str, *, field: str) -> Decimal:
    text = raw.strip().lstrip("$€£").strip()
    if not text:
        return Decimal("0")
    if "," in text and "." not in text and re.fullmatch(r"\d+,\d{1,2}", text):
        text = text.replace(",", ".")  # a decimal comma from a European export
    value = _number(text, field)
    if value < 0:
        raise ValueError(f"{field} must be 0 or more, got {raw.strip()!r}")
    if value >= Decimal("100000000"):
        raise ValueError(f"{field} is too large, got {raw.strip()!r}")
    return value.quantize(Decimal("0.01"))


def intent(raw: str) -> str:
    text = raw.strip().lower()
    if not text:
        return Intent.INFORMATIONAL
    first = re.split(r"[,/|;]", text)[0].strip()  # tools export mixed intents: "commercial, informational"
    if first in Intent.values:
        return first
    if first in _INTENT_ABBREVIATIONS:
        return _INTENT_ABBREVIATIONS[first]
    raise ValueError(f"intent must be one of {', '.join(Intent.values)}, got {raw.strip()!r}")


MAX_SERP_URLS = 10
_URL_SEPARATORS = re.compile(r"[|\s]+")


def urls(raw: str) -> list[str]:
    """A cell of ranking URLs separated by '|' or whitespace, in rank order: the first ten kept,
    repeats dropped. Anything that is not an http(s) URL is refused rather than silently kept."""
    found: list[str] = []
    for part in _URL_SEPARATORS.split(raw.strip()):
        if not part:
            continue
        if not part.lower().startswith(("http://", "https://")) or len(part) > 2000:
            raise ValueError(f"serp_urls must be http(s) URLs separated by '|' or spaces, got {part[:80]!r}")
        if part not in found:
            found.append(part)
    return found[:MAX_SERP_URLS]
