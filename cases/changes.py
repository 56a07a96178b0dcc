"""Changes to a case itself: its status, its details, adding and removing it; each one audited.

Answers are audited by the versioned save (saving.py), which builds its entries with
`answer_entry` below.
"""

import datetime

from django.db import transaction
from django.utils.text import capfirst

from inspection import audit
from inspection.choices import AnswerValue, AuditKind
from inspection.published import lock_for_edit

from .blinding import blind_markings
from .choices import CaseStatus
from .models import Answer, Case, SecondMarking

# What "Case details" entries cover: everything on a case but its status (audited on its own)
# and its inspection (a case does not move between inspections).
DETAIL_FIELDS = (
    "ref",
    "sentence_type",
    "start_date",
    "court_work",
    "resettlement",
    "gender",
    "ethnicity",
    "disability",
    "age_band",
    "rosh",
    "practitioners",
    "assigned_inspector",
)


class DetailsRefused(Exception):
    """A change to a case's details refused; `problems` maps each field to why."""

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__("; ".join(problems.values()))


def assignment_problem(case: Case, inspector) -> str | None:
    """Why the case may not be given to `inspector`: they mark it second, blind to its first
    marking until both are done (cases/blinding.py), so they cannot also be its first marker."""
    if inspector is None:
        return None
    if blind_markings(inspector).filter(case_id=case.pk).exists():
        return (
            f"{audit.name_of(inspector)} marks case {case.ref} second: choose someone else, or "
            "give the second marking to someone else on the double marking page first"
        )
    return None


def answer_label(value: str) -> str:
    return AnswerValue(value).label if value else ""


def answer_entry(case: Case, code: str, answer: Answer, before: tuple[str, str], by, reason=""):
    """An unsaved entry for one answer's change; `before` is its (value, note) until now."""
    old_value, old_note = before
    return audit.entry(
        case.inspection_id,
        AuditKind.ANSWER,
        by=by,
        case=case,
        subject=code,
        old=answer_label(old_value),
        new=answer_label(answer.value),
        old_note=old_note,
        new_note=answer.note,
        version=answer.version,
        reason=reason,
        at=answer.updated_at,
    )


def status_entry(case: Case, old: str, new: str, by, reason: str = ""):
    return audit.entry(
        case.inspection_id,
        AuditKind.CASE_STATUS,
        by=by,
        case=case,
        subject="Status",
        old=CaseStatus(old).label if old else "",
        new=CaseStatus(new).label,
        reason=reason,
    )


def set_status(case: Case, new_status: str, by, reason: str = "") -> None:
    """Store the case's new status with its entry; nothing happens if it is already that."""
    with transaction.atomic():
        stored = Case.objects.select_for_update().values_list("status", flat=True).get(pk=case.pk)
        if stored != new_status:
            Case.objects.filter(pk=case.pk).update(status=new_status)
            audit.record_many([status_entry(case, stored, new_status, by, reason)])
    case.status = new_status


def _shown(field, value) -> str:
    if value is None or value == "":
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if field.is_relation:
        return audit.name_of(value)
    return str(value)


def change_details(case: Case, values: dict, by) -> list[str]:
    """Set the given DETAIL_FIELDS (and `status`) of a case to `values`, compared with what is
    stored; one entry per field that changed. Returns the names of the fields changed."""
    unknown = set(values) - {*DETAIL_FIELDS, "status"}
    if unknown:
        raise ValueError(f"Not a case detail: {', '.join(sorted(unknown))}")
    if "assigned_inspector" in values and (
        problem := assignment_problem(case, values["assigned_inspector"])
    ):
        raise DetailsRefused({"assigned_inspector": problem})
    with transaction.atomic():
        stored = (
            Case.objects.select_for_update(of=("self",))
            .select_related("assigned_inspector")
            .get(pk=case.pk)
        )
        entries, changed = [], []
        for name, new in values.items():
            if name == "status":
                continue
            field = Case._meta.get_field(name)
            old = getattr(stored, name)
            if old == new:
                continue
            setattr(stored, name, new)
            changed.append(name)
            entries.append(
                audit.entry(
                    case.inspection_id,
                    AuditKind.CASE_DETAILS,
                    by=by,
                    case=stored,
                    subject=capfirst(field.verbose_name),
                    old=_shown(field, old),
                    new=_shown(field, new),
                )
            )
        if changed:
            stored.save(update_fields=changed)
            audit.record_many(entries)
        if "assigned_inspector" in changed:
            # Whoever answers the case now is the first marker its second marking is set against.
            SecondMarking.objects.filter(case=stored, unblinded_at__isnull=True).update(
                first_marker=stored.assigned_inspector
            )
        if "status" in values and values["status"] != stored.status:
            set_status(stored, values["status"], by)
            changed.append("status")
    for name in changed:
        setattr(case, name, getattr(stored, name))
    return changed


def add(case: Case, by, how: str) -> Case:
    """Create one case (Django admin adds them one at a time)."""
    with transaction.atomic():
        lock_for_edit(case.inspection_id)
        case.save(force_insert=True)
        record_added([case], by, how)
    return case


def record_added(cases: list[Case], by, how: str) -> None:
    """Entries for cases just created (`how`: where they came from), in their transaction."""
    audit.record_many(
        audit.entry(
            case.inspection_id,
            AuditKind.CASE_DETAILS,
            by=by,
            case=case,
            subject="Case",
            new=f"Added ({CaseStatus(case.status).label.lower()})",
            reason=how,
        )
        for case in cases
    )


def remove(case: Case, by, reason: str = "") -> None:
    """Delete a case and its answers; its entries stay, naming it by reference."""
    with transaction.atomic():
        stored = Case.objects.select_for_update().get(pk=case.pk)
        answered = stored.answers.exclude(value="", note="").count()
        stored.delete()
        audit.record(
            case.inspection_id,
            AuditKind.CASE_DETAILS,
            by=by,
            case=case,
            subject="Case",
            old=f"{CaseStatus(stored.status).label}, {answered} answers",
            new="Removed",
            reason=reason,
        )
