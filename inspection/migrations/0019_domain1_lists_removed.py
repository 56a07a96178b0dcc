"""Domain-1 strengths and areas for improvement are report items now (0018 moved them): the old
fields go. SQLite copies inspection_domain1judgement to drop a column, which drops its lock: the
locks naming the table are dropped first and created again after, on both databases (as 0015)."""

import importlib

from django.db import migrations, models

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
    dependencies = [("inspection", "0018_domain1_lists_to_report_items")]

    operations = [
        # Reversed, these run in the other order: the locks come back after the columns do.
        migrations.RunPython(drop_locks, create_locks),
        migrations.RemoveField(model_name="domain1judgement", name="areas_for_improvement"),
        migrations.RemoveField(model_name="domain1judgement", name="strengths"),
        migrations.RunPython(create_locks, drop_locks),
        migrations.AlterField(
            model_name="auditentry",
            name="kind",
            field=models.CharField(
                choices=[
                    ("answer", "Answer"),
                    ("case_status", "Case status"),
                    ("case_details", "Case details"),
                    ("domain1", "Domain-1 judgement"),
                    ("recommendation", "Recommendation"),
                    ("team", "Team"),
                    ("lifecycle", "Inspection status"),
                    ("qa", "Quality assurance"),
                    ("framework", "Framework"),
                    ("report_text", "Written report"),
                ],
                max_length=20,
            ),
        ),
    ]
