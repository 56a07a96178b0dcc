"""TRUNCATE refused on the cases app's locked tables while one of their rows belongs to a
published inspection (PostgreSQL; inspection/db_locks.py and inspection migration 0023 say why).
Cases, answers, QA reviews and their verdicts, dip samples and practice examples: each row is
locked with its published inspection, so TRUNCATE is refused as long as DELETE of such a row is.
"""

import importlib

from django.db import migrations

from inspection import db_locks

LOCKS = [
    *importlib.import_module("cases.migrations.0004_database_locks").LOCKS,
    *importlib.import_module("cases.migrations.0007_practice_examples").LOCKS,
]


def forwards(apps, schema_editor):
    db_locks.guard_truncate(schema_editor, LOCKS)


def backwards(apps, schema_editor):
    db_locks.drop_truncate_guards(schema_editor, LOCKS)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_practice_examples"),
        ("inspection", "0023_reopening_leaves_its_trace"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
