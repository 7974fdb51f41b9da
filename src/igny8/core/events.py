"""The event port: a domain app says what happened; the apps that subscribed at start-up (the
automation app, in its AppConfig.ready) hear it. So planner, writer and publishing emit without
importing automation, and automation imports them without a circle (docs/adr/0011).

    from igny8.core import events
    events.emit_safely(account=site.account, site=site, event_type="keywords_imported",
                       context={"keyword_ids": [...], "count": n})"""

from __future__ import annotations

import logging
from collections.abc import Callable

from igny8.accounts.models import Account, Site

log = logging.getLogger(__name__)
Handler = Callable[..., None]  # handler(account=, site=, event_type=, context=)
_handlers: list[Handler] = []


def subscribe(handler: Handler) -> None:
    """Called once per handler at start-up; subscribing twice is a no-op."""
    if handler not in _handlers:
        _handlers.append(handler)


def emit(*, account: Account, site: Site, event_type: str, context: dict | None = None) -> None:
    """Every subscriber hears the event; a subscriber's refusal (an unknown event type) is raised."""
    for handler in list(_handlers):
        handler(account=account, site=site, event_type=event_type, context=context)


def emit_safely(*, account: Account, site: Site, event_type: str, context: dict | None = None) -> None:
    """emit() for the operations that produce the records: never raises into them."""
    try:
        emit(account=account, site=site, event_type=event_type, context=context)
    except Exception:
        log.exception("Event %s for site %s was not emitted", event_type, site.pk)


def emit_per_site(*, account: Account, event_type: str, contexts: dict[int, dict]) -> None:
    """emit_safely once for each site of {site_id: context} (an AI run's records may span sites)."""
    if not contexts:
        return
    try:
        sites = list(Site.objects.filter(account=account, pk__in=list(contexts)))
    except Exception:
        log.exception("Event %s was not emitted", event_type)
        return
    for site in sites:
        emit_safely(account=account, site=site, event_type=event_type, context=contexts[site.pk])
