"""Re-opening a published inspection only through the lifecycle service, and TRUNCATE guards
(inspection/db_locks.py describes both).

- The unlock row (inspection_unlock) is refused unless the re-opening's event and audit entry
  were written first, by the same transaction on PostgreSQL; the inspection row, unlocked, lets
  only its status change, to moderation (PostgreSQL: nothing else in the row, and only for the
  transaction that wrote the unlock row). This replaces 0009's lock on inspection_inspection: a
  later migration that drops and creates the locks naming that table (the SQLite dance) takes
  them from `locks()` here, not from 0009.
- A lifecycle event must start from the inspection's current status, and a re-opening give a
  reason.
- Every lock so far that refuses a DELETE also refuses TRUNCATE (PostgreSQL), and so does the
  audit trail (migration 0010's own triggers refuse its UPDATE and DELETE).
"""

import importlib

from django.db import migrations

from inspection import db_locks

INSPECTION_ROW_MESSAGE = (
    "inspection_inspection: a published inspection is read-only; re-open it to make changes"
)


def locks(on: str) -> list[db_locks.Lock]:
    """This migration's locks on database `on` ("postgresql" or "sqlite")."""
    unlocked_here = " AND " + db_locks.written_here("unlock") if on == "postgresql" else ""
    only_status = (
        " AND to_jsonb(NEW) - 'status' = to_jsonb(OLD) - 'status'" if on == "postgresql" else ""
    )
    return [
        db_locks.Lock(
            "published_lock_inspection_inspection",
            "inspection_inspection",
            INSPECTION_ROW_MESSAGE,
            update=(
                f"OLD.status = 'published' AND NOT (NEW.status = 'moderation'{only_status} "
                "AND EXISTS (SELECT 1 FROM inspection_unlock AS unlock "
                f"WHERE unlock.inspection_id = OLD.id{unlocked_here}))"
            ),
            delete="OLD.status = 'published'",
        ),
        db_locks.Lock(
            "reopening_lock_inspection_unlock",
            "inspection_unlock",
            "inspection_unlock: a published inspection is re-opened through the lifecycle "
            "service only, which writes the re-opening event (with its reason) and audit entry "
            "first",
            insert=f"NOT ({db_locks.reopening_recorded('NEW.inspection_id', on)})",
            update="1 = 1",
        ),
        db_locks.Lock(
            "ordered_inspection_inspectionevent",
            "inspection_inspectionevent",
            "inspection_inspectionevent: an event starts from the inspection's current status, "
            "and re-opening a published inspection gives a reason",
            insert=(
                "NEW.from_status <> (SELECT status FROM inspection_inspection "
                "WHERE id = NEW.inspection_id) "
                "OR (NEW.from_status = 'published' AND TRIM(NEW.reason) = '')"
            ),
        ),
    ]


def _earlier(module: str, name: str = "LOCKS") -> list[db_locks.Lock]:
    return getattr(importlib.import_module(f"inspection.migrations.{module}"), name)


# The locks in place before this migration (0013 re-created 0009's framework locks as they were).
EARLIER_LOCKS = [
    *_earlier("0009_database_locks"),
    *_earlier("0013_framework_format_2_rows", "NEW_LOCKS"),
    *_earlier("0017_report_text"),
    *_earlier("0020_evidence"),
]
REPLACED = [lock for lock in EARLIER_LOCKS if lock.name == "published_lock_inspection_inspection"]
AUDIT_TRAIL = db_locks.Lock(
    "append_only_inspection_auditentry",
    "inspection_auditentry",
    "inspection_auditentry: audit entries are append-only",
    delete="1 = 1",  # for its TRUNCATE guard only: 0010's triggers refuse UPDATE and DELETE
)
TRUNCATE_GUARDED = [*EARLIER_LOCKS, AUDIT_TRAIL]


def forwards(apps, schema_editor):
    on = db_locks.vendor(schema_editor)
    db_locks.create_functions(schema_editor)
    db_locks.drop(schema_editor, REPLACED)
    db_locks.create(schema_editor, locks(on))
    db_locks.guard_truncate(schema_editor, TRUNCATE_GUARDED)


def backwards(apps, schema_editor):
    on = db_locks.vendor(schema_editor)
    db_locks.drop_truncate_guards(schema_editor, TRUNCATE_GUARDED)
    db_locks.drop(schema_editor, locks(on))
    db_locks.create(schema_editor, REPLACED)
    db_locks.drop_truncate_guards(schema_editor, REPLACED)
    db_locks.drop_functions(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("inspection", "0022_confirmed_numbers")]

    operations = [migrations.RunPython(forwards, backwards)]
