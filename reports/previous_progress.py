"""At the next inspection of the same PDU (or region): the previous inspection's recommendations
with the progress recorded on their action plans, and the copy of it the lead takes into this
inspection's report ("Progress on previous recommendations").

The report shows the copy, not the live plans: a report states what was known when it was
written, and the copy is locked with the inspection once it is published.
"""

from django.db import transaction

from inspection import audit
from inspection.choices import AuditKind, InspectionStatus
from inspection.models import Inspection, PreviousProgress
from inspection.published import lock_for_edit

from .follow_up import PlanRow, plan_rows


def previous_inspection(inspection: Inspection) -> Inspection | None:
    """The latest published inspection of the same place with fieldwork before this one's."""
    place = (
        {"region_id": inspection.region_id}
        if inspection.is_of_region
        else {"pdu_id": inspection.pdu_id}
    )
    return (
        Inspection.objects.with_place()
        .filter(
            status=InspectionStatus.PUBLISHED,
            fieldwork_start__lt=inspection.fieldwork_start,
            **place,
        )
        .exclude(pk=inspection.pk)
        .order_by("-fieldwork_start", "-pk")
        .first()
    )


def previous_rows(inspection: Inspection) -> tuple[Inspection | None, list[PlanRow]]:
    previous = previous_inspection(inspection)
    return previous, (plan_rows([previous]) if previous else [])


def _copy(inspection: Inspection, row: PlanRow) -> PreviousProgress:
    latest = row.plan.updates.order_by("-on", "-pk").first() if row.plan else None
    return PreviousProgress(
        inspection=inspection,
        recommendation=row.recommendation,
        number=row.number,
        addressee=row.recommendation.get_addressee_display(),
        text=row.recommendation.text,
        state=row.state_label,
        progress=row.progress_label,
        latest_update=latest.text if latest else "",
        latest_update_on=latest.on if latest else None,
        actions_done=row.actions_done,
        actions_total=len(row.actions),
    )


def take_into_report(inspection: Inspection, *, by) -> int:
    """Copy the previous inspection's recommendations and their progress as they stand now into
    this inspection's report, replacing any earlier copy. Returns how many were copied."""
    with transaction.atomic():
        lock_for_edit(inspection.pk)
        _, rows = previous_rows(inspection)
        had = PreviousProgress.objects.filter(inspection=inspection)
        before = had.count()
        had.delete()
        PreviousProgress.objects.bulk_create(_copy(inspection, row) for row in rows)
        audit.record(
            inspection.pk,
            AuditKind.REPORT_TEXT,
            by=by,
            subject="Progress on previous recommendations",
            old=f"{before} recommendations" if before else "",
            new=f"{len(rows)} recommendations, progress as recorded today",
        )
    return len(rows)


def leave_out_of_report(inspection: Inspection, *, by) -> None:
    with transaction.atomic():
        lock_for_edit(inspection.pk)
        had = PreviousProgress.objects.filter(inspection=inspection)
        before = had.count()
        if before:
            had.delete()
            audit.record(
                inspection.pk,
                AuditKind.REPORT_TEXT,
                by=by,
                subject="Progress on previous recommendations",
                old=f"{before} recommendations",
            )
