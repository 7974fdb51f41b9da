import pytest

from igny8.planner import csv_reading, row_values
from igny8.planner.csv_reading import CsvProblem


def test_utf8_with_bom_and_unknown_columns():
    data = "\ufeffKeyword,Search Volume,KD,Notes\ncafé crème,1200,35,x\n".encode()
    parsed = csv_reading.parse(data)
    assert parsed.encoding == "utf-8-sig"
    assert parsed.columns == {"keyword": 0, "volume": 1, "difficulty": 2}
    assert parsed.ignored_columns == ["Notes"]
    assert parsed.rows == [(2, ["café crème", "1200", "35", "x"])]


def test_latin1_semicolon_file_from_excel():
    data = "keyword;volume;cpc\ncafé au lait;880;1,25\nthé glacé;90;0,40\n".encode("latin-1")
    parsed = csv_reading.parse(data)
    assert parsed.delimiter == ";"
    assert [cells[0] for _, cells in parsed.rows] == ["café au lait", "thé glacé"]
    assert row_values.money("1,25", field="cpc") == row_values.money("1.25", field="cpc")


def test_tab_separated_and_single_column():
    assert csv_reading.parse(b"keyword\tvolume\nv60\t10\n").delimiter == "\t"
    single = csv_reading.parse(b"keyword\nchemex\naeropress\n")
    assert single.columns == {"keyword": 0}
    assert [cells for _, cells in single.rows] == [["chemex"], ["aeropress"]]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"   \n\n", "The file is empty."),
        (b"keyword,volume\n", "The file has a header row but no keyword rows."),
        (
            b"term_x,volume\nfoo,1\n",
            "No 'keyword' column in the header row; the columns found were: 'term_x', 'volume'.",
        ),
        (b"PK\x03\x04\x00\x00binary", "The file is binary, not CSV (export the sheet as CSV first)."),
    ],
)
def test_whole_file_problems(data, message):
    with pytest.raises(CsvProblem) as error:
        csv_reading.parse(data)
    assert str(error.value) == message


def test_malformed_quoting_names_the_line():
    with pytest.raises(CsvProblem) as error:
        csv_reading.parse(b'keyword,volume\n"ok",1\n"broken"x,2\n')
    assert str(error.value).startswith("Malformed CSV near line 3:")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("", 0), ("1200", 1200), ("1,200", 1200), ("12 100", 12100), ("40.0", 40)],
)
def test_whole_number_accepts(raw, expected):
    assert row_values.whole_number(raw, field="volume") == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("-5", "volume must be 0 or more, got '-5'"),
        ("lots", "volume must be a number, got 'lots'"),
        ("1.5", "volume must be a whole number, got '1.5'"),
        ("nan", "volume must be a number, got 'nan'"),
    ],
)
def test_whole_number_refuses(raw, message):
    with pytest.raises(ValueError) as error:
        row_values.whole_number(raw, field="volume")
    assert str(error.value) == message


def test_difficulty_maximum_and_intent_forms():
    with pytest.raises(ValueError, match=r"^difficulty must be at most 100, got '101'$"):
        row_values.whole_number("101", field="difficulty", maximum=100)
    assert row_values.intent("Commercial, Informational") == "commercial"
    assert row_values.intent("T") == "transactional"
    assert row_values.intent("") == "informational"
    with pytest.raises(ValueError, match="intent must be one of informational, commercial"):
        row_values.intent("curious")
