"""Reading a caseload extract (CSV or XLSX, tens of thousands of rows) for drawing a sample.

Read as a stream: a CSV line by line through a decoder, an XLSX row by row (openpyxl's read-only
mode), so a large file is never held as text. Every row is checked; the extract is refused whole
if any row is wrong, each problem naming its row and column (the first MAX_PROBLEMS of them, and
how many more). Values may be given as codes ("community_order") or as labels ("Community
order"), in any case. References must match CASE_REF_PATTERN and hold a digit: a reference with
no digit looks like a person's name, and an extract must be pseudonymous.
"""

import csv
import datetime
import io
import re
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from python_calamine import CalamineError, CalamineWorkbook

from inspection.framework.case_attributes import AgeBand, Ethnicity, Gender, RoshLevel, SentenceType

from .import_checks import CASE_REF_MAX, shown
from .sample_import import parse_date

# column: (meaning, allowed values as shown in the guide)
COLUMNS = {
    "ref": "the pseudonymous case reference, e.g. X123456",
    "sentence_type": "sentence or licence type",
    "start_date": "when the sentence or licence started: YYYY-MM-DD or DD/MM/YYYY",
    "gender": "gender",
    "ethnicity": "ethnic group",
    "disability": "whether a disability is recorded: yes or no",
    "age_band": "age band",
    "rosh": "risk of serious harm level",
    "court_work": "whether the PDU gave pre-sentence information to court: yes or no",
    "released_from_custody": "whether released from custody (resettlement): yes or no",
}
CHOICES = {
    "sentence_type": SentenceType,
    "gender": Gender,
    "ethnicity": Ethnicity,
    "age_band": AgeBand,
    "rosh": RoshLevel,
}
BOOLEANS = ("disability", "court_work", "released_from_custody")
TRUE, FALSE = {"yes", "y", "true", "1"}, {"no", "n", "false", "0"}
MAX_PROBLEMS = 200
MAX_ROWS = 200_000
_DIGIT = re.compile("[0-9]")


def lookup(choices) -> dict[str, str]:
    """Each value's code and label, lower-cased, to its code."""
    found = {}
    for value, label in choices.choices:
        found[value.lower()] = value
        found[str(label).lower()] = value
    return found


LOOKUPS = {name: lookup(choices) for name, choices in CHOICES.items()}


def guide() -> list[tuple[str, str, str]]:
    """(column, meaning, allowed values) for the column guide and the template."""
    rows = []
    for column, meaning in COLUMNS.items():
        if column in CHOICES:
            allowed = "; ".join(f"{v} ({label})" for v, label in CHOICES[column].choices)
        elif column in BOOLEANS:
            allowed = "yes or no"
        elif column == "ref":
            allowed = f"matches {settings.CASE_REF_PATTERN}, with a digit"
        else:
            allowed = "a date"
        rows.append((column, meaning, allowed))
    return rows


def template_csv() -> str:
    """A header and one example row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerow(
        [
            "X123456",
            "community_order",
            "2026-05-04",
            "male",
            "white",
            "no",
            "26-35",
            "medium",
            "yes",
            "no",
        ]
    )
    return out.getvalue()


@dataclass(frozen=True)
class ExtractRow:
    ref: str
    sentence_type: str
    start_date: datetime.date
    gender: str
    ethnicity: str
    disability: bool
    age_band: str
    rosh: str
    court_work: bool
    resettlement: bool


@dataclass
class Extract:
    rows: list[ExtractRow] = field(default_factory=list)

    def counts(self, attribute: str) -> Counter:
        return Counter(getattr(row, attribute) for row in self.rows)


class ExtractRefused(Exception):
    def __init__(self, problems: list[str], more: int = 0):
        self.problems = problems + ([f"... and {more:,} more problems"] if more else [])
        super().__init__("\n".join(self.problems))


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a spreadsheet's numbers are floats: 123456.0 is 123456
    return str(value).strip()


class _Checker:
    def __init__(self):
        self.pattern = re.compile(settings.CASE_REF_PATTERN)
        self.problems: list[str] = []
        self.more = 0
        self.seen: dict[str, int] = {}
        self.extract = Extract()

    def problem(self, text: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(text)
        else:
            self.more += 1

    def header(self, names: list[str]) -> list[str]:
        header = [_cell(n).lower() for n in names]
        missing = [c for c in COLUMNS if c not in header]
        unknown = [c for c in header if c and c not in COLUMNS]
        for column in missing:
            self.problem(f"Row 1: missing column {column!r}")
        for column in unknown:
            self.problem(f"Row 1: unknown column {shown(column)}")
        if missing or unknown:
            raise ExtractRefused(self.problems, self.more)
        return header

    def row(self, number: int, header: list[str], cells) -> None:
        raw = {name: _cell(value) for name, value in zip(header, cells, strict=False) if name}
        if not any(raw.values()):
            return  # a blank row
        if len(self.extract.rows) >= MAX_ROWS:
            raise ExtractRefused([f"The extract has more than {MAX_ROWS:,} rows"])
        where = f"Row {number}"
        bad = False
        ref = raw.get("ref", "")
        if not ref:
            self.problem(f"{where}, ref: a case reference is required")
            bad = True
        elif len(ref) > CASE_REF_MAX or not self.pattern.fullmatch(ref):
            self.problem(
                f"{where}, ref: {shown(ref)} is not a case reference ({settings.CASE_REF_PATTERN})"
            )
            bad = True
        elif not _DIGIT.search(ref):
            self.problem(
                f"{where}, ref: {shown(ref)} has no digit and looks like a name: the extract must "
                "hold pseudonymous references only"
            )
            bad = True
        elif ref in self.seen:
            self.problem(f"{where}, ref: {shown(ref)} is also on row {self.seen[ref]}")
            bad = True
        else:
            self.seen[ref] = number
        values = {}
        for column, table in LOOKUPS.items():
            value = table.get(raw.get(column, "").lower())
            if value is None:
                self.problem(
                    f"{where}, {column}: {shown(raw.get(column, ''))} is not one of "
                    f"{', '.join(CHOICES[column].values)} (or their labels)"
                )
                bad = True
            values[column] = value
        for column in BOOLEANS:
            text = raw.get(column, "").lower()
            if text not in TRUE | FALSE:
                self.problem(f"{where}, {column}: {shown(raw.get(column, ''))} is not yes or no")
                bad = True
            values[column] = text in TRUE
        start = parse_date(raw.get("start_date", ""))
        if start is None:
            self.problem(
                f"{where}, start_date: {shown(raw.get('start_date', ''))} is not a date "
                "(YYYY-MM-DD or DD/MM/YYYY)"
            )
            bad = True
        if not bad:
            values["resettlement"] = values.pop("released_from_custody")
            self.extract.rows.append(ExtractRow(ref=ref, start_date=start, **values))

    def result(self) -> Extract:
        if not self.extract.rows and not self.problems:
            self.problem("The extract has no case rows")
        if self.problems:
            raise ExtractRefused(self.problems, self.more)
        return self.extract


class _NotUtf8(Exception):
    def __init__(self, line: int):
        self.line = line


def _lines(stream):
    """The binary stream's lines as text, one at a time (csv.reader joins a quoted field's
    lines); a line that is not UTF-8 is named by its number."""
    for number, raw in enumerate(stream, start=1):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]  # Excel's byte-order mark
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise _NotUtf8(number) from error


def read_csv(stream) -> Extract:
    """`stream`: a binary file (an upload, an open file), read a line at a time."""
    checker = _Checker()
    reader = csv.reader(_lines(stream))
    header = None
    try:
        for cells in reader:
            if header is None:
                if not any(c.strip() for c in cells):
                    continue
                header = checker.header(cells)
                continue
            checker.row(reader.line_num, header, cells)
    except _NotUtf8 as error:
        raise ExtractRefused(
            [
                f'Row {error.line}: the file is not UTF-8 text. Save it as "CSV UTF-8" (or as '
                "an Excel workbook) and try again."
            ]
        ) from None
    except csv.Error as error:
        raise ExtractRefused([f"Row {reader.line_num}: not a CSV row ({error})"]) from error
    if header is None:
        raise ExtractRefused(["The extract is empty: it has no header row"])
    return checker.result()


def read_xlsx(stream) -> Extract:
    """The first sheet of a workbook, row by row (calamine: about 0.5 s for 50,000 rows, where
    openpyxl's read-only mode took 12 s)."""
    checker = _Checker()
    try:
        sheet = CalamineWorkbook.from_filelike(stream).get_sheet_by_index(0)
        rows = sheet.iter_rows()
    except (CalamineError, OSError, ValueError, IndexError) as error:
        raise ExtractRefused(["The file is not an Excel workbook (.xlsx)"]) from error
    header = None
    for number, cells in enumerate(rows, start=1):
        if header is None:
            if not any(_cell(c) for c in cells):
                continue
            header = checker.header(list(cells))
            continue
        checker.row(number, header, cells)
    if header is None:
        raise ExtractRefused(["The extract is empty: it has no header row"])
    return checker.result()


def read_extract(stream, name: str) -> Extract:
    """By the file's name: .xlsx a workbook, anything else CSV."""
    if name.lower().endswith(".xlsx"):
        return read_xlsx(stream)
    return read_csv(stream)
