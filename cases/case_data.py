"""Loading what the case pages show, in a fixed number of queries."""

from django.db.models import Q

from inspection.framework.spec import FrameworkSpec, load_framework_spec
from inspection.models import Inspection

from .models import Answer, Case
from .sections import Section, case_sections


def framework_sections(inspection: Inspection) -> tuple[FrameworkSpec, list[Section]]:
    spec = load_framework_spec(inspection.framework_id)
    return spec, case_sections(spec)


def answers_by_code(case: Case, question_ids=None) -> dict[str, Answer]:
    answers = Answer.objects.filter(case=case).select_related("question", "updated_by")
    if question_ids is not None:
        answers = answers.filter(question_id__in=question_ids)
    return {a.question.code: a for a in answers}


def inspection_values(inspection: Inspection) -> dict[int, dict[str, str]]:
    """{case id: {code: value}} for the inspection's cases, in one query (no notes)."""
    values: dict[int, dict[str, str]] = {}
    for case_id, code, value in Answer.objects.filter(case__inspection=inspection).values_list(
        "case_id", "question__code", "value"
    ):
        values.setdefault(case_id, {})[code] = value
    return values


def inspection_answer_values(inspection: Inspection) -> dict[int, dict[str, tuple[str, str]]]:
    """{case id: {code: (value, note)}} for the inspection's cases, in one query."""
    values: dict[int, dict[str, tuple[str, str]]] = {}
    for case_id, code, value, note in Answer.objects.filter(
        Q(case__inspection=inspection)
    ).values_list("case_id", "question__code", "value", "note"):
        values.setdefault(case_id, {})[code] = (value, note)
    return values
