"""Keyword import: a whole file is read and judged row by row, then written in one transaction.

Nothing is written if the file cannot be read or the plan's keyword limit would be passed; a row
that fails validation is reported with its line number and reason and does not stop the others."""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction

from igny8.accounts.models import Sector, Site
from igny8.core import events
from igny8.core.errors import Invalid, PlanLimit
from igny8.core.text import clean_keyword, normalize_keyword
from igny8.planner import csv_reading, row_values
from igny8.planner.clustering.intent import classify_intent
from igny8.planner.models import Keyword

# How many problem rows are listed one by one; beyond this only the counts grow.
MAX_LISTED_ROWS = 1000
BATCH_SIZE = 2000


@dataclass
class RowIssue:
    row: int
    keyword: str
    reason: str


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    encoding: str = ""
    delimiter: str = ""
    ignored_columns: list[str] = field(default_factory=list)
    duplicates: list[RowIssue] = field(default_factory=list)
    skipped: list[RowIssue] = field(default_factory=list)
    duplicates_count: int = 0
    skipped_count: int = 0

    def add(self, kind: str, issue: RowIssue) -> None:
        setattr(self, f"{kind}_count", getattr(self, f"{kind}_count") + 1)
        listed = getattr(self, kind)
        if len(listed) < MAX_LISTED_ROWS:
            listed.append(issue)

    def as_dict(self) -> dict:
        return {
            "rows": self.rows,
            "created": self.created,
            "duplicates_count": self.duplicates_count,
            "skipped_count": self.skipped_count,
            "duplicates": [vars(issue) for issue in self.duplicates],
            "skipped": [vars(issue) for issue in self.skipped],
            "details_truncated": self.duplicates_count + self.skipped_count
            > len(self.duplicates) + len(self.skipped),
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "ignored_columns": self.ignored_columns,
        }


@dataclass(frozen=True)
class KeywordRow:
    keyword: str
    normalized: str
    volume: int
    difficulty: int
    cpc: Decimal
    intent: str
    serp_urls: list[str]


def _cell(cells: list[str], columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    return cells[index] if index is not None and index < len(cells) else ""


def read_row(cells: list[str], columns: dict[str, int]) -> KeywordRow:
    text = clean_keyword(_cell(cells, columns, "keyword"))
    if not text:
        raise ValueError("keyword is empty")
    if len(text) > 255:
        raise ValueError(f"keyword is longer than 255 characters ({len(text)})")
    return KeywordRow(
        keyword=text,
        normalized=normalize_keyword(text),
        volume=row_values.whole_number(_cell(cells, columns, "volume"), field="volume"),
        difficulty=row_values.whole_number(
            _cell(cells, columns, "difficulty"), field="difficulty", maximum=100
        ),
        cpc=row_values.money(_cell(cells, columns, "cpc"), field="cpc"),
        # A tool's intent column wins; without one the rules classify the keyword (clustering.intent).
        intent=(
            row_values.intent(_cell(cells, columns, "intent"))
            if _cell(cells, columns, "intent").strip()
            else classify_intent(text)
        ),
        serp_urls=row_values.urls(_cell(cells, columns, "serp_urls")),
    )


# (line number, the row as read or why it was refused): the per-row work, done once.
Reading = tuple[int, KeywordRow | RowIssue]
PROGRESS_EVERY = 5000  # rows between progress reports of a background import


def read_rows(
    *, parsed: csv_reading.ParsedFile, progress: Callable[[int], None] | None = None
) -> list[Reading]:
    """Every row read and checked (the costly part: numbers, URLs, intent rules); needs no database,
    so a background import does it outside the write transaction and reports progress."""
    readings: list[Reading] = []
    for index, (line, cells) in enumerate(parsed.rows, 1):
        try:
            readings.append((line, read_row(cells, parsed.columns)))
        except ValueError as error:
            readings.append(
                (line, RowIssue(line, _cell(cells, parsed.columns, "keyword").strip(), str(error)))
            )
        if progress is not None and index % PROGRESS_EVERY == 0:
            progress(index)
    return readings


def judge_readings(*, readings: list[Reading], existing: set[str], report: ImportReport) -> list[KeywordRow]:
    """The rows to create; every other row is recorded on the report with its reason."""
    first_seen: dict[str, int] = {}
    accepted: list[KeywordRow] = []
    for line, row in readings:
        if isinstance(row, RowIssue):
            report.add("skipped", row)
        elif row.normalized in existing:
            report.add("duplicates", RowIssue(line, row.keyword, "already in this site"))
        elif row.normalized in first_seen:
            report.add(
                "duplicates", RowIssue(line, row.keyword, f"repeats line {first_seen[row.normalized]}")
            )
        else:
            first_seen[row.normalized] = line
            accepted.append(row)
    return accepted


def judge_rows(
    *, parsed: csv_reading.ParsedFile, existing: set[str], report: ImportReport
) -> list[KeywordRow]:
    return judge_readings(readings=read_rows(parsed=parsed), existing=existing, report=report)


def _check_plan(*, site: Site, adding: int) -> None:
    plan = site.account.plan
    held = Keyword.objects.filter(account=site.account).count()
    if held + adding > plan.max_keywords:
        raise PlanLimit(
            f"This import would bring the account to {held + adding} keywords; the plan allows "
            f"{plan.max_keywords} ({held} held now). Remove rows or upgrade the plan. Nothing was imported."
        )


@transaction.atomic
def keywords_import(*, site: Site, data: bytes, sector: Sector | None = None) -> ImportReport:
    """Raises csv_reading.CsvProblem for an unreadable file and PlanLimit over the limit."""
    parsed = csv_reading.parse(data)
    return keywords_write(site=site, sector=sector, parsed=parsed, readings=read_rows(parsed=parsed))


@transaction.atomic
def keywords_write(
    *, site: Site, sector: Sector | None, parsed: csv_reading.ParsedFile, readings: list[Reading]
) -> ImportReport:
    """Judges the read rows against the site's keywords and writes them, all in one transaction:
    the synchronous import and the background one (planner/import_jobs.py) both end here."""
    # Serialise imports into one site so the duplicate check and the insert see the same rows.
    Site.objects.select_for_update().filter(pk=site.pk).first()
    report = ImportReport(
        rows=len(parsed.rows),
        encoding=parsed.encoding,
        delimiter=parsed.delimiter,
        ignored_columns=parsed.ignored_columns,
    )
    existing = set(Keyword.objects.filter(site=site).values_list("normalized", flat=True))
    accepted = judge_readings(readings=readings, existing=existing, report=report)
    _check_plan(site=site, adding=len(accepted))
    created = Keyword.objects.bulk_create(
        [Keyword(account_id=site.account_id, site=site, sector=sector, **vars(row)) for row in accepted],
        batch_size=BATCH_SIZE,
    )
    report.created = len(accepted)
    if created:
        # Rules on keywords_imported start after this transaction commits.
        events.emit_safely(
            account=site.account,
            site=site,
            event_type="keywords_imported",
            context={"keyword_ids": [k.pk for k in created if k.pk is not None], "count": len(created)},
        )
    return report


def keywords_import_upload(*, site: Site, uploaded_file, sector: Sector | None = None) -> ImportReport:
    """An uploaded keyword file, as both the API's import endpoint and the keywords page take it:
    the size limit and an unreadable file are a 400 on the "file" field; the plan's keyword limit
    is a 402 (PlanLimit). The messages are the same wherever the file came in."""
    limit = settings.KEYWORD_IMPORT_MAX_BYTES
    if uploaded_file.size > limit:
        raise Invalid(f"The file is {uploaded_file.size} bytes; the limit is {limit}.", field="file")
    try:
        return keywords_import(site=site, sector=sector, data=uploaded_file.read())
    except csv_reading.CsvProblem as problem:
        raise Invalid(str(problem), field="file") from problem
