"""A published inspection is read-only through every path.

Views and services check `ensure_editable` before they write; the signal handlers below are the
backstop for everything else that saves or deletes through the ORM (Django admin, its bulk delete
action, the shell), so a forgotten check cannot change published results.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db.models.signals import m2m_changed, pre_delete, pre_save

from .choices import InspectionStatus
from .models import Domain1Judgement, Inspection, Recommendation, SampleWindow


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


def ensure_still_editable(inspection_id: int) -> None:
    """Refuse if the inspection is published now. Always a fresh read, for use once a writer holds
    its lock: a copy read before the lock may predate a publish that held the lock first."""
    if is_published(inspection_id):
        raise PublishedInspectionError()


# How to find the inspection a guarded model's row belongs to, by model. Apps above this one
# register their own models (cases registers Case and Answer) rather than be imported here.
_inspection_of: dict[type, Callable[[object], int | None]] = {}


def _guard_child(sender, instance, **kwargs):
    inspection_id = _inspection_of[sender](instance)
    if inspection_id and is_published(inspection_id):
        raise PublishedInspectionError()


def guard(model, inspection_id_of=lambda instance: instance.inspection_id) -> None:
    """Refuse saves and deletes of `model` rows that belong to a published inspection."""
    _inspection_of[model] = inspection_id_of
    name = model.__name__
    pre_save.connect(_guard_child, sender=model, dispatch_uid=f"published-save-{name}")
    pre_delete.connect(_guard_child, sender=model, dispatch_uid=f"published-delete-{name}")


def _guard_inspection(sender, instance, **kwargs):
    if not instance.pk:
        return
    stored = sender.objects.filter(pk=instance.pk).values_list("status", flat=True).first()
    published = InspectionStatus.PUBLISHED
    if stored == published and instance.status == published:
        raise PublishedInspectionError(instance)


def _guard_inspection_delete(sender, instance, **kwargs):
    if is_published(instance.pk):
        raise PublishedInspectionError(instance)


def _guard_team(sender, instance, action, **kwargs):
    if action.startswith("pre_") and is_published(instance.pk):
        raise PublishedInspectionError(instance)


def connect() -> None:
    for model in (Domain1Judgement, Recommendation, SampleWindow):
        guard(model)
    pre_save.connect(_guard_inspection, sender=Inspection, dispatch_uid="published-inspection")
    pre_delete.connect(
        _guard_inspection_delete, sender=Inspection, dispatch_uid="published-inspection-delete"
    )
    m2m_changed.connect(_guard_team, sender=Inspection.team.through, dispatch_uid="published-team")
