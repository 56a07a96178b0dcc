"""Every answer of an inspection as CSV rows, generated lazily so any number of cases streams."""

from collections.abc import Iterator

from django.utils import timezone

from cases.models import Answer
from inspection import csv_safe
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
CHUNK_SIZE = 2000


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
    """Guarded against formula injection in notes (inspection.csv_safe)."""
    return csv_safe.csv_lines(HEADER, answer_rows(inspection))
