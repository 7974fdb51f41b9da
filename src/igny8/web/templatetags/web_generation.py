"""The generation settings a batch may choose where ideas or articles are started (the bulk forms
of clusters and tasks): an author profile and overrides, posted with the selection."""

from django import template

from igny8.system.author_profiles import author_profile_list
from igny8.system.voice import CONTENT_STRUCTURES, MAX_WORDS, MIN_WORDS

register = template.Library()
STRUCTURE_LABELS = {
    "how_to": "How-to",
    "listicle": "Listicle",
    "review": "Review",
    "comparison": "Comparison",
    "pillar": "Pillar page",
}


@register.inclusion_tag("web/partials/generation_settings.html", takes_context=True)
def generation_settings(context, *, faq: bool = False) -> dict:
    ws = context.get("ws")
    profiles = list(author_profile_list(account=ws.account)) if ws is not None else []
    return {
        "profiles": profiles,
        "structures": [(value, STRUCTURE_LABELS[value]) for value in CONTENT_STRUCTURES],
        "faq": faq,
        "min_words": MIN_WORDS,
        "max_words": MAX_WORDS,
    }
