"""{% cannibalises index "idea" idea as pairs %}: the items of the same site that compete with
this one (planner.cannibalisation), for the badge in the ideas and content lists."""

from django import template

register = template.Library()


@register.simple_tag
def cannibalises(index, kind: str, item) -> list[dict]:
    if index is None:
        return []
    return index.for_item(site_id=item.site_id, kind=kind, id=item.pk)
