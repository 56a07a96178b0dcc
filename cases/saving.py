"""Saving answers without ever silently overwriting someone else's.

Each answer carries a version. A form (or an autosave) sends, per question, what it shows now, the
version it loaded and what it loaded. A question the person did not change is left alone. A
changed question whose stored version moved on since it was loaded, to a different value, is a
conflict: it is not written, and both values go back to the person to choose.

Every edit of answers comes through `save_answers` (Django admin shows answers read-only), so the
version always moves on and a page opened before any edit gets a conflict, not an overwrite. Only
the bundle import (new answers, audited as imported) and a planning inspection's move to another
framework version (the same answers re-pointed at the new version's questions) write otherwise.
"""

import hashlib
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from inspection import audit
from inspection import input_rules as rules

from .case_data import answers_by_code, framework_sections
from .changes import answer_entry, set_status
from .choices import FINISHED, CaseStatus
from .models import Answer, Case
from .sections import Section, field_id
from .workflow import lock_case, recheck_after_edit

EDIT_NEEDS_REASON = FINISHED


def note_digest(note: str) -> str:
    """A short fingerprint of a note, so a form need not carry the loaded note twice."""
    return hashlib.sha256(note.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Submitted:
    """One question as the person's page has it. `note` is None where the page has no note box."""

    question_id: int
    code: str
    value: str
    note: str | None
    version: int
    loaded_value: str
    loaded_note_digest: str | None

    @property
    def changed(self) -> bool:
        if self.value != self.loaded_value:
            return True
        return self.note is not None and note_digest(self.note) != self.loaded_note_digest


@dataclass(frozen=True)
class Conflict:
    submitted: Submitted
    theirs: Answer

    @property
    def field(self) -> str:
        return field_id(self.submitted.code)


@dataclass
class SaveResult:
    saved: list[Answer] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    needs_reason: bool = False

    @property
    def versions(self) -> dict[int, int]:
        return {a.question_id: a.version for a in self.saved}


def saved_answers(result, codes: dict[int, str]) -> dict:
    """What a background save tells the page: each saved answer's new version (by question code,
    from `codes`: question id -> code), the codes in conflict and when it was saved."""
    return {
        "saved": {
            codes[a.question_id]: {
                "version": a.version,
                "value": a.value,
                "note_digest": note_digest(a.note),
            }
            for a in result.saved
        },
        "conflicts": [c.submitted.code for c in result.conflicts],
        "saved_at": timezone.localtime().strftime("%H:%M:%S"),
    }


def save_answers(
    case: Case,
    submitted: list[Submitted],
    user,
    reason: str = "",
    sections: list[Section] | None = None,
) -> SaveResult:
    """Write the person's changes in one transaction; the case row lock serialises saves.

    A finished case whose answers change is re-checked in the same transaction (cases.workflow),
    so it is never left complete with answers that would not let it be marked complete.
    """
    result = SaveResult()
    changed = [s for s in submitted if s.changed]
    if not changed:
        return result
    for item in changed:  # the pages' form checks first; this is for every other caller
        if item.note is not None:
            rules.clean_text(
                item.note,
                what=f"the evidence note for {item.code}",
                max_length=rules.EVIDENCE_NOTE_MAX,
            )
    rules.clean_text(reason, what="the reason for change", max_length=rules.REASON_MAX)
    with transaction.atomic():
        locked = lock_case(case)
        if locked.status in EDIT_NEEDS_REASON and not reason.strip():
            result.needs_reason = True
            return result
        existing = {
            a.question_id: a
            for a in Answer.objects.filter(
                case=locked, question_id__in=[s.question_id for s in changed]
            ).select_related("question", "updated_by")
        }
        before = {a.question_id: (a.value, a.note) for a in existing.values()}
        now = timezone.now()
        to_create, to_update = [], []
        for item in changed:
            current = existing.get(item.question_id)
            current_note = current.note if current else ""
            new_note = current_note if item.note is None else item.note
            if current and current.value == item.value and current.note == new_note:
                continue  # already what the person wants
            if current is not None and item.version != current.version:
                result.conflicts.append(Conflict(submitted=item, theirs=current))
                continue
            if current is None:
                answer = Answer(
                    case=locked,
                    question_id=item.question_id,
                    value=item.value,
                    note=new_note,
                    version=1,
                    updated_by=user,
                    updated_at=now,
                )
                to_create.append(answer)
            else:
                current.value, current.note = item.value, new_note
                current.version += 1
                current.updated_by, current.updated_at = user, now
                to_update.append(current)
        if to_create:
            Answer.objects.bulk_create(to_create)
        if to_update:
            Answer.objects.bulk_update(
                to_update, ["value", "note", "version", "updated_by", "updated_at"]
            )
        codes = {s.question_id: s.code for s in changed}
        audit.record_many(
            answer_entry(
                locked, codes[a.question_id], a, before.get(a.question_id, ("", "")), user, reason
            )
            for a in [*to_create, *to_update]
        )
        if (to_create or to_update) and locked.status == CaseStatus.NOT_STARTED:
            set_status(locked, CaseStatus.IN_PROGRESS, user)
        if (to_create or to_update) and locked.status in FINISHED:
            if sections is None:  # the pages pass theirs; loading costs a query
                _, sections = framework_sections(case.inspection)
            recheck_after_edit(locked, sections, answers_by_code(locked), by=user)
        case.status = locked.status
        result.saved = [*to_create, *to_update]
    return result
