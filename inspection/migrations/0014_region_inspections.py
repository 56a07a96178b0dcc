"""Region inspections: an inspection is of a PDU or of a region (exactly one, a CHECK), and names
its inspection programme, whose published PDU inspections a region inspection pools.

SQLite copies inspection_inspection to alter it, which drops its own lock and fails on every
other trigger whose SQL names the table (the published locks of an inspection's rows, the frozen
framework locks, the cases app's locks and the published-record lock): those are dropped first
and created again after, on both databases, so both end as before.
"""

import importlib

import django.db.models.deletion
from django.db import migrations, models

from inspection import db_locks


def _locks(module: str, name: str = "LOCKS") -> list:
    return list(getattr(importlib.import_module(module), name))


LOCKS = db_locks.naming(
    [
        *_locks("inspection.migrations.0009_database_locks"),
        *_locks("inspection.migrations.0013_framework_format_2_rows", "NEW_LOCKS"),
        *_locks("cases.migrations.0004_database_locks"),
        importlib.import_module("reports.migrations.0001_published_report").RECORD_LOCK,
    ],
    ["inspection_inspection"],
)


def drop_locks(apps, schema_editor):
    db_locks.drop(schema_editor, LOCKS)


def create_locks(apps, schema_editor):
    db_locks.create(schema_editor, LOCKS)


class Migration(migrations.Migration):
    dependencies = [
        ("inspection", "0013_framework_format_2_rows"),
        # Their locks name inspection_inspection, so they must exist to be dropped and made again.
        ("cases", "0006_input_limits"),
        ("reports", "0001_published_report"),
    ]

    operations = [
        # Reversed, these run in the other order: the locks come back after the columns go.
        migrations.RunPython(drop_locks, create_locks),
        migrations.AddField(
            model_name="inspection",
            name="programme",
            field=models.CharField(
                blank=True, help_text='The inspection programme, e.g. "2024-25".', max_length=20
            ),
        ),
        migrations.AddField(
            model_name="inspection",
            name="region",
            field=models.ForeignKey(
                blank=True,
                help_text="For a region inspection: leave the PDU empty.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="inspections",
                to="inspection.region",
            ),
        ),
        migrations.AlterField(
            model_name="inspection",
            name="pdu",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="inspections",
                to="inspection.pdu",
            ),
        ),
        migrations.AddConstraint(
            model_name="inspection",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("pdu__isnull", False), ("region__isnull", True)),
                    models.Q(("pdu__isnull", True), ("region__isnull", False)),
                    _connector="OR",
                ),
                name="inspection_is_of_a_pdu_or_a_region",
                violation_error_message=(
                    "An inspection is of a PDU or of a region: choose one of them, not both."
                ),
            ),
        ),
        # Rows of an inspection order by its id, not through Inspection's ordering: that now
        # joins the nullable PDU, and PostgreSQL refuses FOR UPDATE on an outer join's
        # nullable side (reports/domain1.py locks judgements).
        migrations.AlterModelOptions(
            name="domain1judgement",
            options={
                "ordering": ["inspection_id", "standard__order"],
                "verbose_name": "domain-1 judgement",
            },
        ),
        migrations.AlterModelOptions(
            name="inspectionevent", options={"ordering": ["inspection_id", "-at"]}
        ),
        migrations.AlterModelOptions(
            name="recommendation", options={"ordering": ["inspection_id", "order"]}
        ),
        migrations.AlterModelOptions(
            name="samplewindow", options={"ordering": ["inspection_id", "start"]}
        ),
        migrations.RunPython(create_locks, drop_locks),
    ]
