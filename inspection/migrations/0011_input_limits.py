"""The limits of inspection/input_rules.py on the models: validators (admin, full_clean) and a
CHECK on the length of recommendations and lifecycle reasons, which no page or import can pass.

Both tables carry lock triggers (migration 0009). SQLite copies a table to add a constraint, which
drops its triggers: the locks on these tables are dropped first and created again after, on both
databases, so both end as 0009 left them.
"""

import importlib

import django.core.validators
import django.db.models.functions.text
import django.db.models.lookups
from django.db import migrations, models

import inspection.input_rules
from inspection import db_locks

LIMITS = {  # table: (model, column, limit)
    "inspection_recommendation": ("Recommendation", "text", 2000),
    "inspection_inspectionevent": ("InspectionEvent", "reason", 2000),
}
LOCKS = db_locks.naming(
    importlib.import_module("inspection.migrations.0009_database_locks").LOCKS, list(LIMITS)
)


def check_existing(apps, schema_editor):
    """Name the rows that are too long, rather than let the CHECK fail without saying which."""
    too_long = []
    for model_name, column, limit in LIMITS.values():
        model = apps.get_model("inspection", model_name)
        rows = model.objects.annotate(length=django.db.models.functions.text.Length(column)).filter(
            length__gt=limit
        )
        too_long += [
            f"{model_name} {pk} of inspection {inspection_id}: its {column} has {length} "
            f"characters, the limit is {limit}"
            for pk, inspection_id, length in rows.values_list("pk", "inspection_id", "length")
        ]
    if too_long:
        raise RuntimeError("Shorten these, then migrate again:\n" + "\n".join(too_long))


def _text_validators(limit: int) -> list:
    return [
        django.core.validators.MaxLengthValidator(
            limit, message="Must be %(limit_value)s characters or fewer (it has %(show_value)s)"
        ),
        inspection.input_rules.NoControlCharacters(),
    ]


def drop_locks(apps, schema_editor):
    db_locks.drop(schema_editor, LOCKS)


def create_locks(apps, schema_editor):
    db_locks.create(schema_editor, LOCKS)


class Migration(migrations.Migration):
    dependencies = [("inspection", "0010_audit_entry")]

    operations = [
        migrations.RunPython(check_existing, migrations.RunPython.noop),
        # Reversed, these run in the other order: create after the constraints are removed.
        migrations.RunPython(drop_locks, create_locks),
        migrations.AlterField(
            model_name="domain1judgement",
            name="areas_for_improvement",
            field=models.JSONField(
                blank=True,
                default=list,
                validators=[inspection.input_rules.ItemsWithin(30, 1000)],
            ),
        ),
        migrations.AlterField(
            model_name="domain1judgement",
            name="strengths",
            field=models.JSONField(
                blank=True,
                default=list,
                validators=[inspection.input_rules.ItemsWithin(30, 1000)],
            ),
        ),
        migrations.AlterField(
            model_name="inspectionevent",
            name="reason",
            field=models.TextField(
                blank=True,
                validators=_text_validators(2000),
            ),
        ),
        migrations.AlterField(
            model_name="recommendation",
            name="text",
            field=models.TextField(validators=_text_validators(2000)),
        ),
        migrations.AddConstraint(
            model_name="inspectionevent",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("reason"), 2000
                ),
                name="event_reason_length",
                violation_error_message="A reason must be 2,000 characters or fewer",
            ),
        ),
        migrations.AddConstraint(
            model_name="recommendation",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("text"), 2000
                ),
                name="recommendation_text_length",
                violation_error_message="A recommendation must be 2,000 characters or fewer",
            ),
        ),
        migrations.RunPython(create_locks, drop_locks),
    ]
