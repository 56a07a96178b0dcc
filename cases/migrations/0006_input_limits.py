"""The limits of inspection/input_rules.py on the cases app's models: validators (admin,
full_clean) and a CHECK on evidence notes, QA comments and dip-sample shares.

These tables carry lock triggers (migration 0004), and SQLite copies a table to add a constraint,
dropping its triggers and failing on others that name it (cases_qaquestionreview's names
cases_qareview, cases_dipsample_cases's names cases_dipsample): the locks involved are dropped
first and created again after, on both databases, so both end as 0004 left them.
"""

import importlib

import django.core.validators
import django.db.models.functions.text
import django.db.models.lookups
from django.db import migrations, models

import inspection.input_rules
from inspection import db_locks

LENGTH_LIMITS = [  # (model, column, limit)
    ("Answer", "note", 5000),
    ("QAReview", "comment", 2000),
    ("QAQuestionReview", "comment", 2000),
]
TABLES = ["cases_answer", "cases_qareview", "cases_qaquestionreview", "cases_dipsample"]
LOCKS = db_locks.naming(
    importlib.import_module("cases.migrations.0004_database_locks").LOCKS, TABLES
)
TOO_LONG = "Must be %(limit_value)s characters or fewer (it has %(show_value)s)"


def check_existing(apps, schema_editor):
    """Name the rows out of bounds, rather than let the CHECK fail without saying which."""
    problems = []
    for model_name, column, limit in LENGTH_LIMITS:
        model = apps.get_model("cases", model_name)
        rows = model.objects.annotate(length=django.db.models.functions.text.Length(column)).filter(
            length__gt=limit
        )
        problems += [
            f"{model_name} {pk}: its {column} has {length} characters, the limit is {limit}"
            for pk, length in rows.values_list("pk", "length")
        ]
    DipSample = apps.get_model("cases", "DipSample")
    problems += [
        f"DipSample {pk}: its share is {share}%, outside 1 to 100"
        for pk, share in DipSample.objects.exclude(
            share_percent__gte=1, share_percent__lte=100
        ).values_list("pk", "share_percent")
    ]
    if problems:
        raise RuntimeError("Correct these, then migrate again:\n" + "\n".join(problems))


def drop_locks(apps, schema_editor):
    db_locks.drop(schema_editor, LOCKS)


def create_locks(apps, schema_editor):
    db_locks.create(schema_editor, LOCKS)


def _length_limit(column: str, limit: int, name: str, message: str):
    return models.CheckConstraint(
        condition=django.db.models.lookups.LessThanOrEqual(
            django.db.models.functions.text.Length(column), limit
        ),
        name=name,
        violation_error_message=message,
    )


def _text_validators(limit: int) -> list:
    return [
        django.core.validators.MaxLengthValidator(limit, message=TOO_LONG),
        inspection.input_rules.NoControlCharacters(),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_history_to_audit_trail"),
        ("inspection", "0011_input_limits"),
    ]

    operations = [
        migrations.RunPython(check_existing, migrations.RunPython.noop),
        # Reversed, these run in the other order: create after the constraints are removed.
        migrations.RunPython(drop_locks, create_locks),
        migrations.AlterField(
            model_name="answer",
            name="note",
            field=models.TextField(
                blank=True, validators=_text_validators(5000), verbose_name="evidence note"
            ),
        ),
        migrations.AlterField(
            model_name="dipsample",
            name="share_percent",
            field=models.PositiveSmallIntegerField(
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(100),
                ]
            ),
        ),
        migrations.AlterField(
            model_name="qaquestionreview",
            name="comment",
            field=models.TextField(blank=True, validators=_text_validators(2000)),
        ),
        migrations.AlterField(
            model_name="qareview",
            name="comment",
            field=models.TextField(blank=True, validators=_text_validators(2000)),
        ),
        migrations.AddConstraint(
            model_name="answer",
            constraint=_length_limit(
                "note",
                5000,
                "answer_note_length",
                "An evidence note must be 5,000 characters or fewer",
            ),
        ),
        migrations.AddConstraint(
            model_name="dipsample",
            constraint=models.CheckConstraint(
                condition=models.Q(("share_percent__gte", 1), ("share_percent__lte", 100)),
                name="dip_sample_share_percent",
                violation_error_message="A share is between 1 and 100 percent",
            ),
        ),
        migrations.AddConstraint(
            model_name="qaquestionreview",
            constraint=_length_limit(
                "comment",
                2000,
                "qa_question_comment_length",
                "A comment must be 2,000 characters or fewer",
            ),
        ),
        migrations.AddConstraint(
            model_name="qareview",
            constraint=_length_limit(
                "comment",
                2000,
                "qa_review_comment_length",
                "A comment must be 2,000 characters or fewer",
            ),
        ),
        migrations.RunPython(create_locks, drop_locks),
    ]
