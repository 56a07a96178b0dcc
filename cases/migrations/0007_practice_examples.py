"""Candidate practice examples (an evidence note offered for its standard), locked with their
inspection at publication like the rest of its cases' rows."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from cases import db_locks as case_locks
from inspection import db_locks

LOCKS = [
    db_locks.published_lock(
        "cases_practiceexample",
        lambda row: [
            case_locks.case_inspection(
                f"(SELECT case_id FROM cases_answer WHERE id = {row}.answer_id)"
            )
        ],
    )
]


def create_locks(apps, schema_editor):
    db_locks.create(schema_editor, LOCKS)


def drop_locks(apps, schema_editor):
    db_locks.drop(schema_editor, LOCKS)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_input_limits"),
        # After the inspection app's table changes: SQLite copies a table to alter it, which
        # fails while a trigger elsewhere names it.
        ("inspection", "0020_evidence"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PracticeExample",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("marked_at", models.DateTimeField(auto_now_add=True)),
                (
                    "answer",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="practice_example",
                        to="cases.answer",
                    ),
                ),
                (
                    "marked_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
        migrations.RunPython(create_locks, drop_locks),
    ]
