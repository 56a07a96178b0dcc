"""When a case counts as complete: every applicable key question answered yes or no."""

from collections.abc import Iterable, Mapping

from inspection.choices import AnswerValue, AppliesWhen

from .choices import CaseStatus

DECIDED = {AnswerValue.YES, AnswerValue.NO}


def applies(applies_when: str, *, court_work: bool, resettlement: bool) -> bool:
    if applies_when == AppliesWhen.COURT_WORK:
        return court_work
    if applies_when == AppliesWhen.RESETTLEMENT:
        return resettlement
    return True


def unanswered_key_questions(
    key_questions: Iterable, answers: Mapping[str, str], *, court_work: bool, resettlement: bool
) -> list:
    """Key questions (objects with .code and .applies_when) that apply but lack a yes or no."""
    return [
        kq
        for kq in key_questions
        if applies(kq.applies_when, court_work=court_work, resettlement=resettlement)
        and answers.get(kq.code) not in DECIDED
    ]


def imported_status(
    key_questions: Iterable, answers: Mapping[str, str], *, court_work: bool, resettlement: bool
) -> str:
    """The status a case arrives with from a bundle: complete only when nothing is missing."""
    if not any(answers.values()):
        return CaseStatus.NOT_STARTED
    missing = unanswered_key_questions(
        key_questions, answers, court_work=court_work, resettlement=resettlement
    )
    return CaseStatus.IN_PROGRESS if missing else CaseStatus.COMPLETE
