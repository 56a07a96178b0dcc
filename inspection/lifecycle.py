"""Moving an inspection through planning, fieldwork, moderation and publication."""

from dataclasses import dataclass

from django.db import transaction

from .choices import InspectionStatus as Status
from .models import Inspection, InspectionEvent

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
FINISHED_CASE_STATUSES = {"complete", "signed_off"}


class TransitionRefused(Exception):
    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__("; ".join(reasons))


@dataclass(frozen=True)
class Move:
    to_status: str
    label: str
    needs_reason: bool


def available_moves(inspection: Inspection) -> list[Move]:
    moves = []
    if inspection.status in FORWARD:
        target = FORWARD[inspection.status]
        label = (
            "Publish" if target == Status.PUBLISHED else f"Move to {Status(target).label.lower()}"
        )
        moves.append(Move(target, label, needs_reason=False))
    if inspection.status in BACK:
        target = BACK[inspection.status]
        reopening = inspection.status == Status.PUBLISHED
        label = "Re-open for moderation" if reopening else f"Back to {Status(target).label.lower()}"
        moves.append(Move(target, label, needs_reason=reopening))
    return moves


def publish_blockers(inspection: Inspection) -> list[str]:
    """Every reason the inspection cannot be published yet (empty when it can)."""
    from reports.summary import summarise

    reasons = []
    cases = list(inspection.cases.values_list("ref", "status"))
    if not cases:
        reasons.append("The inspection has no cases")
    unfinished = [ref for ref, status in cases if status not in FINISHED_CASE_STATUSES]
    if unfinished:
        reasons.append(
            f"{len(unfinished)} case{'s are' if len(unfinished) > 1 else ' is'} not complete: "
            + ", ".join(sorted(unfinished))
        )
    summary = summarise(inspection)
    unrated = [s.code for s in summary.standards if s.standard.judged and not s.rating]
    if unrated:
        reasons.append(f"Domain-1 standards not yet rated: {', '.join(unrated)}")
    reasons += [f"Limiting rule broken: {breach.message}" for breach in summary.breaches]
    return reasons


def move(inspection: Inspection, to_status: str, user, reason: str = "") -> InspectionEvent:
    """Change status if allowed, recording who, when and why; TransitionRefused lists why not."""
    allowed = {m.to_status: m for m in available_moves(inspection)}
    if to_status not in allowed:
        raise TransitionRefused(
            [
                f"An inspection in {inspection.get_status_display().lower()} "
                f"cannot move to {to_status!r}"
            ]
        )
    if allowed[to_status].needs_reason and not reason.strip():
        raise TransitionRefused(["Give a reason for re-opening a published inspection"])
    if to_status == Status.PUBLISHED:
        blockers = publish_blockers(inspection)
        if blockers:
            raise TransitionRefused(blockers)
    with transaction.atomic():
        event = InspectionEvent.objects.create(
            inspection=inspection,
            from_status=inspection.status,
            to_status=to_status,
            by=user,
            reason=reason.strip(),
        )
        Inspection.objects.filter(pk=inspection.pk).update(status=to_status)
        inspection.status = to_status
    return event
