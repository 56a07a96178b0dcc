"""A region framework names the PDU framework it pools (docs/framework-format.md, pools_from):
only inspections under that framework are pooled, so a question code that means something else
in another framework is never summed.

Region frameworks loaded before this take the value their shipped file gives. The framework row
carries a lock trigger (migration 0009): it is dropped around the change and made again, on
both databases, as migration 0011 does.
"""

import importlib
import json
from pathlib import Path

from django.db import migrations, models

from inspection import db_locks

SHIPPED = Path(__file__).resolve().parent.parent / "frameworks"
LOCKS = db_locks.naming(
    importlib.import_module("inspection.migrations.0009_database_locks").LOCKS,
    ["inspection_framework"],
)


def drop_locks(apps, schema_editor):
    db_locks.drop(schema_editor, LOCKS)


def create_locks(apps, schema_editor):
    db_locks.create(schema_editor, LOCKS)


def fill_in(apps, schema_editor):
    Framework = apps.get_model("inspection", "Framework")
    pooling = Framework.objects.filter(domains__rated_by="pooled", pools_from="").distinct()
    for framework in pooling:
        path = SHIPPED / f"{framework.code}.json"
        if path.exists():
            framework.pools_from = json.loads(path.read_text(encoding="utf-8")).get(
                "pools_from", ""
            )
            framework.save(update_fields=["pools_from"])


class Migration(migrations.Migration):
    dependencies = [
        ("inspection", "0015_judgement_text"),
    ]

    operations = [
        migrations.RunPython(drop_locks, create_locks),
        migrations.AddField(
            model_name="framework",
            name="pools_from",
            field=models.CharField(blank=True, max_length=50),
        ),
        migrations.RunPython(fill_in, migrations.RunPython.noop),
        migrations.RunPython(create_locks, drop_locks),
    ]
