"""The publishing app's AI functions, one folder each (found by igny8.ai.discovery):
optimize_content, generate_site_structure, generate_page_content. What they share is here."""

from __future__ import annotations

from igny8.accounts.models import Site
from igny8.ai.base import RunContext
from igny8.core.errors import Invalid


def check_ids(ctx: RunContext, model, what: str, **filters) -> None:
    if "ids" not in ctx.payload:
        raise Invalid(errors={"ids": [f"Send the ids of the {what}."]})
    ids = set(ctx.payload["ids"]) if isinstance(ctx.payload["ids"], list) else set()
    found = set(model.objects.filter(account=ctx.account, pk__in=ids, **filters).values_list("pk", flat=True))
    if ids - found:
        shown = ", ".join(map(str, sorted(ids - found)[:20]))
        raise Invalid(errors={"ids": [f"No such {what} in this account: {shown}."]})


def offline(ctx: RunContext) -> bool:
    return ctx.provider == "offline"


def run_site(ctx: RunContext) -> Site:
    if ctx.site is not None:
        return ctx.site
    try:
        return Site.objects.get(account=ctx.account, pk=int(ctx.payload.get("site_id")))
    except (TypeError, ValueError, Site.DoesNotExist) as error:
        raise Invalid(errors={"site_id": ["Name a site of this account (site_id)."]}) from error
