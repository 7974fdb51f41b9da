"""UTF-16 without a byte-order mark (issue 12, point 8): read, not refused as binary."""

import pytest

from igny8.planner import csv_reading

TEXT = "Keyword\tVolume\ncafé crème\t1200\n抹茶 latte\t90\n"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_read(encoding):
    parsed = csv_reading.parse(TEXT.encode(encoding))
    assert (parsed.encoding, parsed.delimiter, parsed.columns) == (
        encoding,
        "\t",
        {"keyword": 0, "volume": 1},
    )
    assert parsed.rows == [(2, ["café crème", "1200"]), (3, ["抹茶 latte", "90"])]


def test_utf16_with_a_bom_still_reads_and_binary_is_still_refused():
    assert csv_reading.parse(("\ufeff" + TEXT).encode("utf-16-le")).encoding == "utf-16"
    assert csv_reading.utf16_without_bom(b"PK\x03\x04\x00\x00binary\x00\x00") is None
    with pytest.raises(csv_reading.CsvProblem):
        csv_reading.parse(b"\x00\x01\x02\x03" * 64)
