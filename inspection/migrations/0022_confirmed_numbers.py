import django.db.models.deletion
from django.db import migrations, models

from inspection import db_locks

# A confirmation is part of the written report: it locks with the published inspection.
LOCKS = [
    db_locks.published_lock("inspection_confirmednumber", lambda row: [f"{row}.inspection_id"])
]


def create_locks(apps, schema_editor):
    db_locks.create(schema_editor, LOCKS)


def drop_locks(apps, schema_editor):
    db_locks.drop(schema_editor, LOCKS)


class Migration(migrations.Migration):
    dependencies = [
        ("inspection", "0020_evidence"),
    ]

    operations = [
        migrations.CreateModel(
            name="ConfirmedNumber",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("place", models.CharField(max_length=500)),
                ("written", models.CharField(max_length=200)),
                ("text_digest", models.CharField(max_length=64)),
                (
                    "inspection",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="confirmed_numbers",
                        to="inspection.inspection",
                    ),
                ),
            ],
            options={
                "ordering": ["inspection_id", "pk"],
            },
        ),
        migrations.AddConstraint(
            model_name="confirmednumber",
            constraint=models.UniqueConstraint(
                fields=("inspection", "text_digest", "written"),
                name="one_confirmation_per_number",
            ),
        ),
        migrations.RunPython(create_locks, drop_locks),
    ]
