"""Shared set-up for the data-entry tests: a reference case in progress and a team."""

from cases.choices import CaseStatus
from cases.models import Answer, Case
from cases.qa import key_questions_to_review
from cases.saving import note_digest
from cases.sections import field_id
from inspection.choices import AuditKind, InspectionStatus
from inspection.models import AuditEntry
from tests.factories import UserFactory

PASSWORD = "browser-test-password"


def team_member(inspection, username: str, first_name: str = "Ines", last_name: str = "Inspector"):
    user = UserFactory(
        username=username, first_name=first_name, last_name=last_name, password=PASSWORD
    )
    inspection.team.add(user)
    return user


def lead_in_moderation(inspection):
    """The inspection's lead inspector, made; the inspection is put in moderation."""
    user = team_member(inspection, "lead", "Lee", "Lead")
    inspection.lead_inspector = user
    inspection.status = InspectionStatus.MODERATION
    inspection.save()
    return user


def case_in_progress(inspection, ref: str = "BWD-02") -> Case:
    case = Case.objects.get(inspection=inspection, ref=ref)
    case.status = CaseStatus.IN_PROGRESS
    case.save(update_fields=["status"])
    return case


def answer(case: Case, code: str) -> Answer:
    return Answer.objects.select_related("question").get(case=case, question__code=code)


def answer_trail(case: Case, code: str):
    """The audit entries of one answer of a case, newest first."""
    return AuditEntry.objects.filter(case_id=case.pk, kind=AuditKind.ANSWER, subject=code).order_by(
        "-at", "-id"
    )


def form_fields(case: Case, code: str, value: str, note: str | None = None) -> dict:
    """What the section page posts for one question changed from what is stored."""
    stored = answer(case, code)
    fields = {
        field_id(code): value,
        field_id(code, "version"): str(stored.version),
        field_id(code, "loaded"): stored.value,
    }
    if note is not None:
        fields[field_id(code, "note")] = note
        fields[field_id(code, "loadednote")] = note_digest(stored.note)
    return fields


def agree_to_all(case: Case) -> dict:
    """What the QA review page posts for a reviewer agreeing with every key question."""
    return {f"agree-{kq.code}": "yes" for kq in key_questions_to_review(case)}
