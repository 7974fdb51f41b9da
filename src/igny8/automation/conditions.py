"""Rule conditions: validated when a rule is saved, evaluated when it runs. Pure: no database.

    condition := {"field": "content.word_count", "operator": "greater_than", "value": 1000}
    group     := {"all": [condition | group, ...]}  (AND)   or   {"any": [...]}  (OR)
    rule.conditions := [condition | group, ...]     (the top-level list is AND)

A path is "<entity>.<field>". Trigger paths (trigger.*, site.*) gate the whole execution; record
paths (keyword.*, cluster.*, idea.*, task.*, content.*, image.*) filter the records of that entity
wherever a step selects them. A group is evaluated at one point, so it may not mix entities."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

NUMBER, TEXT, LIST = "number", "text", "list"
TRIGGER_ENTITIES = ("trigger", "site")
RECORD_ENTITIES = ("keyword", "cluster", "idea", "task", "content", "image")

FIELDS: dict[str, str] = {
    "trigger.source": TEXT,
    "trigger.event_type": TEXT,
    "trigger.count": NUMBER,  # how many records the event names
    "site.id": NUMBER,
    "site.name": TEXT,
    "keyword.keyword": TEXT,
    "keyword.volume": NUMBER,
    "keyword.difficulty": NUMBER,
    "keyword.cpc": NUMBER,
    "keyword.intent": TEXT,
    "keyword.status": TEXT,
    "cluster.name": TEXT,
    "cluster.status": TEXT,
    "cluster.keywords_count": NUMBER,
    "cluster.volume": NUMBER,
    "cluster.avg_difficulty": NUMBER,
    "idea.title": TEXT,
    "idea.status": TEXT,
    "idea.content_type": TEXT,
    "idea.content_structure": TEXT,
    "idea.estimated_word_count": NUMBER,
    "task.title": TEXT,
    "task.status": TEXT,
    "task.content_type": TEXT,
    "task.word_count_target": NUMBER,
    "task.keywords": LIST,
    "content.title": TEXT,
    "content.status": TEXT,
    "content.content_type": TEXT,
    "content.word_count": NUMBER,
    "image.status": TEXT,
    "image.image_type": TEXT,
}


def _unprefixed() -> dict[str, str]:
    """field name -> its one path, for names only one entity has (the reference's rules name
    fields without the entity: "word_count" is content.word_count; "status" stays ambiguous)."""
    paths: dict[str, list[str]] = {}
    for path in FIELDS:
        paths.setdefault(path.split(".", 1)[1], []).append(path)
    return {name: found[0] for name, found in paths.items() if len(found) == 1}


UNPREFIXED: dict[str, str] = _unprefixed()


def normalise(conditions: Any) -> Any:
    """The conditions with every unambiguous unprefixed field written as its path; anything else
    is left for validate() to judge (an ambiguous name is refused there, naming its paths)."""
    if isinstance(conditions, list):
        return [normalise(node) for node in conditions]
    if not isinstance(conditions, dict):
        return conditions
    if set(conditions) & {"all", "any"}:
        return {key: normalise(value) for key, value in conditions.items()}
    field = conditions.get("field")
    if isinstance(field, str) and field in UNPREFIXED:
        return {**conditions, "field": UNPREFIXED[field]}
    return conditions


OPERATORS = ("equals", "not_equals", "contains", "greater_than", "less_than", "in", "not_in")
MAX_DEPTH = 5


class ConditionError(ValueError):
    """A condition that cannot be saved; `where` names it (e.g. "conditions[1].any[0]")."""

    def __init__(self, where: str, message: str):
        self.where, self.message = where, message
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Split:
    """The top-level conditions sorted by where they apply."""

    gate: list  # trigger.*/site.* conditions: checked once, before the first action
    records: dict[str, list]  # entity -> conditions filtering that entity's records


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_value(where: str, path: str, operator: str, value: Any) -> None:
    kind = FIELDS[path]
    if operator in ("in", "not_in"):
        if not isinstance(value, list) or not value:
            raise ConditionError(where, f"'{operator}' needs a non-empty list of values.")
        for item in value:
            _check_scalar(where, path, kind, item)
        return
    if operator in ("greater_than", "less_than"):
        if kind != NUMBER:
            raise ConditionError(where, f"'{operator}' compares numbers; {path} is {kind}.")
        _check_scalar(where, path, kind, value)
        return
    if operator == "contains":
        if kind == NUMBER:
            raise ConditionError(where, f"'contains' works on text and lists; {path} is a number.")
        if not isinstance(value, str):
            raise ConditionError(where, f"'contains' needs a text value; got {type(value).__name__}.")
        return
    _check_scalar(where, path, kind, value)


def _check_scalar(where: str, path: str, kind: str, value: Any) -> None:
    if kind == NUMBER and not _is_number(value):
        raise ConditionError(where, f"{path} is a number; got {value!r}.")
    if kind == TEXT and not isinstance(value, str):
        raise ConditionError(where, f"{path} is text; got {value!r}.")
    if kind == LIST and not isinstance(value, str):
        raise ConditionError(where, f"{path} holds text items; got {value!r}.")


def _entities(node: Any, where: str, depth: int) -> set[str]:
    """Validates one node; returns the entities its paths name."""
    if depth > MAX_DEPTH:
        raise ConditionError(where, f"Groups nest at most {MAX_DEPTH} deep.")
    if not isinstance(node, dict):
        raise ConditionError(where, "A condition is an object with field, operator and value.")
    groups = [key for key in ("all", "any") if key in node]
    if groups:
        if len(node) != 1:
            raise ConditionError(where, "A group is {'all': [...]} or {'any': [...]} and nothing else.")
        key = groups[0]
        children = node[key]
        if not isinstance(children, list) or not children:
            raise ConditionError(where, f"'{key}' needs a non-empty list of conditions.")
        found: set[str] = set()
        for index, child in enumerate(children):
            found |= _entities(child, f"{where}.{key}[{index}]", depth + 1)
        scopes = {("trigger" if entity in TRIGGER_ENTITIES else entity) for entity in found}
        if len(scopes) > 1:
            raise ConditionError(where, f"A group cannot mix {', '.join(sorted(found))} paths.")
        return found
    missing = [key for key in ("field", "operator", "value") if key not in node]
    if missing or len(node) != 3:
        raise ConditionError(where, "A condition has exactly field, operator and value.")
    path, operator = node["field"], node["operator"]
    if path not in FIELDS:
        named = sorted(known for known in FIELDS if isinstance(path, str) and known.endswith(f".{path}"))
        if named:
            raise ConditionError(where, f"Field {path!r} is ambiguous; write one of {', '.join(named)}.")
        raise ConditionError(where, f"Unknown field {path!r}; known: {', '.join(sorted(FIELDS))}.")
    if operator not in OPERATORS:
        raise ConditionError(where, f"Unknown operator {operator!r}; use one of {', '.join(OPERATORS)}.")
    _check_value(where, path, operator, node["value"])
    return {path.split(".", 1)[0]}


def validate(conditions: Any) -> Split:
    """Raises ConditionError naming the first bad condition; returns the conditions by scope."""
    if conditions in (None, {}):
        conditions = []
    if isinstance(conditions, dict):
        conditions = [conditions]
    if not isinstance(conditions, list):
        raise ConditionError("conditions", "Send a list of conditions (AND) or one group.")
    gate: list = []
    records: dict[str, list] = {}
    for index, node in enumerate(conditions):
        entities = _entities(node, f"conditions[{index}]", 1)
        entity = entities.pop()
        if entity in TRIGGER_ENTITIES:
            gate.append(node)
        else:
            records.setdefault(entity, []).append(node)
    return Split(gate=gate, records=records)


def resolve(path: str, values: dict[str, dict]) -> Any:
    entity, name = path.split(".", 1)
    return (values.get(entity) or {}).get(name)


def _compare(operator: str, actual: Any, expected: Any) -> bool:
    if operator == "equals":
        return actual == expected
    if operator == "not_equals":
        return actual != expected
    if operator == "in":
        return actual in expected
    if operator == "not_in":
        return actual not in expected
    if actual is None:
        return False
    if operator == "contains":
        if isinstance(actual, list):
            return any(expected.lower() == str(item).lower() for item in actual)
        return expected.lower() in str(actual).lower()
    if operator == "greater_than":
        return float(actual) > expected
    return float(actual) < expected


def evaluate(node: Any, values: dict[str, dict]) -> bool:
    """`values` maps an entity to its fields, e.g. {"content": {"word_count": 1200}}."""
    if isinstance(node, list):
        return all(evaluate(child, values) for child in node)
    if "all" in node:
        return all(evaluate(child, values) for child in node["all"])
    if "any" in node:
        return any(evaluate(child, values) for child in node["any"])
    return _compare(node["operator"], resolve(node["field"], values), node["value"])


def fields_of(entity: str) -> list[str]:
    """The columns a selector needs to evaluate `entity` conditions."""
    return [path.split(".", 1)[1] for path in FIELDS if path.startswith(f"{entity}.")]


def filter_records(entity: str, rows: Iterable[dict], conditions: list) -> list[int]:
    """Ids of the rows (dicts with "id" and the entity's fields) that meet all the conditions."""
    return [row["id"] for row in rows if evaluate(conditions, {entity: row})]
