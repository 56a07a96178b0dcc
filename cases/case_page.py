"""The whole case on one page: every section's answers read from one POST, saved in one go.

The page posts each question's fields exactly as the section pages do (cases.sections.field_id),
so each section's part is checked by that section's SectionForm and the whole lot is written by
one call of the versioned save (cases.saving.save_answers): one transaction, audited, refusing to
overwrite a newer answer. The page's background saves post only what changed, in the same shape.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from .answer_form import RESOLVE_PREFIX, SectionForm, Typed, take_theirs
from .case_data import answers_by_code
from .data_quality import Problem
from .models import Answer, Case
from .saving import SaveResult, Submitted, save_answers
from .sections import Section
from .workflow import problems_for

NOT_STARTED, IN_PROGRESS, COMPLETED, DOES_NOT_APPLY = (
    "not_started",
    "in_progress",
    "completed",
    "does_not_apply",
)


def section_statuses(
    case: Case, sections: list[Section], answers: Mapping[str, Answer], problems: list[Problem]
) -> dict[str, str]:
    """{section code: status}. Completed means no open problem, so a section agrees with what
    completion asks of it."""
    problem_sections = {p.section_code for p in problems}
    statuses = {}
    for section in sections:
        if not case.applies(section.when):
            status = DOES_NOT_APPLY
        elif not any(q.code in answers and answers[q.code].value for q in section.questions):
            status = NOT_STARTED
        elif section.code in problem_sections:
            status = IN_PROGRESS
        else:
            status = COMPLETED
        statuses[section.code] = status
    return statuses


def things_to_fix(problems: list[Problem]) -> list[Problem]:
    """Problems in what is already answered (a No without a note, say): blanks are not nagged."""
    return [p for p in problems if p.kind != "unanswered"]


class CaseAnswersForm:
    """Every applicable section's SectionForm over one POST; valid when each of them is."""

    def __init__(self, case: Case, sections: list[Section], data):
        self.forms = [SectionForm(s, data) for s in sections if case.applies(s.when)]

    def is_valid(self) -> bool:
        checked = [form.is_valid() for form in self.forms]  # every form, so every error shows
        return all(checked)

    @property
    def reason(self) -> str:
        return self.forms[0].cleaned_data["reason"] if self.forms else ""

    def field_errors(self) -> dict[str, str]:
        errors = {}
        for form in self.forms:
            errors.update(form.field_errors())
        return errors

    def submitted(self) -> list[Submitted]:
        return [item for form in self.forms for item in form.submitted()]

    def typed(self) -> dict[str, Typed]:
        typed = {}
        for form in self.forms:
            typed.update(form.typed())
        return typed


def save_case_answers(
    case: Case, sections: list[Section], data, user
) -> tuple[SaveResult | None, CaseAnswersForm]:
    """Check and save what the page sent; (None, form) where the form refused it."""
    if any(key.startswith(RESOLVE_PREFIX) for key in data):
        data = take_theirs(data, answers_by_code(case))
    form = CaseAnswersForm(case, sections, data)
    if not form.is_valid():
        return None, form
    result = save_answers(case, form.submitted(), user, reason=form.reason, sections=sections)
    return result, form


@dataclass(frozen=True)
class CaseState:
    """What the page shows around the answers: each section's status and what needs fixing."""

    answers: dict[str, Answer]
    problems: list[Problem]
    statuses: dict[str, str]

    @property
    def fixes(self) -> list[Problem]:
        return things_to_fix(self.problems)


def case_state(case: Case, sections: list[Section]) -> CaseState:
    answers = answers_by_code(case)
    problems = problems_for(case, sections, answers)
    return CaseState(answers, problems, section_statuses(case, sections, answers, problems))
