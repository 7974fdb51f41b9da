"""The SEO score, 0-100, as a sum of named checks with their points, so a person sees what to fix.

check                        max   full marks when
title_keyword                 10   the primary keyword is in the title
h1_keyword                     5   ... in the H1 (the article's <h1>, else the title WordPress shows as H1)
intro_keyword                 10   ... in the first paragraph
meta_title_keyword             5   ... in the meta title
meta_description_keyword       5   ... in the meta description
secondary_coverage            10   every secondary keyword appears (pro rata; none given = full)
headings                      10   >= 2 H2 (5), no skipped level (3), no second H1 (2)
length                        15   words within 90-150 % of the target (pro rata below, 10 above)
readability                   10   Flesch reading ease >= 60 (>= 50: 7, >= 30: 4)
meta_lengths                  10   meta title 30-60 chars (5), meta description 120-160 (5)
image_alts                     5   every image has alt text (pro rata; no image = 0)
internal_links                 5   >= 2 links to the same site (1 link: 3)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

import igny8.publishing.optimizer.text as t
from igny8.writer.html import word_count


@dataclass
class Article:
    title: str
    html: str
    meta_title: str = ""
    meta_description: str = ""
    primary_keyword: str = ""
    secondary_keywords: list[str] = field(default_factory=list)
    target_words: int = 1500
    site_hosts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Check:
    key: str
    points: int
    max_points: int
    detail: str


@dataclass
class Score:
    total: int
    checks: list[Check]

    def as_dict(self) -> dict:
        return {"total": self.total, "checks": [asdict(c) for c in self.checks]}

    def points(self) -> dict[str, int]:
        return {c.key: c.points for c in self.checks}


def _keyword(key: str, where: str, text: str, keyword: str, max_points: int) -> Check:
    if not keyword:
        return Check(key, 0, max_points, "No primary keyword is set for this article.")
    if t.contains(text, keyword):
        return Check(key, max_points, max_points, f"The {where} contains “{keyword}”.")
    return Check(key, 0, max_points, f"Put “{keyword}” in the {where}.")


def _headings(soup: BeautifulSoup) -> Check:
    levels = [int(tag.name[1]) for tag in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]
    h2 = levels.count(2)
    skipped = any(b > a + 1 for a, b in zip([1, *levels], levels, strict=False))
    points = (5 if h2 >= 2 else 0) + (0 if skipped else 3) + (2 if levels.count(1) <= 1 else 0)
    notes = [f"{h2} H2 heading(s)" + ("" if h2 >= 2 else "; use at least 2")]
    if skipped:
        notes.append("a heading level is skipped (e.g. H2 to H4)")
    if levels.count(1) > 1:
        notes.append("more than one H1")
    return Check("headings", points, 10, "; ".join(notes) + ".")


def _length(words: int, target: int) -> Check:
    ratio = words / target if target else 1.0
    points = round(15 * ratio / 0.9) if ratio < 0.9 else 15 if ratio <= 1.5 else 10
    return Check("length", points, 15, f"{words} words for a target of {target}.")


def _readability(plain: str) -> Check:
    ease = t.flesch_reading_ease(plain)
    points = 10 if ease >= 60 else 7 if ease >= 50 else 4 if ease >= 30 else 0
    return Check("readability", points, 10, f"Flesch reading ease {ease} (60+ reads easily).")


def _meta_lengths(meta_title: str, meta_description: str) -> Check:
    title_ok = 30 <= len(meta_title) <= 60
    description_ok = 120 <= len(meta_description) <= 160
    return Check(
        "meta_lengths",
        (5 if title_ok else 0) + (5 if description_ok else 0),
        10,
        f"Meta title {len(meta_title)} chars (30-60), "
        f"meta description {len(meta_description)} chars (120-160).",
    )


def _image_alts(soup: BeautifulSoup) -> Check:
    images = soup.find_all("img")
    if not images:
        return Check("image_alts", 0, 5, "No images; add at least one with alt text.")
    with_alt = sum(1 for img in images if (img.get("alt") or "").strip())
    return Check(
        "image_alts",
        round(5 * with_alt / len(images)),
        5,
        f"{with_alt} of {len(images)} images have alt text.",
    )


def _internal_links(soup: BeautifulSoup, hosts: tuple[str, ...]) -> Check:
    count = 0
    for link in soup.find_all("a", href=True):
        host = urlsplit(link["href"]).hostname
        relative = host is None and not link["href"].startswith(("#", "mailto:"))
        if relative or host in hosts:
            count += 1
    points = 5 if count >= 2 else 3 if count == 1 else 0
    return Check("internal_links", points, 5, f"{count} internal link(s); 2 or more is best.")


def score_article(article: Article) -> Score:
    soup = BeautifulSoup(article.html or "", "html.parser")
    h1 = soup.find("h1")
    first_paragraph = soup.find("p")
    plain = " ".join(tag.get_text(" ") for tag in soup.find_all(["p", "li"])) or soup.get_text(" ")
    primary = article.primary_keyword.strip()
    secondary = [k for k in article.secondary_keywords if k.strip()]
    found = [k for k in secondary if t.contains(soup.get_text(" "), k)]
    checks = [
        _keyword("title_keyword", "title", article.title, primary, 10),
        _keyword("h1_keyword", "H1", h1.get_text(" ") if h1 else article.title, primary, 5),
        _keyword(
            "intro_keyword",
            "first paragraph",
            first_paragraph.get_text(" ") if first_paragraph else "",
            primary,
            10,
        ),
        _keyword("meta_title_keyword", "meta title", article.meta_title, primary, 5),
        _keyword("meta_description_keyword", "meta description", article.meta_description, primary, 5),
        Check(
            "secondary_coverage",
            round(10 * len(found) / len(secondary)) if secondary else 10,
            10,
            f"{len(found)} of {len(secondary)} secondary keywords used."
            + (
                f" Missing: {', '.join(k for k in secondary if k not in found)}."
                if len(found) < len(secondary)
                else ""
            ),
        ),
        _headings(soup),
        _length(word_count(article.html or ""), article.target_words),
        _readability(plain),
        _meta_lengths(article.meta_title, article.meta_description),
        _image_alts(soup),
        _internal_links(soup, article.site_hosts),
    ]
    return Score(total=sum(c.points for c in checks), checks=checks)
