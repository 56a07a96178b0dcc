"""Importing a case sample from CSV: every row checked first; one bad row refuses the whole file."""

import csv
import datetime
import io
import re
from collections import Counter
from dataclasses import dataclass

from django.db import transaction

from inspection import input_rules
from inspection.models import Inspection
from inspection.published import ensure_editable

from .changes import record_added
from .choices import AgeBand, Ethnicity, Gender, RoshLevel, SentenceType
from .import_checks import (
    CASE_REF_MAX,
    PRACTITIONERS_RANGE,
    practitioners_problem,
    shown,
    text_problem,
)
from .models import Case

REQUIRED_COLUMNS = [
    "ref",
    "sentence_type",
    "start_date",
    "court_work",
    "resettlement",
    "gender",
    "ethnicity",
    "disability",
    "age_band",
    "rosh",
]
OPTIONAL_COLUMNS = ["practitioners", "inspector"]
CHOICES = {
    "sentence_type": SentenceType.values,
    "gender": Gender.values,
    "ethnicity": Ethnicity.values,
    "age_band": AgeBand.values,
    "rosh": RoshLevel.values,
}
TRUE, FALSE = {"yes", "y", "true", "1"}, {"no", "n", "false", "0"}
MAX_ROWS = 500
MAX_BYTES = 1_000_000
# ASCII digits only ('²'.isdigit() is true, int('²') fails), and few enough for int() to take.
WHOLE_NUMBER = re.compile("[0-9]{1,9}")


class SampleRefused(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class SampleRow:
    line: int
    values: dict


def parse_date(text: str) -> datetime.date | None:
    """A date as YYYY-MM-DD or DD/MM/YYYY, or None (the case sample and caseload extracts)."""
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _decode(data: bytes | str) -> str:
    if len(data) > MAX_BYTES:  # a str's characters: each is at least one byte of the file
        raise SampleRefused([f"The file is larger than {MAX_BYTES // 1000} KB"])
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SampleRefused(
            ["The file is not UTF-8 text: save it as CSV UTF-8 and try again"]
        ) from error


def _records(text: str) -> list[tuple[int, list[str]]]:
    """Each record's fields, with the line it starts on (a quoted field may hold line breaks)."""
    # No field is longer than the file: with csv's 128 KB field limit raised to the file's, a
    # long field is reported by its row and column like any other bad value. (The limit is the
    # whole process's; raising it only lets other readers take longer fields too.)
    csv.field_size_limit(max(csv.field_size_limit(), MAX_BYTES))
    reader = csv.reader(io.StringIO(text, newline=""))
    records, line = [], 1
    for fields in reader:
        records.append((line, fields))
        line = reader.line_num + 1
    return records


def _header_problems(line: int, header: list[str]) -> list[str]:
    counts = Counter(header)  # each name once, however many columns the line has
    missing = [c for c in REQUIRED_COLUMNS if c not in counts]
    unknown = [c for c in counts if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    twice = [c for c in REQUIRED_COLUMNS + OPTIONAL_COLUMNS if counts[c] > 1]
    return (
        [f"Line {line}: missing column {c!r}" for c in missing]
        + [f"Line {line}: unknown column {shown(c)}" for c in unknown]
        + [f"Line {line}: column {c!r} appears more than once" for c in twice]
    )


def validate_sample(inspection: Inspection, data: bytes | str) -> list[SampleRow]:
    """Parsed rows, or SampleRefused naming each bad row (by line number) and field."""
    records = _records(_decode(data))
    while records and not any(name.strip() for name in records[0][1]):
        records.pop(0)  # blank lines before the header
    line, names = records[0] if records else (1, [])
    header = [name.strip() for name in names]
    problems = _header_problems(line, header)
    if problems:
        raise SampleRefused(problems)

    windows = list(inspection.sample_windows.values_list("start", "end"))
    existing = set(inspection.cases.values_list("ref", flat=True))
    team = {u.username: u for u in inspection.team.all()}
    if inspection.lead_inspector:
        team[inspection.lead_inspector.username] = inspection.lead_inspector
    rows, seen, counted = [], {}, 0
    for line, fields in records[1:]:
        extra = len(fields) > len(header)
        if not extra and not any(field.strip() for field in fields):
            continue  # a blank line
        counted += 1
        if counted > MAX_ROWS:
            raise SampleRefused([f"The file has more than {MAX_ROWS} rows"])
        if extra:
            # Even a blank one: a field past the last column is a shifted row, not a blank one.
            problems.append(
                f"Line {line}: {len(fields)} fields, but the header has {len(header)} columns"
            )
            continue
        values, row_problems = _validate_row(dict(zip(header, fields, strict=False)), windows, team)
        ref = values.get("ref")
        if ref in existing:
            row_problems.append(f"ref: case {ref!r} is already in this inspection")
        elif ref in seen:
            row_problems.append(f"ref: {ref!r} is also on line {seen[ref]}")
        if ref:
            seen.setdefault(ref, line)
        problems += [f"Line {line}: {p}" for p in row_problems]
        rows.append(SampleRow(line, values))
    if not rows and not problems:
        problems.append("The file has no case rows")
    if problems:
        raise SampleRefused(problems)
    return rows


def _validate_row(raw: dict, windows, team) -> tuple[dict, list[str]]:
    """A row's values (a column left off the end of a short row reads as empty), and problems.

    A column holding a control character is named for that alone, not again for its value.
    """
    problems, values = [], {}
    for column, value in raw.items():
        if problem := input_rules.control_character_problem(value):
            problems.append(f"{column}: {problem}")
    text = {
        column: raw.get(column, "").strip()
        for column in REQUIRED_COLUMNS + OPTIONAL_COLUMNS
        if input_rules.control_character_problem(raw.get(column, "")) is None
    }
    ref = text.get("ref")
    if ref == "":
        problems.append("ref: a case reference is required")
    elif ref is not None and (problem := text_problem(ref, CASE_REF_MAX)):
        problems.append(f"ref: {problem}")
        ref = None
    values["ref"] = ref
    for field, choices in CHOICES.items():
        if field not in text:
            continue
        value = text[field].lower()
        if value not in choices:
            problems.append(f"{field}: {shown(text[field])} is not one of {', '.join(choices)}")
        values[field] = value
    if "start_date" in text:
        start = parse_date(text["start_date"])
        if start is None:
            problems.append(
                f"start_date: {shown(text['start_date'])} is not a date (YYYY-MM-DD or DD/MM/YYYY)"
            )
        elif windows and not any(s <= start <= e for s, e in windows):
            spans = "; ".join(f"{s:%d/%m/%Y} to {e:%d/%m/%Y}" for s, e in windows)
            problems.append(f"start_date: {start:%d/%m/%Y} is outside the sample windows ({spans})")
        values["start_date"] = start
    for field in ("court_work", "resettlement", "disability"):
        if field not in text:
            continue
        value = text[field].lower()
        if value not in TRUE | FALSE:
            problems.append(f"{field}: {shown(text[field])} is not yes or no")
        values[field] = value in TRUE
    if "practitioners" in text:
        practitioners = text["practitioners"] or "1"
        if not WHOLE_NUMBER.fullmatch(practitioners) or practitioners_problem(int(practitioners)):
            problems.append(f"practitioners: {shown(practitioners)} is not {PRACTITIONERS_RANGE}")
        else:
            values["practitioners"] = int(practitioners)
    inspector = text.get("inspector", "")
    if inspector and inspector not in team:
        problems.append(f"inspector: {shown(inspector)} is not on this inspection's team")
    values["assigned_inspector"] = team.get(inspector)
    return values, problems


def import_sample(inspection: Inspection, data: bytes | str, by=None) -> list[Case]:
    """Validate every row, then create all the cases in one transaction (or none).
    `by`: who imports them, for the audit trail (None: the command line)."""
    with transaction.atomic():
        # Lock first, then check the references against the cases already there: a second
        # import of the same file waits here, then finds them taken and says so.
        locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
        ensure_editable(locked)
        rows = validate_sample(locked, data)
        cases = Case.objects.bulk_create(Case(inspection=locked, **row.values) for row in rows)
        record_added(cases, by, "Imported from a case sample CSV")
        return cases
