"""Importing a case sample from CSV: every row checked first; one bad row refuses the whole file."""

import csv
import datetime
import io
from dataclasses import dataclass

from django.db import transaction

from inspection.models import Inspection
from inspection.published import ensure_editable

from .changes import record_added
from .choices import AgeBand, Ethnicity, Gender, RoshLevel, SentenceType
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


class SampleRefused(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class SampleRow:
    line: int
    values: dict


def _parse_date(text: str) -> datetime.date | None:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    if len(data) > MAX_BYTES:
        raise SampleRefused([f"The file is larger than {MAX_BYTES // 1000} KB"])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SampleRefused(
            ["The file is not UTF-8 text: save it as CSV UTF-8 and try again"]
        ) from error


def validate_sample(inspection: Inspection, data: bytes | str) -> list[SampleRow]:
    """Parsed rows, or SampleRefused naming each bad row (by line number) and field."""
    reader = csv.DictReader(io.StringIO(_decode(data)))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    unknown = [c for c in header if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if missing or unknown:
        problems = [f"Line 1: missing column {c!r}" for c in missing]
        problems += [f"Line 1: unknown column {c!r}" for c in unknown]
        raise SampleRefused(problems)
    reader.fieldnames = header

    windows = list(inspection.sample_windows.values_list("start", "end"))
    existing = set(inspection.cases.values_list("ref", flat=True))
    team = {u.username: u for u in inspection.team.all()}
    if inspection.lead_inspector:
        team[inspection.lead_inspector.username] = inspection.lead_inspector
    problems, rows, seen = [], [], {}
    for index, raw in enumerate(reader, start=2):
        if index - 1 > MAX_ROWS:
            raise SampleRefused([f"The file has more than {MAX_ROWS} rows"])
        if not any((v or "").strip() for v in raw.values()):
            continue  # blank line
        values, row_problems = _validate_row(raw, windows, team)
        ref = values.get("ref")
        if ref in existing:
            row_problems.append(f"ref: case {ref!r} is already in this inspection")
        elif ref in seen:
            row_problems.append(f"ref: {ref!r} is also on line {seen[ref]}")
        if ref:
            seen.setdefault(ref, index)
        problems += [f"Line {index}: {p}" for p in row_problems]
        rows.append(SampleRow(index, values))
    if not rows and not problems:
        problems.append("The file has no case rows")
    if problems:
        raise SampleRefused(problems)
    return rows


def _validate_row(raw: dict, windows, team) -> tuple[dict, list[str]]:
    text = {k: (v or "").strip() for k, v in raw.items() if k}
    problems, values = [], {}
    ref = text.get("ref", "")
    if not ref:
        problems.append("ref: a case reference is required")
    elif len(ref) > 30:
        problems.append("ref: must be 30 characters or fewer")
    values["ref"] = ref
    for field, choices in CHOICES.items():
        value = text.get(field, "").lower()
        if value not in choices:
            problems.append(f"{field}: {text.get(field, '')!r} is not one of {', '.join(choices)}")
        values[field] = value
    start = _parse_date(text.get("start_date", ""))
    if start is None:
        problems.append(
            f"start_date: {text.get('start_date', '')!r} is not a date (YYYY-MM-DD or DD/MM/YYYY)"
        )
    elif windows and not any(s <= start <= e for s, e in windows):
        spans = "; ".join(f"{s:%d/%m/%Y} to {e:%d/%m/%Y}" for s, e in windows)
        problems.append(f"start_date: {start:%d/%m/%Y} is outside the sample windows ({spans})")
    values["start_date"] = start
    for field in ("court_work", "resettlement", "disability"):
        value = text.get(field, "").lower()
        if value not in TRUE | FALSE:
            problems.append(f"{field}: {text.get(field, '')!r} is not yes or no")
        values[field] = value in TRUE
    practitioners = text.get("practitioners", "") or "1"
    if not practitioners.isdigit() or int(practitioners) < 1:
        problems.append(f"practitioners: {practitioners!r} is not a whole number of at least 1")
    else:
        values["practitioners"] = int(practitioners)
    inspector = text.get("inspector", "")
    if inspector and inspector not in team:
        problems.append(f"inspector: {inspector!r} is not on this inspection's team")
    values["assigned_inspector"] = team.get(inspector)
    return values, problems


def import_sample(inspection: Inspection, data: bytes | str, by=None) -> list[Case]:
    """Validate every row, then create all the cases in one transaction (or none).
    `by`: who imports them, for the audit trail (None: the command line)."""
    ensure_editable(inspection)
    rows = validate_sample(inspection, data)
    with transaction.atomic():
        ensure_editable(Inspection.objects.select_for_update().get(pk=inspection.pk))
        cases = Case.objects.bulk_create(Case(inspection=inspection, **row.values) for row in rows)
        record_added(cases, by, "Imported from a case sample CSV")
        return cases
