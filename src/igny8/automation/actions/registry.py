"""Actions by name. The pipeline's four are registered by actions/pipeline.py; the publishing
module's four are PLANNED until an app registers a class under that name (from its
`automation_actions.py`), and are listed as unavailable with the reason, never faked."""

from __future__ import annotations

from typing import Any

from igny8.automation.actions.base import Action

ACTIONS: dict[str, type[Action]] = {}
ORDER = (
    "cluster_keywords",
    "generate_ideas",
    "generate_content",
    "generate_images",
    "generate_site_structure",
    "generate_page_content",
    "optimize_content",
    "publish_to_wordpress",
)
PUBLISHING_REASON = "arrives with the publishing module"
PLANNED: dict[str, dict] = {
    "generate_site_structure": {
        "display_name": "Generate site structure",
        "description": "Generate the site's page structure.",
        "params": ["site_id"],
    },
    "generate_page_content": {
        "display_name": "Generate page content",
        "description": "Generate content for the site's pages.",
        "params": ["page_ids"],
    },
    "optimize_content": {
        "display_name": "Optimize content",
        "description": "Optimize content for SEO.",
        "params": ["content_ids"],
    },
    "publish_to_wordpress": {
        "display_name": "Publish to WordPress",
        "description": "Publish content to the site's WordPress.",
        "params": ["content_ids", "integration_id"],
    },
}
MAX_ACTIONS = 20


class ActionUnavailable(LookupError):
    pass


def register(action: type[Action]) -> type[Action]:
    """Adds (or replaces) an action; usable as a class decorator."""
    ACTIONS[action.name] = action
    return action


def unregister(name: str) -> None:
    ACTIONS.pop(name, None)


def get_action(name: str) -> Action:
    if name in ACTIONS:
        return ACTIONS[name]()
    if name in PLANNED:
        raise ActionUnavailable(f"{name} is not available yet: it {PUBLISHING_REASON}.")
    known = ", ".join(sorted({*ACTIONS, *PLANNED}))
    raise ActionUnavailable(f"Unknown action {name!r}; known: {known}.")


def catalogue(*, price: Any) -> list[dict]:
    """Every action, available or not, with its params and credit cost; `price(operation)` gives
    credits per unit."""
    names = [*ORDER, *sorted(set(ACTIONS) - set(ORDER))]
    rows = []
    for name in names:
        if name in ACTIONS:
            action = ACTIONS[name]
            rows.append(
                {
                    "type": name,
                    "name": action.display_name,
                    "description": action.description,
                    "available": True,
                    "unavailable_reason": "",
                    "params": [param.describe() for param in action.params],
                    "credits": price(action.operation or name),
                }
            )
        elif name in PLANNED:
            planned = PLANNED[name]
            rows.append(
                {
                    "type": name,
                    "name": planned["display_name"],
                    "description": planned["description"],
                    "available": False,
                    "unavailable_reason": PUBLISHING_REASON,
                    "params": [{"name": param} for param in planned["params"]],
                    "credits": price(name),
                }
            )
    return rows


def validate_actions(actions: Any) -> list[dict]:
    """The actions of a rule, with their params checked; raises ValueError("actions[i]: ...")."""
    if not isinstance(actions, list) or not actions:
        raise ValueError("actions: send a non-empty list of {type, params}.")
    if len(actions) > MAX_ACTIONS:
        raise ValueError(f"actions: at most {MAX_ACTIONS} actions per rule.")
    cleaned = []
    for index, spec in enumerate(actions):
        where = f"actions[{index}]"
        if not isinstance(spec, dict) or not isinstance(spec.get("type"), str):
            raise ValueError(f"{where}: an action is {{'type': ..., 'params': {{...}}}}.")
        if set(spec) - {"type", "params"}:
            raise ValueError(f"{where}: unknown key(s) {', '.join(sorted(set(spec) - {'type', 'params'}))}.")
        try:
            action = get_action(spec["type"])
        except ActionUnavailable as error:
            raise ValueError(f"{where}: {error}") from error
        params = spec.get("params") or {}
        if not isinstance(params, dict):
            raise ValueError(f"{where}.params: send an object.")
        known = {param.name: param for param in action.params}
        unknown = sorted(set(params) - set(known))
        if unknown:
            raise ValueError(f"{where}.params: unknown {', '.join(unknown)}; known: {', '.join(known)}.")
        for name, value in params.items():
            problem = known[name].problem(value)
            if problem:
                raise ValueError(f"{where}.params.{problem}")
        cleaned.append({"type": spec["type"], "params": params})
    return cleaned
