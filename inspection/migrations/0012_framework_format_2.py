"""Framework files, format 2 (docs/framework-format.md), the tables: case conditions and item
groups as data, scored separately from rated, pooled domains, question equivalents, and a source
and provisional flag on every rule. Migration 0013 converts the rows.

Frozen framework versions refuse every change in the database (migration 0009), and SQLite
copies a table to alter it: the locks on the framework tables are dropped here and created again
by 0013, once the rows are converted. (Two migrations, since PostgreSQL cannot build this one's
indexes, which Django creates last, on a table with row changes pending in the transaction.)
"""

import importlib

import django.db.models.deletion
from django.db import migrations, models

from inspection import db_locks

FRAMEWORK_TABLES = [
    "inspection_framework",
    "inspection_domain",
    "inspection_standard",
    "inspection_question",
    "inspection_ratingband",
    "inspection_overallband",
    "inspection_limitingrule",
]
OLD_LOCKS = db_locks.naming(
    importlib.import_module("inspection.migrations.0009_database_locks").LOCKS, FRAMEWORK_TABLES
)


def drop_locks(apps, schema_editor):
    db_locks.drop(schema_editor, OLD_LOCKS)


def create_old_locks(apps, schema_editor):
    db_locks.create(schema_editor, OLD_LOCKS)


class Migration(migrations.Migration):
    dependencies = [
        ("inspection", "0011_input_limits"),
    ]

    operations = [
        # Reversed, these run in the other order: the locks come back after the columns go.
        migrations.RunPython(drop_locks, create_old_locks),
        migrations.AddField(
            model_name="framework",
            name="provisional",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="framework",
            name="scope",
            field=models.CharField(
                choices=[("pdu", "A PDU"), ("region", "A region")], default="pdu", max_length=10
            ),
        ),
        migrations.AddField(
            model_name="framework",
            name="source",
            field=models.CharField(blank=True, max_length=500),
        ),
        migrations.AddField(
            model_name="limitingrule",
            name="provisional",
            field=models.BooleanField(
                default=False, help_text="Not confirmed from a published source; edit when it is."
            ),
        ),
        migrations.AddField(
            model_name="limitingrule",
            name="source",
            field=models.CharField(blank=True, max_length=500),
        ),
        migrations.AddField(
            model_name="overallband",
            name="provisional",
            field=models.BooleanField(
                default=False, help_text="Not confirmed from a published source; edit when it is."
            ),
        ),
        migrations.AddField(
            model_name="overallband",
            name="source",
            field=models.CharField(blank=True, max_length=500),
        ),
        migrations.AddField(
            model_name="question",
            name="equivalents",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="question",
            name="pooled_from",
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.AddField(
            model_name="question",
            name="provisional",
            field=models.BooleanField(
                default=False, help_text="Not confirmed from a published source; edit when it is."
            ),
        ),
        migrations.AddField(
            model_name="question",
            name="source",
            field=models.CharField(blank=True, max_length=500),
        ),
        migrations.AddField(
            model_name="ratingband",
            name="provisional",
            field=models.BooleanField(
                default=False, help_text="Not confirmed from a published source; edit when it is."
            ),
        ),
        migrations.AddField(
            model_name="ratingband",
            name="source",
            field=models.CharField(blank=True, max_length=500),
        ),
        migrations.AddField(
            model_name="standard",
            name="provisional",
            field=models.BooleanField(
                default=False, help_text="Not confirmed from a published source; edit when it is."
            ),
        ),
        migrations.AddField(
            model_name="standard",
            name="scored",
            field=models.BooleanField(
                default=True,
                help_text="Its rating's points count towards the score (rated ones only).",
            ),
        ),
        migrations.AddField(
            model_name="standard",
            name="source",
            field=models.CharField(blank=True, max_length=500),
        ),
        migrations.AlterField(
            model_name="domain",
            name="rated_by",
            field=models.CharField(
                choices=[
                    ("judgement", "Lead inspector's judgement"),
                    ("cases", "Case answers"),
                    ("pooled", "Pooled results of the region's PDU inspections"),
                ],
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="question",
            name="applies_when",
            field=models.CharField(default="always", max_length=50),
        ),
        migrations.AlterField(
            model_name="question",
            name="kind",
            field=models.CharField(
                choices=[
                    ("key_question", "Key question"),
                    ("prompt", "Prompt"),
                    ("item", "Item (in an item group)"),
                ],
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="standard",
            name="applies_when",
            field=models.CharField(default="always", max_length=50),
        ),
        migrations.AlterField(
            model_name="standard",
            name="rated",
            field=models.BooleanField(
                default=True,
                help_text="Unrated standards (outcomes) are reported without a rating.",
            ),
        ),
        migrations.CreateModel(
            name="ItemGroup",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.CharField(max_length=10)),
                ("name", models.CharField(max_length=200)),
                ("report_title", models.CharField(blank=True, max_length=200)),
                ("applies_when", models.CharField(default="always", max_length=50)),
                ("order", models.PositiveSmallIntegerField(default=0)),
                (
                    "framework",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="item_groups",
                        to="inspection.framework",
                    ),
                ),
            ],
            options={
                "ordering": ["framework", "order"],
            },
        ),
        migrations.AddField(
            model_name="question",
            name="group",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="items",
                to="inspection.itemgroup",
            ),
        ),
        migrations.CreateModel(
            name="CaseCondition",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.CharField(max_length=50)),
                ("description", models.CharField(max_length=200)),
                ("when", models.JSONField(default=dict)),
                ("not_applicable_reason", models.TextField(blank=True)),
                (
                    "framework",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="conditions",
                        to="inspection.framework",
                    ),
                ),
            ],
            options={
                "ordering": ["framework", "code"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("framework", "code"), name="unique_condition_code"
                    )
                ],
            },
        ),
        migrations.AddConstraint(
            model_name="itemgroup",
            constraint=models.UniqueConstraint(
                fields=("framework", "code"), name="unique_item_group_code"
            ),
        ),
    ]
