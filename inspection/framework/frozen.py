"""A framework version that an inspection has used past planning is frozen.

Its ratings, findings and published report were computed from these rows, so none of them may
change or go, and nothing may be added: changes go into a copy at the next version
(inspection/framework/versioning.py). The database refuses every change itself
(inspection/db_locks.py); the signal handlers here catch ORM saves and deletes first, to say
why in words (Django admin shows the message instead of a server error).
"""

from django.core.exceptions import PermissionDenied
from django.db.models.signals import pre_delete, pre_save

from inspection.choices import InspectionStatus
from inspection.models import (
    CaseCondition,
    Domain,
    EvidenceQuestion,
    Framework,
    Inspection,
    ItemGroup,
    LimitingRule,
    OverallBand,
    Question,
    RatingBand,
    Standard,
)

# An inspection in any of these has used its framework version (as in inspection/db_locks.py).
IN_USE = (InspectionStatus.FIELDWORK, InspectionStatus.MODERATION, InspectionStatus.PUBLISHED)
FRAMEWORK_ROWS = (
    Domain,
    Standard,
    Question,
    RatingBand,
    OverallBand,
    LimitingRule,
    CaseCondition,
    ItemGroup,
    EvidenceQuestion,
)


class FrozenFrameworkError(PermissionDenied):
    def __init__(self, framework=None):
        name = f" ({framework})" if framework is not None else ""
        super().__init__(
            f"This framework version{name} is in use by an inspection past planning and cannot "
            'change: copy it to a new version (the "Copy to a new version" action) and change '
            "that."
        )


def is_frozen(framework_id) -> bool:
    return Inspection.objects.filter(framework_id=framework_id, status__in=IN_USE).exists()


def changeable_frameworks():
    return Framework.objects.exclude(inspections__status__in=IN_USE)


def _framework_id(instance):
    return instance.pk if isinstance(instance, Framework) else instance.framework_id


def _guard(sender, instance, **kwargs):
    framework_ids = {_framework_id(instance)}
    if instance.pk is not None and not instance._state.adding:
        # Moving a row out of a frozen version changes it as much as moving one in.
        stored = sender._base_manager.filter(pk=instance.pk).first()
        if stored is not None:
            framework_ids.add(_framework_id(stored))
    for framework_id in framework_ids:
        if framework_id and is_frozen(framework_id):
            raise FrozenFrameworkError(Framework.objects.filter(pk=framework_id).first())


def connect() -> None:
    for model in (Framework, *FRAMEWORK_ROWS):
        name = model.__name__
        pre_save.connect(_guard, sender=model, dispatch_uid=f"frozen-save-{name}")
        pre_delete.connect(_guard, sender=model, dispatch_uid=f"frozen-delete-{name}")
