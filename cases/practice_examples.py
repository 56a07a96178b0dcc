"""Practice examples from fieldwork: an inspector offers a case's evidence note as a candidate
practice example for the standard of the question it is on; the lead sees the candidates per
standard and may pull one into that standard's text in the report.

The report holds only the words: a pulled example never carries its case, and no report text
may name a case of the inspection (`case_reference_problems`, which the report's writing service
asks of every report text, reports/report_writing.py). Pulling one in is
reports/practice_examples.py.
"""

import re
from dataclasses import dataclass

from django.db import transaction

from inspection import audit
from inspection.choices import AuditKind
from inspection.published import lock_for_edit

from .models import Answer, Case, PracticeExample
from .sections import Section


class PracticeExampleRefused(Exception):
    pass


@dataclass(frozen=True)
class NoteChoice:
    """A saved evidence note on the section page that can be offered (or withdrawn)."""

    code: str
    text: str
    note: str
    offered: bool


@dataclass(frozen=True)
class Candidate:
    id: int
    case_id: int
    case_ref: str
    question_code: str
    question_text: str
    note: str
    offered_by: str


@dataclass(frozen=True)
class StandardCandidates:
    code: str
    name: str
    candidates: tuple[Candidate, ...]


def section_notes(case: Case, section: Section, answers: dict[str, Answer]) -> list[NoteChoice]:
    """The section's questions of a standard with a saved note, each saying whether it is
    offered (one query, on every section, so every section page costs the same)."""
    noted = [
        (question, answers[question.code])
        for question in section.questions
        if question.standard_code
        and question.code in answers
        and answers[question.code].note.strip()
    ]
    offered = set(
        PracticeExample.objects.filter(answer__case=case).values_list("answer_id", flat=True)
    )
    return [
        NoteChoice(question.code, question.text, answer.note, answer.pk in offered)
        for question, answer in noted
    ]


def _answer(case: Case, code: str) -> Answer:
    answer = (
        Answer.objects.select_related("question__standard")
        .filter(case=case, question__code=code)
        .first()
    )
    if answer is None or not answer.note.strip():
        raise PracticeExampleRefused(
            f"{code} has no saved evidence note on this case: save the note first"
        )
    if answer.question.standard_id is None:
        raise PracticeExampleRefused(
            f"{code} belongs to no standard: only a note on a standard's question can be a "
            "practice example"
        )
    return answer


def subject_of(answer: Answer) -> str:
    """The audit trail's subject for the example on this answer."""
    standard = answer.question.standard
    return f"{answer.question.code}: practice example for {standard.code} {standard.name}"


def offer(case: Case, code: str, *, by) -> PracticeExample:
    """Offer the case's note on question `code` as a candidate (offering it again changes
    nothing). PracticeExampleRefused says why not."""
    with transaction.atomic():
        lock_for_edit(case.inspection_id)
        answer = _answer(case, code)
        example, created = PracticeExample.objects.get_or_create(
            answer=answer, defaults={"marked_by": by}
        )
        if created:
            audit.record(
                case.inspection_id,
                AuditKind.PRACTICE_EXAMPLE,
                by=by,
                case=case,
                subject=subject_of(answer),
                new="Offered as a candidate",
            )
    return example


def withdraw(case: Case, code: str, *, by) -> None:
    with transaction.atomic():
        lock_for_edit(case.inspection_id)
        example = (
            PracticeExample.objects.select_related("answer__question__standard")
            .filter(answer__case=case, answer__question__code=code)
            .first()
        )
        if example is None:
            return
        example.delete()
        audit.record(
            case.inspection_id,
            AuditKind.PRACTICE_EXAMPLE,
            by=by,
            case=case,
            subject=subject_of(example.answer),
            old="Offered as a candidate",
            new="Withdrawn",
        )


def candidates(inspection) -> list[StandardCandidates]:
    """Every offered note with text, per standard in the framework's order (one query)."""
    by_standard: dict[str, StandardCandidates] = {}
    examples = (
        PracticeExample.objects.filter(answer__case__inspection=inspection)
        .exclude(answer__note="")
        .select_related("answer__question__standard", "answer__case", "marked_by")
        .order_by(
            "answer__question__standard__order", "answer__question__order", "answer__case__ref"
        )
    )
    for example in examples:
        answer = example.answer
        standard = answer.question.standard
        group = by_standard.setdefault(
            standard.code, StandardCandidates(standard.code, standard.name, ())
        )
        by_standard[standard.code] = StandardCandidates(
            group.code,
            group.name,
            (
                *group.candidates,
                Candidate(
                    id=example.pk,
                    case_id=answer.case_id,
                    case_ref=answer.case.ref,
                    question_code=answer.question.code,
                    question_text=answer.question.text,
                    note=answer.note,
                    offered_by=audit.name_of(example.marked_by),
                ),
            ),
        )
    return list(by_standard.values())


def case_reference_problems(inspection, text: str) -> list[str]:
    """A report text naming a case of the inspection: the report never shows one."""
    return case_reference_problems_of_texts(inspection, [text])[0]


def case_reference_problems_of_texts(inspection, texts: list[str]) -> list[list[str]]:
    """case_reference_problems of each text, the cases read once (an import checks hundreds)."""
    refs = Case.objects.filter(inspection=inspection).values_list("ref", flat=True)
    # Only a reference that could not be an ordinary word or number ("BWD-01", not "A" or
    # "17"): the check must never refuse plain prose.
    patterns = [
        (ref, re.compile(rf"(?<![\w-]){re.escape(ref)}(?![\w-])", flags=re.IGNORECASE))
        for ref in refs
        if _could_only_be_a_reference(ref)
    ]
    return [
        [
            f"The text names the case {ref}: the report never shows a case reference; describe "
            "the case without it"
            for ref, pattern in patterns
            if pattern.search(text)
        ]
        for text in texts
    ]


def _could_only_be_a_reference(ref: str) -> bool:
    return len(ref) >= 4 and any(c.isdigit() for c in ref) and any(c.isalpha() for c in ref)
