"""core.text.is_id: only plain ASCII decimal numbers are ids ("²" passes str.isdigit but not int())."""

from igny8.core.text import is_id
from igny8.publishing.serializers import split_categories


def test_only_ascii_decimal_digits_are_ids():
    assert [is_id(text) for text in ("42", "007", "", "²", "١٢", "4.2", "-1", " 4")] == [
        True,
        True,
        False,
        False,
        False,
        False,
        False,
        False,
    ]


def test_a_category_named_by_a_unicode_digit_is_a_name_not_an_id():
    # The API fuzzer's case: a publish body whose categories held "²" answered 500.
    assert split_categories(["12", "²", " 7 ", "News"]) == (["²", "News"], [12, 7])
