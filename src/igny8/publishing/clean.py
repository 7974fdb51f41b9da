"""Every text field that leaves the platform, made safe for where it goes (WordPress, exports).

AI output is untrusted: a title or tag can carry `<script>` as easily as an article can. The
article is sanitised to the tags an article needs (writer/html.py); every other field is plain
text, and escaped where the receiver renders it as HTML:

- post title, excerpt, media title: WordPress stores and themes print them as HTML (markup kept
  for an admin with `unfiltered_html`), so `html_text`: no markup, `<` `>` `&` escaped.
- category and tag names: text (WordPress escapes term names itself), so `term_name`: no markup,
  at most 200 characters.
- SEO meta, image alt text: text the plugin or theme prints into attributes, so `plain`.
- slug: a URL segment, so `slug`.
- the same rules for a Markdown export's front matter (publishing/export.py).
"""

from __future__ import annotations

import html
import re
import unicodedata

import nh3
from django.utils.text import slugify

from igny8.writer import html as article_html

# WordPress's wp_terms.name column is varchar(200).
TERM_NAME_MAX = 200
SLUG_MAX = 200
_SPACES = re.compile(r"\s+")
# Bidirectional overrides and isolates reorder what a reader sees (a spoofing trick); the
# joiners of other scripts and emoji (U+200C, U+200D) are kept.
_BIDI = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"))
# Each round removes markup then decodes entities; entity-encoded markup ("&lt;script&gt;")
# becomes markup for the next round. Real text settles in two rounds.
_MAX_ROUNDS = 8


def _strip_once(text: str) -> str:
    # nh3 with no allowed tags drops every tag (and the bodies of script/style) and escapes the
    # rest; unescaping turns that back into text.
    return html.unescape(nh3.clean(text, tags=set()))


def plain(text: str | None, *, max_length: int | None = None) -> str:
    """Text with no markup: tags, script bodies, control characters and bidi overrides removed,
    entities decoded, whitespace collapsed, cut to `max_length` characters."""
    value = str(text or "")
    for _ in range(_MAX_ROUNDS):
        stripped = _strip_once(value)
        if stripped == value:
            break
        value = stripped
    else:  # still changing: nested encodings deeper than any real text; keep no angle brackets
        value = value.replace("<", "").replace(">", "")
    value = "".join(
        ch for ch in value.translate(_BIDI) if unicodedata.category(ch) not in ("Cc", "Cs") or ch.isspace()
    )
    value = _SPACES.sub(" ", value).strip()
    return value[:max_length].rstrip() if max_length else value


def html_text(text: str | None, *, max_length: int | None = None) -> str:
    """Plain text for a field rendered as HTML: `<`, `>` and `&` escaped, quotes kept (WordPress
    texturizes them)."""
    return html.escape(plain(text, max_length=max_length), quote=False)


def term_name(text: str | None) -> str:
    return plain(text, max_length=TERM_NAME_MAX)


def term_names(names: list[str] | None) -> list[str]:
    """Category or tag names as plain text, empty and repeated (case-insensitively) ones dropped."""
    seen: set[str] = set()
    kept = []
    for name in names or []:
        clean = term_name(name)
        if clean and clean.casefold() not in seen:
            seen.add(clean.casefold())
            kept.append(clean)
    return kept


def slug(text: str | None) -> str:
    """A URL segment: lower-case letters, digits and hyphens (any script), no path separators."""
    return slugify(plain(text), allow_unicode=True)[:SLUG_MAX].strip("-_")


def article(text: str | None) -> str:
    """The article body: the same sanitiser every saved article went through, applied again at the
    door (rows written by other paths, images placed since)."""
    return article_html.sanitize(str(text or ""))
