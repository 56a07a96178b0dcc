"""Keeping Framework.revision current, so cached framework specs are never stale.

Every save or delete of the framework's rows (through admin or any ORM save/delete) gives the
framework a new revision; inspection.framework.spec caches by (framework id, revision). Code that
changes framework rows with QuerySet.update() or bulk operations must call `bump` itself.
"""

from django.db.models.signals import post_delete, post_migrate, post_save, pre_save

from inspection.models import (
    Domain,
    Framework,
    LimitingRule,
    OverallBand,
    Question,
    RatingBand,
    Standard,
)
from inspection.models.framework import new_revision

from .spec import clear_cache


def bump(framework_id) -> None:
    Framework.objects.filter(pk=framework_id).update(revision=new_revision())


def _child_changed(sender, instance, **kwargs):
    bump(instance.framework_id)


def _framework_saved(sender, instance, **kwargs):
    instance.revision = new_revision()


def _forget_cached_specs(**kwargs):
    # Flushing or migrating a database (tests do both) can reuse ids: start afresh.
    clear_cache()


def connect() -> None:
    for model in (Domain, Standard, Question, RatingBand, OverallBand, LimitingRule):
        name = model.__name__
        post_save.connect(_child_changed, sender=model, dispatch_uid=f"revision-save-{name}")
        post_delete.connect(_child_changed, sender=model, dispatch_uid=f"revision-delete-{name}")
    pre_save.connect(_framework_saved, sender=Framework, dispatch_uid="revision-framework")
    post_migrate.connect(_forget_cached_specs, dispatch_uid="revision-forget-specs")
