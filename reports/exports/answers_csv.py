"""Every answer of an inspection as CSV rows, generated lazily so any number of cases streams."""

import csv
from collections.abc import Iterator

from django.utils import timezone

from cases.models import Answer
from inspection.models import Inspection

HEADER = (
    "case_ref",
    "question_code",
    "question_kind",
    "value",
    "evidence_note",
    "updated_by",
    "updated_at",
)
# Spreadsheet programs run a cell starting with one of these as a formula (CSV injection), and
# evidence notes are free text typed by people: such cells get a leading apostrophe so they stay
# text. Tab and carriage return are on OWASP's list too.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Excel reads a CSV without a byte-order mark as the local code page, garbling non-ASCII text.
BYTE_ORDER_MARK = "\ufeff"
CHUNK_SIZE = 2000


def neutralise(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value


class _Line:
    """A file-like target for csv.writer that hands back each line instead of storing it."""

    def write(self, line: str) -> str:
        return line


def answer_rows(inspection: Inspection) -> Iterator[tuple]:
    """One query, read in chunks (a server-side cursor on PostgreSQL)."""
    answers = (
        Answer.objects.filter(case__inspection=inspection)
        .order_by("case__ref", "question__order")
        .values_list(
            "case__ref",
            "question__code",
            "question__kind",
            "value",
            "note",
            "updated_by__username",
            "updated_at",
        )
        .iterator(chunk_size=CHUNK_SIZE)
    )
    for ref, code, kind, value, note, username, updated_at in answers:
        yield (
            ref,
            code,
            kind,
            value,
            note,
            username or "",
            timezone.localtime(updated_at).isoformat() if updated_at else "",
        )


def csv_lines(inspection: Inspection) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield BYTE_ORDER_MARK + writer.writerow(HEADER)
    for row in answer_rows(inspection):
        yield writer.writerow([neutralise(cell) for cell in row])
