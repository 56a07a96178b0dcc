"""The written report's ISBN (its imprint) and the lead's wordings of rating sentences: part of
the published record, so their rows lock with the inspection like the rest of the report.

New tables only: no table is altered, so SQLite needs no dropping and re-creating of locks.
"""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models

import inspection.input_rules
from inspection import db_locks

LOCKS = [
    db_locks.published_lock(table, lambda row: [f"{row}.inspection_id"])
    for table in ("inspection_reportimprint", "inspection_ratingwording")
]


def create_locks(apps, schema_editor):
    db_locks.create(schema_editor, LOCKS)


def drop_locks(apps, schema_editor):
    db_locks.drop(schema_editor, LOCKS)


class Migration(migrations.Migration):
    dependencies = [
        ("inspection", "0024_framework_text_limits"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReportImprint",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("isbn", models.CharField(blank=True, max_length=17)),
                (
                    "inspection",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="report_imprint",
                        to="inspection.inspection",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="RatingWording",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "text",
                    models.TextField(
                        validators=[
                            django.core.validators.MaxLengthValidator(
                                5000,
                                message="Must be %(limit_value)s characters or fewer (it has "
                                "%(show_value)s)",
                            ),
                            inspection.input_rules.NoControlCharacters(),
                        ]
                    ),
                ),
                (
                    "inspection",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="rating_wordings",
                        to="inspection.inspection",
                    ),
                ),
                (
                    "standard",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="inspection.standard",
                    ),
                ),
            ],
            options={
                "ordering": ["inspection_id", "standard__order", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("inspection", "standard"), name="one_rating_wording_per_standard"
                    )
                ],
            },
        ),
        migrations.RunPython(create_locks, drop_locks),
    ]
