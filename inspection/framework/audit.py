"""Framework changes in the audit trail.

A framework belongs to no one inspection, but a change to its bands, rules, standards or
questions changes the ratings of every inspection that uses it. Only a version no inspection past
planning uses can change (inspection/framework/frozen.py), so those are inspections in planning;
the change is recorded in each of their trails, where the lead looks for why a rating moved.
"""

from django.db import transaction
from django.utils.text import capfirst

from inspection import audit
from inspection.choices import AuditKind, InspectionStatus
from inspection.models import Inspection


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def _name(obj) -> str:
    """'Question 2.2.1', 'Rating band Good: 65% and above, 3 points'."""
    return f"{capfirst(obj._meta.verbose_name)} {getattr(obj, 'code', '') or obj}"


def form_changes(obj, form) -> list[tuple[str, str, str]]:
    """(subject, before, after) for each field a model form changed on `obj`."""
    name = _name(obj)
    return [
        (
            f"{name}: {form.fields[field].label or field}",
            _shown(form.initial.get(field)),
            _shown(form.cleaned_data.get(field)),
        )
        for field in form.changed_data
    ]


def row_changes(obj, *, added=False, deleted=False) -> list[tuple[str, str, str]]:
    name = _name(obj)
    return [(name, "", "Added")] if added else [(name, str(obj), "Deleted")] if deleted else []


def record(framework_id: int, changes: list[tuple[str, str, str]], by) -> None:
    """One entry per change in each unpublished inspection using the framework."""
    if not changes:
        return
    with transaction.atomic():
        inspections = (
            Inspection.objects.filter(framework_id=framework_id)
            .exclude(status=InspectionStatus.PUBLISHED)
            .values_list("pk", flat=True)
        )
        audit.record_many(
            audit.entry(
                inspection_id,
                AuditKind.FRAMEWORK,
                by=by,
                subject=subject,
                old=old,
                new=new,
            )
            for inspection_id in inspections
            for subject, old, new in changes
        )


def record_loaded(framework, description: str, by) -> int:
    """A new version loaded from a file changes no inspection's ratings, but the inspections still
    in planning on another version of the same framework may move to it (versioning
    .move_to_framework): the new version is recorded in each of their trails. How many entries."""
    with transaction.atomic():
        inspections = (
            Inspection.objects.filter(
                framework__code=framework.code, status=InspectionStatus.PLANNING
            )
            .exclude(framework=framework)
            .values_list("pk", flat=True)
        )
        written = audit.record_many(
            audit.entry(
                inspection_id,
                AuditKind.FRAMEWORK,
                by=by,
                subject=f"New framework version: {framework}",
                new=description,
            )
            for inspection_id in inspections
        )
    return len(written)
