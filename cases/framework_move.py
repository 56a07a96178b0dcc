"""An inspection's answers and QA reviews follow it to another version of its framework.

`move_to_framework` is the service: inspection.framework.versioning (below this app) moves the
inspection's own rows and calls `remap_questions`, handed to it, inside its own transaction.
"""

from django.db.models import Case as Choose
from django.db.models import F, Value, When

from inspection.framework import versioning
from inspection.models import Framework, Inspection, InspectionEvent, Question

from .models import Answer, QAQuestionReview


def remap_questions(inspection: Inspection, questions: dict[int, int | None]) -> list[str]:
    """Point the inspection's rows at the new questions with the same codes; say which codes the
    new version lacks (then nothing is moved)."""
    answers = Answer.objects.filter(case__inspection=inspection)
    verdicts = QAQuestionReview.objects.filter(review__case__inspection=inspection)
    used = set(answers.values_list("question_id", flat=True).distinct())
    used |= set(verdicts.values_list("question_id", flat=True).distinct())
    missing = [pk for pk in used if questions.get(pk) is None]
    if missing:
        codes = sorted(Question.objects.filter(pk__in=missing).values_list("code", flat=True))
        return [f"Questions with answers or reviews are not in the new version: {', '.join(codes)}"]
    if used:
        new_question = Choose(
            *[When(question_id=old, then=Value(questions[old])) for old in sorted(used)],
            default=F("question_id"),
            output_field=Answer._meta.get_field("question").target_field,
        )
        answers.update(question_id=new_question)
        verdicts.update(question_id=new_question)
    return []


def move_to_framework(inspection: Inspection, framework: Framework, user) -> InspectionEvent:
    """Move an inspection in planning, its answers and QA reviews with it, to another version of
    its framework (versioning.FrameworkMoveRefused says why not; then nothing has changed)."""
    return versioning.move_to_framework(
        inspection, framework, user, remap_questions=remap_questions
    )
