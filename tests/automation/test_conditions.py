import pytest

from igny8.automation import conditions as cond


@pytest.mark.parametrize(
    ("conditions", "message"),
    [
        (
            [{"field": "content.words", "operator": "equals", "value": 1}],
            "conditions[0]: Unknown field 'content.words'",
        ),
        (
            [{"field": "content.word_count", "operator": "bigger", "value": 1}],
            "conditions[0]: Unknown operator 'bigger'; use one of equals, not_equals, contains",
        ),
        (
            [{"field": "content.word_count", "operator": "greater_than", "value": "1000"}],
            "conditions[0]: content.word_count is a number; got '1000'.",
        ),
        (
            [{"field": "content.status", "operator": "greater_than", "value": 3}],
            "conditions[0]: 'greater_than' compares numbers; content.status is text.",
        ),
        (
            [{"any": [{"field": "keyword.volume", "operator": "in", "value": [1, "2"]}]}],
            "conditions[0].any[0]: keyword.volume is a number; got '2'.",
        ),
        (
            [
                {"field": "content.status", "operator": "equals", "value": "draft"},
                {
                    "any": [
                        {"field": "content.word_count", "operator": "less_than", "value": 5},
                        {"field": "keyword.volume", "operator": "less_than", "value": 5},
                    ]
                },
            ],
            "conditions[1]: A group cannot mix content, keyword paths.",
        ),
        (
            [{"field": "content.status", "operator": "in", "value": []}],
            "conditions[0]: 'in' needs a non-empty list",
        ),
        ([{"all": []}], "conditions[0]: 'all' needs a non-empty list of conditions."),
        ("content.status = draft", "conditions: Send a list of conditions (AND) or one group."),
    ],
)
def test_bad_conditions_are_named(conditions, message):
    with pytest.raises(cond.ConditionError) as caught:
        cond.validate(conditions)
    assert str(caught.value).startswith(message)


def test_conditions_split_into_gate_and_record_filters():
    split = cond.validate(
        [
            {"field": "trigger.count", "operator": "greater_than", "value": 2},
            {"field": "content.word_count", "operator": "greater_than", "value": 1000},
            {"any": [{"field": "cluster.keywords_count", "operator": "greater_than", "value": 3}]},
        ]
    )
    assert split.gate == [{"field": "trigger.count", "operator": "greater_than", "value": 2}]
    assert sorted(split.records) == ["cluster", "content"]


def test_evaluate_every_operator_with_and_or():
    values = {"content": {"word_count": 1200, "status": "draft", "title": "The V60 Guide"}}
    rule = {
        "all": [
            {"field": "content.word_count", "operator": "greater_than", "value": 1000},
            {"field": "content.word_count", "operator": "less_than", "value": 5000},
            {"field": "content.status", "operator": "in", "value": ["draft", "review"]},
            {"field": "content.status", "operator": "not_in", "value": ["published"]},
            {"field": "content.title", "operator": "contains", "value": "v60"},
            {
                "any": [
                    {"field": "content.status", "operator": "equals", "value": "published"},
                    {"field": "content.status", "operator": "not_equals", "value": "approved"},
                ]
            },
        ]
    }
    assert cond.evaluate(rule, values) is True
    assert (
        cond.evaluate([{"field": "content.word_count", "operator": "greater_than", "value": 1200}], values)
        is False
    )
    assert (
        cond.evaluate({"any": [{"field": "content.status", "operator": "equals", "value": "x"}]}, values)
        is False
    )


def test_filter_records_and_missing_values():
    rows = [{"id": 1, "volume": 10}, {"id": 2, "volume": 500}, {"id": 3, "volume": None}]
    over = [{"field": "keyword.volume", "operator": "greater_than", "value": 100}]
    assert cond.filter_records("keyword", rows, over) == [2]
    assert cond.filter_records(
        "task",
        [{"id": 7, "keywords": ["V60 recipe"]}],
        [{"field": "task.keywords", "operator": "contains", "value": "v60 recipe"}],
    ) == [7]
