"""Moving an inspection through planning, fieldwork, moderation and publication."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from . import audit
from . import input_rules as rules
from .choices import AuditKind
from .choices import InspectionStatus as Status
from .models import Inspection, InspectionEvent, InspectionUnlock

FORWARD = {
    Status.PLANNING: Status.FIELDWORK,
    Status.FIELDWORK: Status.MODERATION,
    Status.MODERATION: Status.PUBLISHED,
}
BACK = {
    Status.FIELDWORK: Status.PLANNING,
    Status.MODERATION: Status.FIELDWORK,
    Status.PUBLISHED: Status.MODERATION,  # re-opening: needs a reason
}


class TransitionRefused(Exception):
    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__("; ".join(reasons))


@dataclass(frozen=True)
class Move:
    to_status: str
    label: str
    needs_reason: bool
    # Asked on a page of its own, which says what the move does and what is unfinished
    # (publishing, moderation, re-opening); the others are one button on the status page.
    confirmed_on_own_page: bool = False


# The moves the lead confirms on a page of their own: (from, to).
CONFIRMED = {
    (Status.FIELDWORK, Status.MODERATION),
    (Status.MODERATION, Status.PUBLISHED),
    (Status.PUBLISHED, Status.MODERATION),
}


def available_moves(inspection: Inspection) -> list[Move]:
    moves = []
    if inspection.status in FORWARD:
        target = FORWARD[inspection.status]
        label = (
            "Publish" if target == Status.PUBLISHED else f"Move to {Status(target).label.lower()}"
        )
        moves.append(Move(target, label, False, (inspection.status, target) in CONFIRMED))
    if inspection.status in BACK:
        target = BACK[inspection.status]
        reopening = inspection.status == Status.PUBLISHED
        label = "Re-open for moderation" if reopening else f"Back to {Status(target).label.lower()}"
        moves.append(Move(target, label, reopening, (inspection.status, target) in CONFIRMED))
    return moves


def moved(who: str, from_status: str, to_status: str) -> str:
    """What a move did, as the pages and admin say it: "The inspection is now published"."""
    if to_status == Status.PUBLISHED:
        return f"{who} is now published"
    if from_status == Status.PUBLISHED:
        return f"{who} is re-opened: it is in moderation again"
    back = "back " if BACK.get(from_status) == to_status else ""
    return f"{who} has moved {back}to {Status(to_status).label.lower()}"


@dataclass(frozen=True)
class Publishing:
    """What publishing needs from the layers above this one, handed to `move` by the publishing
    service (reports/publishing.py), never registered here: `lock(inspection)` locks the rows an
    edit inside the inspection locks (each case row); `blockers(inspection)` gives every reason it
    cannot be published yet; `store(inspection)` keeps the record, once the checks pass and just
    before the status changes (`inspection.status` already reads published)."""

    lock: Callable[[Inspection], None]
    blockers: Callable[[Inspection], list[str]]
    store: Callable[[Inspection], object]


PUBLISH_ELSEWHERE = (
    "Publishing checks the whole inspection (its cases, QA and written report): it is done by "
    "the publishing service (reports.publishing.publish), not by a bare status move"
)


def move(
    inspection: Inspection,
    to_status: str,
    user,
    reason: str = "",
    *,
    publishing: Publishing | None = None,
) -> InspectionEvent:
    """Change status if allowed, recording who, when and why; TransitionRefused lists why not.

    Checks and writes in one transaction that holds the inspection row's lock, and for publishing
    the publishing service's locks too (each case row): two people moving the same inspection take
    turns, and an edit either finishes before the checks read anything, or waits and then finds
    the inspection published. Publishing without `publishing` (the checks, locks and record the
    layers above own) is refused: nothing reaches published unchecked.
    """
    if to_status == Status.PUBLISHED and publishing is None:
        raise TransitionRefused([PUBLISH_ELSEWHERE])
    with transaction.atomic():
        stored = Inspection.objects.select_for_update().get(pk=inspection.pk)
        inspection.status = stored.status
        if to_status == Status.PUBLISHED:
            publishing.lock(stored)
        _check(inspection, to_status, reason, publishing)
        reopening = stored.status == Status.PUBLISHED
        # The event and its audit entry first: the database refuses an event that does not start
        # from the inspection's status, and the unlock below unless both are written.
        event = InspectionEvent.objects.create(
            inspection=inspection,
            from_status=stored.status,
            to_status=to_status,
            by=user,
            reason=reason.strip(),
        )
        audit.record(
            inspection.pk,
            AuditKind.LIFECYCLE,
            by=user,
            subject="Status",
            old=Status(stored.status).label,
            new=Status(to_status).label,
            reason=reason,
        )
        if reopening:
            # The database refuses any change to a published inspection's row but this one (its
            # status, to moderation), and only for the transaction that wrote the unlock row
            # (inspection migration 0023). An unlock row another transaction left is no use to
            # anyone: cleared first.
            InspectionUnlock.objects.filter(inspection_id=inspection.pk).delete()
            InspectionUnlock.objects.create(inspection_id=inspection.pk)
        if to_status == Status.PUBLISHED:
            # Before the row says published: the record is stored while the database still takes
            # it, and states what is being published.
            inspection.status = to_status
            publishing.store(inspection)
        Inspection.objects.filter(pk=inspection.pk).update(status=to_status)
        if reopening:
            InspectionUnlock.objects.filter(inspection_id=inspection.pk).delete()
        inspection.status = to_status
    return event


def _check(
    inspection: Inspection, to_status: str, reason: str, publishing: Publishing | None
) -> None:
    problems = rules.text_messages(reason, what="the reason", max_length=rules.REASON_MAX)
    if problems:
        raise TransitionRefused(problems)
    allowed = {m.to_status: m for m in available_moves(inspection)}
    if to_status not in allowed:
        target = (
            Status(to_status).label.lower() if to_status in Status.values else repr(str(to_status))
        )
        raise TransitionRefused(
            [f"An inspection in {inspection.get_status_display().lower()} cannot move to {target}"]
        )
    if allowed[to_status].needs_reason and not reason.strip():
        raise TransitionRefused(["Give a reason for re-opening a published inspection"])
    if to_status == Status.PUBLISHED:
        blockers = publishing.blockers(inspection)
        if blockers:
            raise TransitionRefused(blockers)


def delete(inspection: Inspection, user) -> None:
    """Delete an inspection and everything in it; its audit trail stays, ending with this."""
    with transaction.atomic():
        audit.record(
            inspection.pk,
            AuditKind.LIFECYCLE,
            by=user,
            subject="Inspection",
            old=str(inspection),
            new="Deleted",
        )
        inspection.delete()
