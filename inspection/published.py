"""A published inspection is read-only through every path.

Views and services check `ensure_editable` before they write; the signal handlers below catch
everything else that saves or deletes through the ORM (Django admin, its bulk delete action, the
shell) and say why in words. Under both, the database refuses any change to a published
inspection's rows however it is made (inspection/db_locks.py): QuerySet.update(), bulk
operations and raw SQL included.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.db.models.signals import m2m_changed, pre_delete, pre_save

from .choices import InspectionStatus
from .models import (
    ConfirmedNumber,
    ContextFact,
    Domain1Judgement,
    EvidenceTally,
    Footnote,
    Inspection,
    PreviousProgress,
    RatingWording,
    Recommendation,
    ReportImprint,
    ReportItem,
    ReportSigning,
    ReportSubsection,
    SampleWindow,
)


class PublishedInspectionError(PermissionDenied):
    def __init__(self, inspection=None):
        name = f" ({inspection})" if inspection is not None else ""
        super().__init__(
            f"This inspection is published{name} and read-only: re-open it to make changes."
        )


def is_published(inspection_id) -> bool:
    return Inspection.objects.filter(pk=inspection_id, status=InspectionStatus.PUBLISHED).exists()


def ensure_editable(inspection) -> None:
    if inspection.status == InspectionStatus.PUBLISHED or is_published(inspection.pk):
        raise PublishedInspectionError(inspection)


def lock_for_edit(inspection_id: int) -> Inspection:
    """Lock the inspection's row, as publishing does first, then refuse if it is published (a
    fresh read under the lock). Every write to an inspection's own rows (recommendations,
    domain-1 judgements, team, dip samples, cases added) starts here, inside its transaction: it
    either finishes before publishing checks anything, or waits and finds the inspection
    published. Case rows are locked after this, never before (publishing's order)."""
    locked = Inspection.objects.select_for_update().get(pk=inspection_id)
    if locked.status == InspectionStatus.PUBLISHED:
        raise PublishedInspectionError(locked)
    return locked


def ensure_still_editable(inspection_id: int) -> None:
    """Refuse if the inspection is published now. Always a fresh read, for use once a writer holds
    its lock: a copy read before the lock may predate a publish that held the lock first."""
    if is_published(inspection_id):
        raise PublishedInspectionError()


def guard(model, inspection_id_of=lambda instance: instance.inspection_id) -> None:
    """Refuse saves and deletes of `model` rows that belong to a published inspection. Apps above
    this one call it for their own models (cases: cases, answers, dip samples, QA reviews): each
    guard is a signal receiver of its own, connected here, with no list of models kept."""

    def refuse_if_published(sender, instance, **kwargs):
        inspection_ids = {inspection_id_of(instance)}
        if instance.pk is not None and not instance._state.adding:
            # Moving a row out of a published inspection is as much a change to it as moving one in.
            stored = sender._base_manager.filter(pk=instance.pk).first()
            if stored is not None:
                inspection_ids.add(inspection_id_of(stored))
        if any(i and is_published(i) for i in inspection_ids):
            raise PublishedInspectionError()

    name = model.__name__
    # weak=False: the receiver is this call's closure, held by nothing else.
    pre_save.connect(
        refuse_if_published, sender=model, weak=False, dispatch_uid=f"published-save-{name}"
    )
    pre_delete.connect(
        refuse_if_published, sender=model, weak=False, dispatch_uid=f"published-delete-{name}"
    )


def _guard_inspection(sender, instance, **kwargs):
    # Any save, a change of status included: only inspection.lifecycle.move re-opens one.
    if instance.pk and is_published(instance.pk):
        raise PublishedInspectionError(instance)


def _guard_inspection_delete(sender, instance, **kwargs):
    if is_published(instance.pk):
        raise PublishedInspectionError(instance)


def _guard_team(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("pre_"):
        return
    if not reverse:
        inspection_ids = {instance.pk}
    else:  # from the user's side: the inspections being added or removed
        inspection_ids = pk_set or set(instance.inspection_teams.values_list("pk", flat=True))
    published = Inspection.objects.filter(pk__in=inspection_ids, status=InspectionStatus.PUBLISHED)
    if published.exists():
        raise PublishedInspectionError()


def _guard_m2m(sender, instance, action, **kwargs):
    if action.startswith("pre_") and is_published(instance.inspection_id):
        raise PublishedInspectionError()


def guard_m2m(through) -> None:
    """Refuse changing links in `through` from either side, both of whose models have an
    inspection (cases registers a dip sample's cases)."""
    m2m_changed.connect(_guard_m2m, sender=through, dispatch_uid=f"published-m2m-{through}")


def refuse_deleting_tied_user(user, ties: Q) -> None:
    """Refuse deleting a user `ties` (a Q on Inspection) tie to a published inspection: deleting
    them would clear their links (SET_NULL) or team places, changes to the inspection. This app
    asks it of its own ties (lead, team); apps above ask it of theirs from their own receiver
    (cases: assigned cases, answers and reviews)."""
    inspection = Inspection.objects.filter(ties, status=InspectionStatus.PUBLISHED).first()
    if inspection is not None:
        raise PermissionDenied(
            f"{user} is part of a published inspection ({inspection}), which is read-only: "
            "deactivate the account instead of deleting it."
        )


def _guard_user_delete(sender, instance, **kwargs):
    refuse_deleting_tied_user(instance, Q(lead_inspector=instance) | Q(team=instance))


def connect() -> None:
    for model in (
        Domain1Judgement,
        Recommendation,
        SampleWindow,
        ReportSigning,
        ReportImprint,
        RatingWording,
        ReportSubsection,
        ContextFact,
        Footnote,
        EvidenceTally,
        ConfirmedNumber,
        PreviousProgress,
    ):
        guard(model)
    guard(ReportItem, lambda item: item.subsection.inspection_id)
    pre_save.connect(_guard_inspection, sender=Inspection, dispatch_uid="published-inspection")
    pre_delete.connect(
        _guard_inspection_delete, sender=Inspection, dispatch_uid="published-inspection-delete"
    )
    m2m_changed.connect(_guard_team, sender=Inspection.team.through, dispatch_uid="published-team")
    pre_delete.connect(
        _guard_user_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="published-user"
    )
