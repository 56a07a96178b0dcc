"""Recording an inspection's domain-1 evidence tallies: typed on the lead's page or imported from
CSV, each change audited, in one transaction under the inspection's lock, refused once published.

A tally is `yes` out of `relevant`, a count alone (`relevant`), or a percentage alone (`percent`)
when only that is known (docs/report-text.md, "Domain-1 evidence").
"""

import csv
import io
import re
from dataclasses import dataclass

from django.db import transaction

from inspection import audit
from inspection.choices import AuditKind
from inspection.input_rules import control_character_problem, normalise_line_endings
from inspection.models import EvidenceQuestion, EvidenceTally, Inspection
from inspection.published import lock_for_edit

CSV_COLUMNS = ("key", "yes", "relevant", "percent")
CSV_MAX_BYTES = 100_000  # a framework has tens of evidence questions, not thousands
COUNT_MAX = 2_147_483_647  # PositiveIntegerField's range on PostgreSQL
# ASCII digits only ('²'.isdigit() is true), and few enough for int() to take at once.
_WHOLE_NUMBER = re.compile("[0-9]{1,12}")
CSV_REASON = "Imported from CSV"


class EvidenceRefused(Exception):
    """Nothing was recorded; `problems` lists every reason, each naming where it is."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Tally:
    yes: int | None = None
    relevant: int | None = None
    percent: int | None = None

    @property
    def empty(self) -> bool:
        return self.yes is None and self.relevant is None and self.percent is None

    @classmethod
    def of(cls, row: EvidenceTally | None) -> "Tally":
        return cls() if row is None else cls(row.yes, row.relevant, row.percent)

    def shown(self) -> str:
        if self.empty:
            return ""
        if self.percent is not None:
            return f"{self.percent}%"
        if self.yes is not None:
            return f"{self.yes} of {self.relevant}"
        return str(self.relevant)


def shape_problems(tally: Tally) -> list[tuple[str, str]]:
    """(field, what is wrong) for a tally that is none of the three shapes (empty is fine)."""
    problems = []
    for name in ("yes", "relevant", "percent"):
        value = getattr(tally, name)
        if value is not None and not 0 <= value <= COUNT_MAX:
            problems.append((name, f"must be a whole number from 0 to {COUNT_MAX:,}"))
    if problems:
        return problems
    if tally.percent is not None:
        if tally.percent > 100:
            problems.append(("percent", "must be from 0 to 100"))
        if tally.yes is not None or tally.relevant is not None:
            problems.append(
                ("percent", "give either a percentage alone, or yes and relevant: not both")
            )
    elif tally.yes is not None and tally.relevant is None:
        problems.append(("relevant", "give how many were asked (relevant) with yes"))
    elif tally.yes is not None and tally.yes > tally.relevant:
        problems.append(("yes", f"{tally.yes} is more than relevant ({tally.relevant})"))
    return problems


def evidence_questions(inspection: Inspection) -> list[EvidenceQuestion]:
    return list(EvidenceQuestion.objects.filter(framework_id=inspection.framework_id))


def tallies_by_code(inspection: Inspection) -> dict[str, Tally]:
    return {
        row.question.code: Tally.of(row)
        for row in EvidenceTally.objects.filter(inspection=inspection).select_related("question")
    }


def record_tallies(
    inspection: Inspection, tallies: dict[str, Tally], *, by, reason: str = ""
) -> int:
    """Set the tally of each evidence question named (an empty Tally clears it); the others stay
    as they are. All or nothing: EvidenceRefused names every problem. Returns how many changed."""
    with transaction.atomic():
        locked = lock_for_edit(inspection.pk)
        questions = {q.code: q for q in evidence_questions(locked)}
        problems = [
            f"{code}: not an evidence question of this inspection's framework"
            for code in tallies
            if code not in questions
        ]
        problems += [
            f"{code}: {field}: {message}"
            for code, tally in tallies.items()
            for field, message in shape_problems(tally)
        ]
        if problems:
            raise EvidenceRefused(problems)
        stored = {
            row.question_id: row
            for row in EvidenceTally.objects.select_for_update().filter(inspection=locked)
        }
        entries = []
        for code, tally in tallies.items():
            question = questions[code]
            row = stored.get(question.pk)
            before = Tally.of(row)
            if before == tally:
                continue
            if tally.empty:
                row.delete()
            elif row is None:
                EvidenceTally.objects.create(
                    inspection=locked,
                    question=question,
                    yes=tally.yes,
                    relevant=tally.relevant,
                    percent=tally.percent,
                )
            else:
                row.yes, row.relevant, row.percent = tally.yes, tally.relevant, tally.percent
                row.save(update_fields=["yes", "relevant", "percent"])
            entries.append(
                audit.entry(
                    locked.pk,
                    AuditKind.EVIDENCE,
                    by=by,
                    subject=f"Evidence {code} ({question.source}): {question.text}",
                    old=before.shown(),
                    new=tally.shown(),
                    reason=reason,
                )
            )
        audit.record_many(entries)
    return len(entries)


# CSV import ------------------------------------------------------------------------------------


def _decode(data: bytes | str) -> str:
    if len(data) > CSV_MAX_BYTES:
        raise EvidenceRefused([f"The file is larger than {CSV_MAX_BYTES // 1000} KB"])
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise EvidenceRefused(
            ["The file is not UTF-8 text: save it as CSV UTF-8 and try again"]
        ) from None


def _shown(value: str) -> str:
    return repr(value) if len(value) <= 30 else repr(value[:27] + "...")


def _number(text: str) -> int | None:
    if not text:
        return None
    if not _WHOLE_NUMBER.fullmatch(text):
        raise ValueError(f"{_shown(text)} is not a whole number in the digits 0 to 9")
    return int(text)


def parse_tally_csv(inspection: Inspection, data: bytes | str) -> dict[str, Tally]:
    """{key: tally} from a CSV with the columns key, yes, relevant, percent; or EvidenceRefused
    naming every bad row by its line and column. A cell is read as a value, never a formula."""
    text = normalise_line_endings(_decode(data))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        records = []
        line = 1
        for fields in reader:
            records.append((line, fields))
            line = reader.line_num + 1
    except csv.Error as error:
        raise EvidenceRefused([f"Line {reader.line_num}: not readable as CSV ({error})"]) from None
    records = [(n, f) for n, f in records if any(cell.strip() for cell in f)]
    if not records:
        raise EvidenceRefused(["The file is empty: give a header line key,yes,relevant,percent"])
    header_line, header = records[0]
    header = [name.strip().lower() for name in header]
    problems = [
        f"Line {header_line}: missing column {name!r}" for name in CSV_COLUMNS if name not in header
    ]
    problems += [
        f"Line {header_line}: unknown column {_shown(name)}"
        for name in header
        if name not in CSV_COLUMNS
    ]
    problems += [
        f"Line {header_line}: column {name!r} appears more than once"
        for name in CSV_COLUMNS
        if header.count(name) > 1
    ]
    if problems:
        raise EvidenceRefused(problems)
    codes = {q.code for q in evidence_questions(inspection)}
    tallies: dict[str, Tally] = {}
    first_line: dict[str, int] = {}
    for line, fields in records[1:]:
        if len(fields) > len(header):
            problems.append(
                f"Line {line}: {len(fields)} fields, but the header has {len(header)} columns"
            )
            continue
        cells = dict(zip(header, (cell.strip() for cell in fields), strict=False))
        row_problems = []
        for column in CSV_COLUMNS:
            control = control_character_problem(cells.get(column, ""))
            if control:
                row_problems.append(f"Line {line}, column {column}: {control}")
        if row_problems:
            problems += row_problems
            continue
        key = cells.get("key", "")
        if not key:
            problems.append(f"Line {line}, column key: missing")
        elif key not in codes:
            problems.append(
                f"Line {line}, column key: {_shown(key)} is not an evidence question of this "
                "inspection's framework"
            )
        elif key in first_line:
            problems.append(
                f"Line {line}, column key: {key} is given twice (also on line {first_line[key]})"
            )
        values = {}
        for column in ("yes", "relevant", "percent"):
            try:
                values[column] = _number(cells.get(column, ""))
            except ValueError as error:
                problems.append(f"Line {line}, column {column}: {error}")
                values = None
                break
        if values is None:
            continue
        tally = Tally(**values)
        if tally.empty:
            problems.append(
                f"Line {line}: give yes and relevant, relevant alone, or percent (to leave a "
                "tally out, leave out its line)"
            )
            continue
        problems += [
            f"Line {line}, column {field}: {message}" for field, message in shape_problems(tally)
        ]
        if key in codes and key not in first_line:
            first_line[key] = line
            tallies[key] = tally
    if problems:
        raise EvidenceRefused(problems)
    if not tallies:
        raise EvidenceRefused(["The file has a header but no tallies"])
    return tallies


def import_tally_csv(inspection: Inspection, data: bytes | str, *, by) -> int:
    """Check the whole file, then record every tally in it (or none): EvidenceRefused names
    each problem. Returns how many tallies changed."""
    return record_tallies(inspection, parse_tally_csv(inspection, data), by=by, reason=CSV_REASON)


def csv_rows(inspection: Inspection) -> list[list]:
    """The import's columns, one row per evidence question, filled where a tally is recorded:
    a download to fill in and import again."""
    tallies = tallies_by_code(inspection)
    rows = []
    for question in evidence_questions(inspection):
        tally = tallies.get(question.code, Tally())
        rows.append(
            [
                question.code,
                *("" if v is None else v for v in (tally.yes, tally.relevant, tally.percent)),
            ]
        )
    return rows
