"""The published PDF, stored once per record and locked like the record."""

import django.db.models.deletion
from django.db import migrations, models

from inspection import db_locks

# A published record's PDF is part of the public record: stored once, never changed or deleted
# (its DELETE condition also refuses TRUNCATE while it holds a row, on PostgreSQL).
PDF_LOCK = db_locks.Lock(
    "record_lock_reports_publishedpdf",
    "reports_publishedpdf",
    "reports_publishedpdf: a published report's PDF is part of the public record and cannot be "
    "changed or deleted",
    update="1 = 1",
    delete="1 = 1",
)


def lock_pdfs(apps, schema_editor):
    db_locks.create(schema_editor, [PDF_LOCK])


def unlock_pdfs(apps, schema_editor):
    db_locks.drop(schema_editor, [PDF_LOCK])


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_untied_record_only_when_published"),
    ]

    operations = [
        migrations.CreateModel(
            name="PublishedPdf",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("pdf", models.BinaryField()),
                ("checksum", models.CharField(max_length=64)),
                ("rendered_at", models.DateTimeField(auto_now_add=True)),
                (
                    "record",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="pdf",
                        to="reports.publishedreport",
                    ),
                ),
            ],
        ),
        migrations.RunPython(lock_pdfs, unlock_pdfs),
    ]
