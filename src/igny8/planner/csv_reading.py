"""Turning an uploaded keyword file into rows: encoding, delimiter and header detection.

Pure functions over bytes, so every odd file people export (Excel's Latin-1, UTF-8 with BOM,
semicolon CSVs from European locales, tab-separated exports) is tested without a database."""

import csv
import io
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

# Header aliases seen in keyword-tool exports (Semrush, Ahrefs, Google Keyword Planner, ...).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "keyword": ("keyword", "keywords", "query", "search term", "term", "key phrase"),
    "volume": ("volume", "search volume", "avg monthly searches", "monthly searches", "sv"),
    "difficulty": ("difficulty", "kd", "keyword difficulty", "kd %", "kd%", "seo difficulty"),
    "cpc": ("cpc", "cost per click", "cpc usd", "cpc (usd)", "top of page bid"),
    "intent": ("intent", "search intent", "intents"),
    "serp_urls": ("serp urls", "serp url", "top urls", "urls", "serp"),
}
DELIMITERS = ",;\t|"


class CsvProblem(ValueError):
    """The file as a whole cannot be read; the message says why in a person's words."""


@dataclass(frozen=True)
class ParsedFile:
    encoding: str
    delimiter: str
    columns: dict[str, int]  # our column name -> index in the file
    ignored_columns: list[str]
    rows: list[tuple[int, list[str]]]  # (1-based line number in the file, cells)


def utf16_without_bom(data: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" when the file reads as UTF-16 without a byte-order mark (some
    exports write it so): text in Latin script then has a NUL in every other byte, on one side only."""
    sample = data[:4096]
    sample = sample[: len(sample) // 2 * 2]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    for encoding, nuls, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if nuls >= half * 0.3 and other == 0:
            try:
                data[: len(data) // 2 * 2].decode(encoding)
            except UnicodeDecodeError:
                return None
            return encoding
    return None


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding it was read with. UTF-8 (with or without BOM) first, because a
    wrong guess there silently corrupts accents; then charset-normalizer's best guess."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    bomless = utf16_without_bom(data)
    if bomless:
        return data.decode(bomless), bomless
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise CsvProblem("The file is not text in an encoding we can read (is it a spreadsheet?).")
    return str(best), best.encoding


def _delimiter(sample: str) -> str:
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        # One column (no delimiter at all) or too little text to tell: count in the header line.
        header = sample.splitlines()[0] if sample else ""
        counts = {d: header.count(d) for d in DELIMITERS}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def _canonical(header: str) -> str:
    return re.sub(r"[\s_\-]+", " ", header.strip().strip('"').lower()).strip()


def map_columns(header: list[str]) -> tuple[dict[str, int], list[str]]:
    lookup = {alias: name for name, aliases in COLUMN_ALIASES.items() for alias in aliases}
    columns: dict[str, int] = {}
    ignored: list[str] = []
    for index, raw in enumerate(header):
        name = lookup.get(_canonical(raw))
        if name and name not in columns:
            columns[name] = index
        elif raw.strip():
            ignored.append(raw.strip())
    if "keyword" not in columns:
        shown = ", ".join(repr(h.strip()) for h in header if h.strip()) or "none"
        raise CsvProblem(f"No 'keyword' column in the header row; the columns found were: {shown}.")
    return columns, ignored


def parse(data: bytes) -> ParsedFile:
    if not data.strip():
        raise CsvProblem("The file is empty.")
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff")) or utf16_without_bom(data)
    if b"\x00" in data[:4096] and not utf16:
        raise CsvProblem("The file is binary, not CSV (export the sheet as CSV first).")
    text, encoding = decode(data)
    delimiter = _delimiter(text[:8192])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
        while header is not None and not any(cell.strip() for cell in header):
            header = next(reader, None)
        if header is None:
            raise CsvProblem("The file is empty.")
        columns, ignored = map_columns(header)
        rows = [(reader.line_num, cells) for cells in reader if any(cell.strip() for cell in cells)]
    except csv.Error as error:
        raise CsvProblem(f"Malformed CSV near line {reader.line_num}: {error}.") from error
    if not rows:
        raise CsvProblem("The file has a header row but no keyword rows.")
    return ParsedFile(encoding, delimiter, columns, ignored, rows)
