"""The credit estimate of an execution, and the check that the account holds it plus a buffer."""

from __future__ import annotations

import math

from igny8.accounts.models import Account, Site
from igny8.automation import conf, engine
from igny8.automation.actions import ActionUnavailable, get_action
from igny8.automation.models import AutomationRule, ScheduledTask
from igny8.billing.selectors import credit_balance, credits_shortfall
from igny8.core.errors import InsufficientCredits


def estimate(*, rule: AutomationRule, site: Site, context: dict) -> int:
    """Credits the rule's actions would use now: the first step counts what the trigger names or
    what is waiting in the site; later steps count what the step before would produce. Capped by
    the rule's max_credits_per_run."""
    counts = {entity: len(ids) for entity, ids in engine.initial_ids(context).items()}
    total = 0
    for spec in rule.actions:
        try:
            action = get_action(spec["type"])
        except ActionUnavailable:
            continue
        guess = action.estimate(
            account=rule.account, site=site, params=action.defaults(spec.get("params")), counts=counts
        )
        total += guess.credits
        counts.update(guess.produces)
    cap = rule.max_credits_per_run
    return total if cap is None else min(total, cap)


def required(estimated: int) -> int:
    return math.ceil(estimated * (100 + conf.credit_buffer_percent()) / 100)


def check(*, account: Account, estimated: int) -> None:
    """402 unless the account holds the estimate plus the buffer."""
    needed = required(estimated)
    if credits_shortfall(account=account, needed=needed):  # 0 on an unlimited plan
        raise InsufficientCredits(needed=needed, held=credit_balance(account=account)["credits"])


def shortfall(*, task: ScheduledTask) -> str:
    """The refusal as text when the account no longer holds what the execution needs ('' if it does)."""
    try:
        check(account=task.account, estimated=task.credits_estimated)
    except InsufficientCredits as error:
        return f"{error} (estimate {task.credits_estimated} + {conf.credit_buffer_percent()}% buffer)"
    return ""
