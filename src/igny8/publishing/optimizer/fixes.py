"""The fixes that need no AI: meta title and description brought to length with the primary
keyword, and missing image alt texts. The offline optimiser applies only these, and says so."""

from __future__ import annotations

from bs4 import BeautifulSoup

import igny8.publishing.optimizer.text as t

META_TITLE_MAX, META_DESCRIPTION_MIN, META_DESCRIPTION_MAX = 60, 120, 160


def _trim(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:-")
    return cut + "…"


def meta_title(*, title: str, current: str, keyword: str) -> str:
    if 30 <= len(current) <= META_TITLE_MAX and (not keyword or t.contains(current, keyword)):
        return current
    base = title if not keyword or t.contains(title, keyword) else f"{keyword.capitalize()}: {title}"
    return _trim(base, META_TITLE_MAX)


def meta_description(*, html: str, current: str, keyword: str) -> str:
    good_length = META_DESCRIPTION_MIN <= len(current) <= META_DESCRIPTION_MAX
    if good_length and (not keyword or t.contains(current, keyword)):
        return current
    soup = BeautifulSoup(html or "", "html.parser")
    text = " ".join(p.get_text(" ") for p in soup.find_all("p"))
    if keyword and not t.contains(text[:META_DESCRIPTION_MAX], keyword):
        text = f"{keyword.capitalize()}: {text}"
    candidate = _trim(text, META_DESCRIPTION_MAX)
    return candidate if len(candidate) >= len(current) or not good_length else current


def image_alts(*, html: str, title: str) -> tuple[str, int]:
    soup = BeautifulSoup(html or "", "html.parser")
    filled = 0
    for img in soup.find_all("img"):
        if not (img.get("alt") or "").strip():
            img["alt"] = title
            filled += 1
    return (str(soup) if filled else html), filled


def apply(*, title: str, html: str, meta_title_now: str, meta_description_now: str, keyword: str) -> dict:
    """The deterministic fixes as the optimiser's output fields, plus `fixes`: what was changed."""
    new_html, alts = image_alts(html=html, title=title)
    new_title = meta_title(title=title, current=meta_title_now, keyword=keyword)
    new_description = meta_description(html=html, current=meta_description_now, keyword=keyword)
    fixes = []
    if new_title != meta_title_now:
        fixes.append("meta title")
    if new_description != meta_description_now:
        fixes.append("meta description")
    if alts:
        fixes.append(f"{alts} image alt text(s)")
    return {
        "title": title,
        "html": new_html,
        "meta_title": new_title,
        "meta_description": new_description,
        "fixes": fixes,
    }
