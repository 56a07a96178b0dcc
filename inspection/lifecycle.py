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


# What publishing checks is registered by the apps above this one (cases: every case finished and
# whole, its QA closed; reports: every judgement given, the written report whole, a region's pool
# not empty), never imported here, each with the heading the publish page lists its reasons under.
# So are the row locks their edits take, which publishing takes too before it checks.
_publish_checks: list[tuple[Callable[[Inspection], list[str]], str]] = []
_publish_locks: list[Callable[[Inspection], None]] = []
# And what publishing does once it is allowed (reports: store the results model).
_on_publish: list[Callable[[Inspection], object]] = []


OTHER_CHECKS = "Other checks"


def register_publish_check(
    check: Callable[[Inspection], list[str]], *, heading: str = OTHER_CHECKS
) -> None:
    """`check(inspection)` gives every reason it cannot be published yet, as sentences (each
    may be an inspection.publish_checklist.Blocker, to link where it is put right); the publish
    page lists them under `heading`, headings in the order first registered."""
    if check not in [registered for registered, _ in _publish_checks]:
        _publish_checks.append((check, heading))


def publish_checks() -> list[tuple[Callable[[Inspection], list[str]], str]]:
    """Every registered check, with its heading, in the order registered."""
    return list(_publish_checks)


def register_publish_lock(lock: Callable[[Inspection], None]) -> None:
    """`lock(inspection)` locks (select_for_update) the rows an edit inside the inspection locks."""
    if lock not in _publish_locks:
        _publish_locks.append(lock)


def register_on_publish(action: Callable[[Inspection], object]) -> None:
    """`action(inspection)` runs inside the publishing transaction, once the checks pass and just
    before the status changes (`inspection.status` already reads published)."""
    if action not in _on_publish:
        _on_publish.append(action)


def publish_blockers(inspection: Inspection) -> list[str]:
    """Every reason the inspection cannot be published yet (empty when it can)."""
    return [reason for check, _ in _publish_checks for reason in check(inspection)]


def move(inspection: Inspection, to_status: str, user, reason: str = "") -> InspectionEvent:
    """Change status if allowed, recording who, when and why; TransitionRefused lists why not.

    Checks and writes in one transaction that holds the inspection row's lock, and for publishing
    every registered lock too (each case row): two people moving the same inspection take turns,
    and an edit either finishes before the checks read anything, or waits and then finds the
    inspection published.
    """
    with transaction.atomic():
        stored = Inspection.objects.select_for_update().get(pk=inspection.pk)
        inspection.status = stored.status
        if to_status == Status.PUBLISHED:
            for lock in _publish_locks:
                lock(stored)
        _check(inspection, to_status, reason)
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
            for action in _on_publish:
                action(inspection)
        Inspection.objects.filter(pk=inspection.pk).update(status=to_status)
        if reopening:
            InspectionUnlock.objects.filter(inspection_id=inspection.pk).delete()
        inspection.status = to_status
    return event


def _check(inspection: Inspection, to_status: str, reason: str) -> None:
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
        blockers = publish_blockers(inspection)
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
