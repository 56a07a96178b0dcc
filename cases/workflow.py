"""Case status changes: completion needs every rule met; editing a complete case re-checks it.

Each runs under the case row's lock, the one every save of the case's answers takes (and that
publishing takes on every case), and reads the answers it judges after the lock is held, so no
save can slip in between the check and the status it leads to.
"""

from collections.abc import Mapping

from django.db import transaction

from inspection.published import ensure_still_editable

from .blinding import unblind_if_both_done
from .case_data import answers_by_code, framework_sections
from .changes import change_details, set_status
from .choices import FINISHED, CaseStatus
from .counting import CASE_ATTRIBUTES, CaseAttributes, attributes_of
from .data_quality import Problem, case_problems
from .models import Answer, Case
from .sections import Section


def problems_for(
    case: Case, sections: list[Section], answers: Mapping[str, Answer]
) -> list[Problem]:
    return case_problems(
        sections,
        {code: (a.value, a.note) for code, a in answers.items()},
        attributes_of(case),
    )


def lock_case(case: Case) -> Case:
    """Lock the case row, and only it (saves on other cases need not queue behind this one), then
    check afresh that the inspection is still editable. Call inside a transaction."""
    locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    ensure_still_editable(locked.inspection_id)
    return locked


def mark_complete(
    case: Case, sections: list[Section], *, by
) -> tuple[list[Problem], dict[str, Answer]]:
    """Complete the case if it has no problems; otherwise change nothing and return them.

    Also returns the answers the problems were found in, read under the lock, for the page. A case
    already finished stays as it is: a repeated or stale "Mark complete" never undoes a QA
    sign-off.
    """
    with transaction.atomic():
        locked = lock_case(case)
        answers = answers_by_code(locked)
        problems = problems_for(locked, sections, answers)
        if locked.status in FINISHED:
            case.status = locked.status
        elif not problems:
            set_status(locked, CaseStatus.COMPLETE, by)
            case.status = CaseStatus.COMPLETE
            unblind_if_both_done(locked, by)
    return problems, answers


def recheck_after_edit(case: Case, sections: list[Section], answers, *, by) -> list[Problem]:
    """A finished case edited into breaking a rule goes back to in progress; an edited signed-off
    case goes back to complete, since its sign-off was of different answers.

    Call with the case locked and its answers read under that lock (cases.saving does)."""
    problems = problems_for(case, sections, answers)
    if problems and case.status in FINISHED:
        new_status = CaseStatus.IN_PROGRESS
    elif case.status == CaseStatus.SIGNED_OFF:
        new_status = CaseStatus.COMPLETE
    else:
        return problems
    set_status(case, new_status, by, reason="Edited after completion")
    return problems


def change_case_details(case: Case, values: dict, *, by) -> list[str]:
    """Correct a case's details (cases.changes.change_details audits each one) in one transaction
    under the case row's lock, refused once the inspection is published. Where an attribute a
    framework condition may read changed, other questions may apply now: a finished case must
    still pass completion, judged on its status as stored under the lock. Returns the fields
    changed. Django admin and the lead's page both come here."""
    with transaction.atomic():
        lock_case(case)
        changed = change_details(case, values, by)
        if set(CASE_ATTRIBUTES) & set(changed):
            locked = Case.objects.get(pk=case.pk)
            if locked.status in FINISHED:
                _, sections = framework_sections(case.inspection)
                recheck_after_edit(locked, sections, answers_by_code(locked), by=by)
            case.status = locked.status
    return changed


def imported_status(
    sections: list[Section],
    answers: Mapping[str, str],
    notes: Mapping[str, str],
    case: CaseAttributes,
) -> str:
    """The status a case arrives with from a bundle: complete only where the page would let it
    be marked complete (the same case_problems rule), never on the bundle's say-so."""
    if not any(answers.values()):
        return CaseStatus.NOT_STARTED
    problems = case_problems(
        sections,
        {code: (answers.get(code, ""), notes.get(code, "")) for code in {*answers, *notes}},
        case,
    )
    return CaseStatus.IN_PROGRESS if problems else CaseStatus.COMPLETE
