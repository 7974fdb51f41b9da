"""Events the pipeline emits; rules with a matching event trigger run after the emitting
transaction commits.

    from igny8.core import events  # domain apps: the port, never this module
    events.emit(account=site.account, site=site, event_type="keywords_imported",
         context={"keyword_ids": [...], "count": n})

Context keys `<entity>_ids` (keyword, cluster, idea, task, content, image) hand those records to
the rule's first action; `count` feeds the trigger.count condition. Events emitted from inside an
automation execution carry its depth and never re-trigger the rule that is running, so a rule on
content_generated that generates content cannot loop."""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import Q

from igny8.accounts.models import Account, Site
from igny8.automation import conditions as cond
from igny8.automation import engine
from igny8.automation.models import AutomationRule, EventType, RuleStatus, ScheduledTask, Source, Trigger
from igny8.core import events as core_events

log = logging.getLogger(__name__)
MAX_DEPTH = 3


def emit(*, account: Account, site: Site, event_type: str, context: dict | None = None) -> None:
    if event_type not in EventType.values:
        raise ValueError(f"Unknown automation event {event_type!r}; known: {', '.join(EventType.values)}.")
    from igny8.automation.execution import current_execution

    running = current_execution.get()
    context = {**(context or {}), "event_type": event_type}
    skip_rule = None
    if running is not None:
        depth = int(running.context.get("automation_depth", 0)) + 1
        if depth > MAX_DEPTH:
            log.info("Event %s at automation depth %s not dispatched", event_type, depth)
            return
        context["automation_depth"] = depth
        skip_rule = running.rule_id
    account_id, site_id = account.pk, site.pk
    # robust: a failure to start rules is logged, never raised into the committed operation.
    transaction.on_commit(
        lambda: dispatch_event(
            account_id=account_id,
            site_id=site_id,
            event_type=event_type,
            context=context,
            skip_rule=skip_rule,
        ),
        robust=True,
    )


# Domain apps emit through the port (core.events), which the automation app subscribes `emit` to
# at start-up (apps.AutomationConfig.ready); these stay for automation's own callers and tests.
emit_safely = core_events.emit_safely
emit_per_site = core_events.emit_per_site


def rules_for_event(*, account_id: int, site_id: int, event_type: str):
    return AutomationRule.objects.filter(
        Q(site_id=site_id) | Q(site__isnull=True),
        account_id=account_id,
        trigger=Trigger.EVENT,
        event_type=event_type,
        is_active=True,
        status=RuleStatus.ACTIVE,
    ).select_related("account", "site")


def dispatch_event(
    *, account_id: int, site_id: int, event_type: str, context: dict, skip_rule: int | None = None
) -> list[ScheduledTask]:
    """An execution per matching rule whose trigger/site conditions hold."""
    from igny8.automation.services import execution_create

    rules = list(rules_for_event(account_id=account_id, site_id=site_id, event_type=event_type))
    if not rules:  # the usual case: one indexed query and nothing else
        return []
    site = Site.objects.filter(pk=site_id, account_id=account_id).first()
    if site is None:
        return []
    values = engine.trigger_values(source=Source.EVENT, context=context, site_id=site.pk, site_name=site.name)
    started = []
    for rule in rules:
        if rule.pk == skip_rule or not engine.gate_passes(cond.validate(rule.conditions).gate, values):
            continue
        try:
            started.append(
                execution_create(
                    rule=rule, site=site, source=Source.EVENT, context=context, check_credits=False
                )
            )
        except Exception:
            log.exception("Event %s could not start rule %s", event_type, rule.pk)
    return started
