"""The rule editor's builder: the POSTed inputs rebuilt into the JSON body the REST API takes, the
builder rows rendered from a rule or from a POST, and the serializer's errors put on the row they
name ("conditions[1].any[0]: ...", "actions[2].params.max_items ...").

Nothing here decides whether a rule is valid: RuleSerializer does (views.automation). Values are
only parsed as a JSON client would send them: a number field's text that reads as a number becomes
one, anything else stays text so the serializer can refuse it with its own message.

Inputs (their order in the form is the order saved, so moving a card in the page reorders it):

    condition=<i>                      one per top-level row, in order
    conditions-<i>-kind                condition | any | all
    conditions-<i>-field / -operator / -value
    conditions-<i>-child=<j>           one per row of a group, in order
    conditions-<i>-<j>-field / -operator / -value
    order=<k>                          one per action card, in order
    actions-<k>-type, actions-<k>-param-<name>
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import QueryDict

from igny8.accounts.models import Site
from igny8.automation import conditions as cond
from igny8.automation.models import AutomationRule, EventType, RuleStatus, Trigger
from igny8.core.text import is_id

GROUP_KINDS = ("any", "all")
LIST_OPERATORS = ("in", "not_in")
OPERATOR_LABELS = {
    "equals": "equals",
    "not_equals": "does not equal",
    "contains": "contains",
    "greater_than": "greater than",
    "less_than": "less than",
    "in": "is one of",
    "not_in": "is none of",
}
INT_RE = re.compile(r"^[+-]?\d+$")
FLOAT_RE = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
WHERE_RE = re.compile(r"^(conditions|actions)\[(\d+)\](?:\.(any|all)\[(\d+)\])?(?:\.params\.(\w+))?")


# -- values ----------------------------------------------------------------------------------------
def number_or_text(text: str) -> Any:
    if INT_RE.match(text):
        return int(text)
    if FLOAT_RE.match(text):
        return float(text)
    return text


def condition_value(path: str, operator: str, text: str) -> Any:
    """The value a JSON client would send for what was typed: numbers for number fields, a list
    for in/not in (comma-separated)."""
    kind = cond.FIELDS.get(path)

    def scalar(item: str) -> Any:
        return number_or_text(item) if kind == cond.NUMBER else item

    if operator in LIST_OPERATORS:
        return [scalar(item.strip()) for item in text.split(",") if item.strip()]
    return scalar(text.strip())


def value_text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(value_text(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def param_value(kind: str | None, text: str) -> Any:
    if kind == "bool":
        return {"true": True, "on": True, "false": False}.get(text, text)
    if kind == "ids":  # "1, 2, 3": a number that is not one stays text, for the check to name
        return [number_or_text(part.strip()) for part in text.split(",") if part.strip()]
    if kind in ("int", "number", None):
        parsed = number_or_text(text)
        return float(parsed) if kind == "number" and isinstance(parsed, float) else parsed
    return text


# -- the builder's rows ----------------------------------------------------------------------------
@dataclass
class ConditionRow:
    key: str
    kind: str = "condition"  # condition | any | all
    field: str = ""
    operator: str = "equals"
    value: str = ""
    children: list[ConditionRow] = dataclasses.field(default_factory=list)
    errors: list[str] = dataclasses.field(default_factory=list)

    def body(self) -> dict:
        if self.kind in GROUP_KINDS:
            return {self.kind: [child.body() for child in self.children]}
        return {
            "field": self.field,
            "operator": self.operator,
            "value": condition_value(self.field, self.operator, self.value),
        }


@dataclass
class ParamInput:
    name: str
    kind: str
    value: Any
    help: str = ""
    minimum: float | None = None
    maximum: float | None = None
    choices: list[str] = dataclasses.field(default_factory=list)
    known: bool = True
    errors: list[str] = dataclasses.field(default_factory=list)


@dataclass
class ActionCard:
    key: str
    type: str
    title: str
    params: list[ParamInput] = dataclasses.field(default_factory=list)
    posted: dict[str, Any] = dataclasses.field(default_factory=dict)
    errors: list[str] = dataclasses.field(default_factory=list)

    def body(self) -> dict:
        return {"type": self.type, "params": dict(self.posted)}


@dataclass
class Builder:
    conditions: list[ConditionRow]
    actions: list[ActionCard]
    raw_conditions: str = ""  # conditions nested deeper than the builder shows, as JSON text
    condition_errors: list[str] = dataclasses.field(default_factory=list)
    action_errors: list[str] = dataclasses.field(default_factory=list)

    def body(self) -> dict:
        return {
            "conditions": [row.body() for row in self.conditions],
            "actions": [card.body() for card in self.actions],
        }


def catalogue_by_type(catalogue: list[dict]) -> dict[str, dict]:
    return {row["type"]: row for row in catalogue}


def action_card(*, key: str, type_: str, given: dict, catalogue: dict[str, dict]) -> ActionCard:
    """A card with one input per param of the action (its given value, else the default); params
    the action does not know (an old rule, a hand-made POST) are kept so the error can name them."""
    row = catalogue.get(type_)
    card = ActionCard(key=key, type=type_, title=row["name"] if row else type_, posted=dict(given))
    known = set()
    for spec in (row or {}).get("params", []) if row and row["available"] else []:
        known.add(spec["name"])
        value = given.get(spec["name"], spec["default"])
        card.params.append(
            ParamInput(
                name=spec["name"],
                kind=spec["type"],
                # A list of ids is typed as "1, 2, 3" (param_value reads it back), never as "[]".
                value=value_text(value) if spec["type"] == "ids" else value,
                help=spec.get("help", ""),
                minimum=spec.get("minimum"),
                maximum=spec.get("maximum"),
                choices=list(spec.get("choices") or []),
            )
        )
    for name, value in given.items():
        if name not in known:
            card.params.append(ParamInput(name=name, kind="text", value=value_text(value), known=False))
    return card


def _row_from(node: Any, key: str, *, nested: bool) -> ConditionRow | None:
    """The builder row of a stored condition, or None when it is deeper than the builder goes."""
    if not isinstance(node, dict):
        return None
    group = next((kind for kind in GROUP_KINDS if kind in node), None)
    if group:
        children_nodes = node[group] if isinstance(node[group], list) else []
        if nested:
            return None
        children = [_row_from(child, str(j), nested=True) for j, child in enumerate(children_nodes)]
        if any(child is None for child in children):
            return None
        return ConditionRow(key=key, kind=group, children=children)
    return ConditionRow(
        key=key,
        field=str(node.get("field", "")),
        operator=str(node.get("operator", "equals")),
        value=value_text(node.get("value")),
    )


def builder_from_rule(*, conditions: Any, actions: list, catalogue: list[dict]) -> Builder:
    by_type = catalogue_by_type(catalogue)
    nodes = conditions if isinstance(conditions, list) else ([conditions] if conditions else [])
    rows = [_row_from(node, str(i), nested=False) for i, node in enumerate(nodes)]
    cards = [
        action_card(key=str(k), type_=spec.get("type", ""), given=spec.get("params") or {}, catalogue=by_type)
        for k, spec in enumerate(actions or [])
    ]
    if any(row is None for row in rows):
        return Builder(conditions=[], actions=cards, raw_conditions=json.dumps(conditions, indent=2))
    return Builder(conditions=rows, actions=cards)


def builder_from_post(post: QueryDict, *, catalogue: list[dict]) -> Builder:
    by_type = catalogue_by_type(catalogue)
    rows = []
    for i in post.getlist("condition"):
        prefix = f"conditions-{i}"
        kind = post.get(f"{prefix}-kind", "condition")
        if kind in GROUP_KINDS:
            children = [
                ConditionRow(
                    key=j,
                    field=post.get(f"{prefix}-{j}-field", ""),
                    operator=post.get(f"{prefix}-{j}-operator", "equals"),
                    value=post.get(f"{prefix}-{j}-value", ""),
                )
                for j in post.getlist(f"{prefix}-child")
            ]
            rows.append(ConditionRow(key=i, kind=kind, children=children))
        else:
            rows.append(
                ConditionRow(
                    key=i,
                    field=post.get(f"{prefix}-field", ""),
                    operator=post.get(f"{prefix}-operator", "equals"),
                    value=post.get(f"{prefix}-value", ""),
                )
            )
    cards = []
    for k in post.getlist("order"):
        type_ = post.get(f"actions-{k}-type", "")
        kinds = {spec["name"]: spec.get("type") for spec in by_type.get(type_, {}).get("params", [])}
        marker = f"actions-{k}-param-"
        given = {}
        for name in post:
            if name.startswith(marker):
                text = post.getlist(name)[-1].strip()  # a checkbox comes after its hidden "false"
                if text != "":
                    given[name[len(marker) :]] = param_value(kinds.get(name[len(marker) :]), text)
        cards.append(action_card(key=k, type_=type_, given=given, catalogue=by_type))
    raw = post.get("conditions_json", "")
    return Builder(conditions=rows, actions=cards, raw_conditions=raw if "conditions_json" in post else "")


# -- the no-JavaScript builder operations ----------------------------------------------------------
def _fresh(keys: list[str]) -> str:
    numbers = [int(key) for key in keys if is_id(key)]
    return str(max(numbers, default=-1) + 1)


def apply_op(builder: Builder, op: str, *, add_type: str, catalogue: list[dict]) -> None:
    """What the builder's buttons do when the page has no JavaScript (the script does the same in
    the page): add, remove or move a row; the form is shown again, nothing is saved."""
    name, _, arg = op.partition(":")
    rows, cards = builder.conditions, builder.actions
    if name == "add-condition":
        rows.append(ConditionRow(key=_fresh([r.key for r in rows])))
    elif name == "add-group":
        rows.append(
            ConditionRow(key=_fresh([r.key for r in rows]), kind="any", children=[ConditionRow(key="0")])
        )
    elif name == "add-child":
        for row in rows:
            if row.key == arg:
                row.children.append(ConditionRow(key=_fresh([c.key for c in row.children])))
    elif name == "remove-condition":
        builder.conditions = [row for row in rows if row.key != arg]
    elif name == "remove-child":
        group, _, child = arg.partition("-")
        for row in rows:
            if row.key == group:
                row.children = [c for c in row.children if c.key != child]
    elif name == "add-action" and add_type:
        key = _fresh([card.key for card in cards])
        cards.append(action_card(key=key, type_=add_type, given={}, catalogue=catalogue_by_type(catalogue)))
    elif name == "remove-action":
        builder.actions = [card for card in cards if card.key != arg]
    elif name in ("move-up", "move-down"):
        index = next((i for i, card in enumerate(cards) if card.key == arg), None)
        other = None if index is None else index + (-1 if name == "move-up" else 1)
        if other is not None and 0 <= other < len(cards):
            cards[index], cards[other] = cards[other], cards[index]


# -- errors ----------------------------------------------------------------------------------------
def place_errors(builder: Builder, errors: dict) -> dict[str, list[str]]:
    """Puts the serializer's condition and action errors on the rows they name; returns the other
    fields' errors (name, schedule, timezone, ...)."""
    rest: dict[str, list[str]] = {}
    for key, messages in errors.items():
        texts = [str(m) for m in (messages if isinstance(messages, list) else [messages])]
        if key not in ("conditions", "actions"):
            rest[key] = texts
            continue
        for text in texts:
            if not _place(builder, text):
                (builder.condition_errors if key == "conditions" else builder.action_errors).append(text)
    return rest


def _place(builder: Builder, text: str) -> bool:
    match = WHERE_RE.match(text)
    if not match:
        return False
    what, index, group, child, param = match.groups()
    index = int(index)
    if what == "actions":
        if index >= len(builder.actions):
            return False
        card = builder.actions[index]
        card.errors.append(text)
        for item in card.params:
            if param and item.name == param:
                item.errors.append(text)
        if param is None:
            for item in card.params:
                if f" {item.name}" in text and not item.known:
                    item.errors.append(text)
        return True
    if builder.raw_conditions or index >= len(builder.conditions):
        return False
    row = builder.conditions[index]
    if group is not None and row.kind == group and int(child) < len(row.children):
        row.children[int(child)].errors.append(text)
    else:
        row.errors.append(text)
    return True


def field_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The condition paths grouped by entity, for the field select's optgroups."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for path, kind in cond.FIELDS.items():
        entity = path.split(".", 1)[0]
        groups.setdefault(entity.capitalize(), []).append((path, f"{path} ({kind})"))
    return list(groups.items())


def rule_initial(rule: AutomationRule | None, *, site_id: int | None) -> dict:
    if rule is None:
        return {
            "name": "",
            "description": "",
            "site": str(site_id or ""),
            "trigger": "manual",
            "schedule": "",
            "timezone": "UTC",
            "event_type": "",
            "status": "active",
            "is_active": True,
            "max_credits_per_run": "",
            "step_delay_seconds": "0",
        }
    return {
        "name": rule.name,
        "description": rule.description,
        "site": str(rule.site_id or ""),
        "trigger": rule.trigger,
        "schedule": rule.schedule,
        "timezone": rule.timezone,
        "event_type": rule.event_type,
        "status": rule.status,
        "is_active": rule.is_active,
        "max_credits_per_run": "" if rule.max_credits_per_run is None else str(rule.max_credits_per_run),
        "step_delay_seconds": f"{rule.step_delay_seconds:g}",
    }


FIELDS = (
    "name",
    "description",
    "site",
    "trigger",
    "schedule",
    "timezone",
    "event_type",
    "status",
    "max_credits_per_run",
    "step_delay_seconds",
)


def posted_values(post: QueryDict) -> dict:
    values = {name: post.get(name, "") for name in FIELDS}
    values["is_active"] = post.get("is_active") in ("on", "true", "1")
    return values


def request_body(values: dict, builder: Builder) -> dict | str:
    """The JSON body of POST/PUT /api/v1/automation/rules/ for what the form holds; a string when
    the raw conditions JSON does not parse (the message for the conditions field)."""
    body = {
        "name": values["name"],
        "description": values["description"],
        "site": values["site"] or None,
        "trigger": values["trigger"],
        "schedule": values["schedule"],
        "timezone": values["timezone"] or "UTC",
        "event_type": values["event_type"],
        "status": values["status"],
        "is_active": values["is_active"],
        "max_credits_per_run": values["max_credits_per_run"] or None,
        "step_delay_seconds": values["step_delay_seconds"] or 0,
        **builder.body(),
    }
    if builder.raw_conditions:
        try:
            body["conditions"] = json.loads(builder.raw_conditions)
        except ValueError as error:
            return f"conditions: not valid JSON ({error})."
    return body


class RuleForm(forms.Form):
    """The rule's own fields (what the API's RuleSerializer takes besides conditions and actions).
    The conditions, the actions and the rule-wide checks (a cron for a scheduled rule, an event for
    an event rule) are the services' (automation.validation.rule_check, in rule_create/rule_update),
    so they run once these fields are valid, as in the API."""

    name = forms.CharField(max_length=255)
    description = forms.CharField(required=False)
    site = forms.ModelChoiceField(queryset=Site.objects.none(), required=False)
    trigger = forms.ChoiceField(choices=Trigger.choices)
    schedule = forms.CharField(max_length=120, required=False)
    timezone = forms.CharField(max_length=64)
    event_type = forms.ChoiceField(choices=[("", "None"), *EventType.choices], required=False)
    status = forms.ChoiceField(choices=RuleStatus.choices)
    is_active = forms.BooleanField(required=False)
    max_credits_per_run = forms.IntegerField(min_value=0, required=False)
    step_delay_seconds = forms.FloatField(min_value=0)

    def __init__(self, *args, account, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(account=account)
