"""Pulling a case's practice example into the written report: the report's side of the cases'
practice examples (cases/practice_examples.py offers and marks them)."""

from django.db import transaction

from cases.models import PracticeExample
from cases.practice_examples import subject_of
from inspection import audit
from inspection.choices import AuditKind
from inspection.models import ItemList, ReportItem, ReportPart, ReportSubsection

from . import report_writing


def pull_into_report(example: PracticeExample, *, kind: str, text: str, by) -> ReportItem:
    """Add the example's words (as the lead edited them) at the end of its standard's own
    text in the report, as a quote or a paragraph; the case goes nowhere. ValidationError (from
    report_writing, whose checks include cases' case_reference_problems) says what is wrong."""
    answer = example.answer
    standard = answer.question.standard
    inspection = answer.case.inspection
    with transaction.atomic():
        # The standard's own text is its sub-section without a heading, made if there is none.
        subsection = (
            ReportSubsection.objects.filter(
                inspection=inspection, part=ReportPart.STANDARD, standard=standard, heading=""
            )
            .order_by("order", "pk")
            .first()
        ) or report_writing.add_subsection(
            inspection, part=ReportPart.STANDARD, standard=standard, by=by
        )
        item = report_writing.add_item(subsection, list=ItemList.BODY, kind=kind, text=text, by=by)
        audit.record(
            inspection.pk,
            AuditKind.PRACTICE_EXAMPLE,
            by=by,
            case=answer.case,
            subject=subject_of(answer),
            new=f"Added to the report as a {'quote' if kind == 'quote' else 'paragraph'}",
        )
    return item
