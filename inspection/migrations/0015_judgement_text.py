"""A judgement in words for a standard the lead judges but the framework does not rate (the
public-protection framework's Chief Inspector's judgement).

inspection_domain1judgement carries lock triggers (migration 0009). SQLite copies a table to add
a column, which drops its triggers: the locks naming the table are dropped first and created
again after, on both databases, as migration 0011 does.
"""

import importlib

import django.core.validators
from django.db import migrations, models

import inspection.input_rules
from inspection import db_locks

LOCKS = db_locks.naming(
    importlib.import_module("inspection.migrations.0009_database_locks").LOCKS,
    ["inspection_domain1judgement"],
)


def drop_locks(apps, schema_editor):
    db_locks.drop(schema_editor, LOCKS)


def create_locks(apps, schema_editor):
    db_locks.create(schema_editor, LOCKS)


class Migration(migrations.Migration):
    dependencies = [("inspection", "0014_region_inspections")]

    operations = [
        # Reversed, these run in the other order: create after the column is removed.
        migrations.RunPython(drop_locks, create_locks),
        migrations.AddField(
            model_name="domain1judgement",
            name="judgement",
            field=models.TextField(
                blank=True,
                validators=[
                    django.core.validators.MaxLengthValidator(
                        5000,
                        message="Must be %(limit_value)s characters or fewer (it has %(show_value)s)",
                    ),
                    inspection.input_rules.NoControlCharacters(),
                ],
            ),
        ),
        migrations.RunPython(create_locks, drop_locks),
    ]
