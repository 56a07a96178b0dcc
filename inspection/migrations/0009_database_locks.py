"""The database refuses changes to frozen framework versions, to published inspections and to
lifecycle events (inspection/db_locks.py describes the triggers). Cases migration 0004 locks the
cases app's tables the same way."""

from dataclasses import replace

from django.db import migrations

from inspection import db_locks

FRAMEWORK_TABLES = [
    "inspection_domain",
    "inspection_standard",
    "inspection_question",
    "inspection_ratingband",
    "inspection_overallband",
    "inspection_limitingrule",
]

INSPECTION_ROW = db_locks.Lock(
    "published_lock_inspection_inspection",
    "inspection_inspection",
    "inspection_inspection: a published inspection is read-only; re-open it to make changes",
    # Only the re-open service's unlock row (inspection/lifecycle.py) lets it change.
    update=(
        "OLD.status = 'published' AND NOT EXISTS "
        "(SELECT 1 FROM inspection_unlock WHERE inspection_id = OLD.id)"
    ),
    delete="OLD.status = 'published'",
)

LOCKS = [
    # The framework row itself: no inspection can use a framework before it exists, so an
    # insert needs no check.
    replace(db_locks.frozen_lock("inspection_framework", framework_column="id"), insert=""),
    *[db_locks.frozen_lock(table) for table in FRAMEWORK_TABLES],
    INSPECTION_ROW,
    *[
        db_locks.published_lock(table, lambda row: [f"{row}.inspection_id"])
        for table in (
            "inspection_samplewindow",
            "inspection_domain1judgement",
            "inspection_recommendation",
            "inspection_inspection_team",
        )
    ],
    db_locks.Lock(
        "append_only_inspection_inspectionevent",
        "inspection_inspectionevent",
        "inspection_inspectionevent: lifecycle events are kept as they happened",
        update="1 = 1",
        delete="1 = 1",
    ),
]


def forwards(apps, schema_editor):
    db_locks.create(schema_editor, LOCKS)


def backwards(apps, schema_editor):
    db_locks.drop(schema_editor, LOCKS)


class Migration(migrations.Migration):
    dependencies = [("inspection", "0008_events_kept_and_unlock")]

    operations = [migrations.RunPython(forwards, backwards)]
