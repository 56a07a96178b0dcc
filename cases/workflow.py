"""Case status changes: completion needs every rule met; editing a complete case re-checks it."""

from inspection.published import ensure_editable

from .changes import set_status
from .choices import FINISHED, CaseStatus
from .data_quality import Problem, case_problems
from .models import Case
from .sections import Section


def problems_for(case: Case, sections: list[Section], answers) -> list[Problem]:
    return case_problems(
        sections,
        {code: (a.value, a.note) for code, a in answers.items()},
        court_work=case.court_work,
        resettlement=case.resettlement,
    )


def mark_complete(case: Case, sections: list[Section], answers, *, by) -> list[Problem]:
    """Complete the case if it has no problems; otherwise change nothing and return them."""
    ensure_editable(case.inspection)
    problems = problems_for(case, sections, answers)
    if not problems:
        set_status(case, CaseStatus.COMPLETE, by)
    return problems


def recheck_after_edit(case: Case, sections: list[Section], answers, *, by) -> list[Problem]:
    """A finished case edited into breaking a rule goes back to in progress; an edited signed-off
    case goes back to complete, since its sign-off was of different answers."""
    problems = problems_for(case, sections, answers)
    if problems and case.status in FINISHED:
        new_status = CaseStatus.IN_PROGRESS
    elif case.status == CaseStatus.SIGNED_OFF:
        new_status = CaseStatus.COMPLETE
    else:
        return problems
    set_status(case, new_status, by, reason="Edited after completion")
    return problems
