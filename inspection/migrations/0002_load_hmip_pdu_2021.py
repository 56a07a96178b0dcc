"""Load the shipped framework, hmip-pdu-2021, from inspection/frameworks/hmip-pdu-2021.json."""

from django.db import migrations

from inspection.migrations._format1 import load_framework, read_framework_file

CODE = "hmip-pdu-2021"


def load(apps, schema_editor):
    Framework = apps.get_model("inspection", "Framework")
    if Framework.objects.filter(code=CODE).exists():
        return
    load_framework(read_framework_file(CODE), lambda name: apps.get_model("inspection", name))


def unload(apps, schema_editor):
    apps.get_model("inspection", "Framework").objects.filter(code=CODE).delete()


class Migration(migrations.Migration):
    dependencies = [("inspection", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
