"""Automation actions: a registry any app can add to (see registry.py), and the pipeline's four."""

from igny8.automation.actions.base import Action, ActionResult, Param, Step
from igny8.automation.actions.registry import (
    ActionUnavailable,
    catalogue,
    get_action,
    register,
    unregister,
    validate_actions,
)

__all__ = [
    "Action",
    "ActionResult",
    "ActionUnavailable",
    "Param",
    "Step",
    "catalogue",
    "get_action",
    "register",
    "unregister",
    "validate_actions",
]
