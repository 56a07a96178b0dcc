"""A record tied to no publication event only for an inspection published before its lifecycle
events were kept: published, with no event and no record yet (what `verify_published
--store-missing` stores). 0002's lock took one for any inspection with no publication event and
no record, say one in planning: a forged record that the inspection's real publication then
chained onto. Records already stored stay as they are (a record is never changed); those tied to
no event that stand for no publication are named by verify_published (reports.models.legacy).

This replaces 0002's lock (the same trigger, its insert condition narrowed); nothing else changes.
"""

import dataclasses
import importlib

from django.db import migrations

from inspection import db_locks

OLD_LOCK = importlib.import_module(
    "reports.migrations.0002_record_tied_to_its_publication"
).RECORD_LOCK

# Tied to nothing: only for a published inspection with no event (and no record: 0002's last
# condition, kept below).
UNTIED = (
    f"(NEW.event_id IS NULL AND (NOT {db_locks.published('NEW.inspection_id')} "
    "OR EXISTS (SELECT 1 FROM inspection_inspectionevent "
    "WHERE inspection_id = NEW.inspection_id))) "
)
# 0002's conditions after its first, kept as they are: a record tied to an event must be tied to
# its inspection's newest event, a publication; no second record while it is published.
_, TIED, TIED_AND_SECOND = OLD_LOCK.insert.partition("OR (NEW.event_id IS NOT NULL")
assert TIED, "reports 0002's lock reads as it did"
RECORD_LOCK = dataclasses.replace(
    OLD_LOCK,
    message=OLD_LOCK.message
    + " (tied to none: only for a published inspection with no lifecycle event and no record)",
    insert=UNTIED + TIED + TIED_AND_SECOND,
)


def replace_lock(apps, schema_editor):
    db_locks.drop(schema_editor, [OLD_LOCK])
    db_locks.create(schema_editor, [RECORD_LOCK])


def restore_old_lock(apps, schema_editor):
    db_locks.drop(schema_editor, [RECORD_LOCK])
    db_locks.create(schema_editor, [OLD_LOCK])


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_record_tied_to_its_publication"),
    ]

    operations = [
        migrations.RunPython(replace_lock, restore_old_lock),
    ]
