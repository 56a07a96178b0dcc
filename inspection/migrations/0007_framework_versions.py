"""A framework is kept as versions: (code, version) is unique, no longer the code alone."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("inspection", "0006_framework_revision"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="framework",
            options={"ordering": ["code", "version"]},
        ),
        migrations.AlterField(
            model_name="framework",
            name="code",
            field=models.SlugField(),
        ),
        migrations.AddConstraint(
            model_name="framework",
            constraint=models.UniqueConstraint(
                fields=("code", "version"), name="unique_framework_version"
            ),
        ),
    ]
