"""Framework wordings kept in text columns get the limits a framework file is checked against
(inspection/input_rules.py), so an edit in admin is refused as a file would be. Validators only:
nothing changes in the database (so no table is copied on SQLite, and the freeze triggers stay).
"""

import django.core.validators
from django.db import migrations, models

import inspection.input_rules


class Migration(migrations.Migration):
    dependencies = [
        ("inspection", "0023_reopening_leaves_its_trace"),
    ]

    operations = [
        migrations.AlterField(
            model_name="casecondition",
            name="not_applicable_reason",
            field=models.TextField(
                blank=True,
                validators=[
                    django.core.validators.MaxLengthValidator(
                        500,
                        message="Must be %(limit_value)s characters or fewer (it has %(show_value)s)",
                    ),
                    inspection.input_rules.NoControlCharacters(),
                ],
            ),
        ),
        migrations.AlterField(
            model_name="limitingrule",
            name="description",
            field=models.TextField(
                validators=[
                    django.core.validators.MaxLengthValidator(
                        500,
                        message="Must be %(limit_value)s characters or fewer (it has %(show_value)s)",
                    ),
                    inspection.input_rules.NoControlCharacters(),
                ]
            ),
        ),
        migrations.AlterField(
            model_name="question",
            name="text",
            field=models.TextField(
                validators=[
                    django.core.validators.MaxLengthValidator(
                        1000,
                        message="Must be %(limit_value)s characters or fewer (it has %(show_value)s)",
                    ),
                    inspection.input_rules.NoControlCharacters(),
                ]
            ),
        ),
        migrations.AlterField(
            model_name="standard",
            name="headline",
            field=models.TextField(
                blank=True,
                validators=[
                    django.core.validators.MaxLengthValidator(
                        1000,
                        message="Must be %(limit_value)s characters or fewer (it has %(show_value)s)",
                    ),
                    inspection.input_rules.NoControlCharacters(),
                ],
            ),
        ),
    ]
