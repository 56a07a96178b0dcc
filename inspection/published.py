"""A published inspection is read-only through every path.

Views and services check `ensure_editable` before they write; the signal handlers below are the
backstop for everything else that saves or deletes through the ORM (Django admin, its bulk delete
action, the shell), so a forgotten check cannot change published results.
"""

from django.core.exceptions import PermissionDenied
from django.db.models.signals import m2m_changed, pre_delete, pre_save

from .choices import InspectionStatus


class PublishedInspectionError(PermissionDenied):
    def __init__(self, inspection=None):
        name = f" ({inspection})" if inspection is not None else ""
        super().__init__(
            f"This inspection is published{name} and read-only: re-open it to make changes."
        )


def is_published(inspection_id) -> bool:
    from .models import Inspection

    return Inspection.objects.filter(pk=inspection_id, status=InspectionStatus.PUBLISHED).exists()


def ensure_editable(inspection) -> None:
    if inspection.status == InspectionStatus.PUBLISHED or is_published(inspection.pk):
        raise PublishedInspectionError(inspection)


def _inspection_id(instance):
    from cases.models import Answer

    if isinstance(instance, Answer):
        return instance.case.inspection_id
    return getattr(instance, "inspection_id", None)


def _guard_child(sender, instance, **kwargs):
    inspection_id = _inspection_id(instance)
    if inspection_id and is_published(inspection_id):
        raise PublishedInspectionError()


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
    from cases.models import Answer, Case
    from inspection.models import Domain1Judgement, Inspection, Recommendation, SampleWindow

    for model in (Case, Answer, Domain1Judgement, Recommendation, SampleWindow):
        pre_save.connect(
            _guard_child, sender=model, dispatch_uid=f"published-save-{model.__name__}"
        )
        pre_delete.connect(
            _guard_child, sender=model, dispatch_uid=f"published-delete-{model.__name__}"
        )
    pre_save.connect(_guard_inspection, sender=Inspection, dispatch_uid="published-inspection")
    pre_delete.connect(
        _guard_inspection_delete, sender=Inspection, dispatch_uid="published-inspection-delete"
    )
    m2m_changed.connect(_guard_team, sender=Inspection.team.through, dispatch_uid="published-team")
