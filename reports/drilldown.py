"""The cases behind a key question's or prompt's percentage: the relevant answers, one query."""

from cases.counting import relevant_q
from cases.models import Answer
from inspection.choices import AnswerValue
from inspection.framework.rating_engine import Count
from inspection.framework.spec import load_framework_spec
from inspection.models import Inspection, Question


def question_for(inspection: Inspection, code: str) -> Question | None:
    return Question.objects.filter(framework_id=inspection.framework_id, code=code).first()


def relevant_answers(inspection: Inspection, question: Question) -> list[Answer]:
    """Answered yes or no on cases the question applies to: exactly the report's denominator."""
    return list(
        Answer.objects.filter(case__inspection=inspection, question=question)
        .filter(relevant_q(load_framework_spec(inspection.framework).conditions))
        .select_related("case")
        .order_by("case__ref")
    )


def count_of(answers: list[Answer]) -> Count:
    return Count(sum(1 for a in answers if a.value == AnswerValue.YES), len(answers))
