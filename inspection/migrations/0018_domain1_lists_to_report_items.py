"""Domain-1 strengths and areas for improvement become report items: each inspection's lists move,
in order, into its standard's first unheaded sub-section (made when there is none), strengths to
the list "strengths" and areas to "areas". Migration 0019 then removes the old fields.

Published inspections' report rows are locked by triggers (0017), so the locks on the two tables
written are dropped first and created again after; the rows' contents are the published words
already, so this changes no published report. Rows only here, no schema change (PostgreSQL).
"""

import importlib

from django.db import migrations
from django.db.models import F

from inspection import db_locks

LOCKS = db_locks.naming(
    importlib.import_module("inspection.migrations.0017_report_text").LOCKS,
    ["inspection_reportsubsection", "inspection_reportitem"],
)
JUDGEMENT_LOCKS = db_locks.naming(
    importlib.import_module("inspection.migrations.0009_database_locks").LOCKS,
    ["inspection_domain1judgement"],
)
LISTS = (("strengths", "strengths"), ("areas_for_improvement", "areas"))


def _first_unheaded(apps, judgement):
    Subsection = apps.get_model("inspection", "ReportSubsection")
    found = (
        Subsection.objects.filter(
            inspection_id=judgement.inspection_id,
            part="standard",
            standard_id=judgement.standard_id,
            heading="",
        )
        .order_by("order", "pk")
        .first()
    )
    return found


def forwards(apps, schema_editor):
    Judgement = apps.get_model("inspection", "Domain1Judgement")
    Subsection = apps.get_model("inspection", "ReportSubsection")
    Item = apps.get_model("inspection", "ReportItem")
    db_locks.drop(schema_editor, LOCKS)
    for judgement in Judgement.objects.order_by("pk"):
        if not (judgement.strengths or judgement.areas_for_improvement):
            continue
        subsection = _first_unheaded(apps, judgement)
        if subsection is None:
            # First in its standard: the standard's own text comes before headed sub-sections.
            Subsection.objects.filter(
                inspection_id=judgement.inspection_id, standard_id=judgement.standard_id
            ).update(order=F("order") + 1)
            subsection = Subsection.objects.create(
                inspection_id=judgement.inspection_id,
                part="standard",
                standard_id=judgement.standard_id,
                heading="",
                order=0,
            )
        for field, name in LISTS:
            start = Item.objects.filter(subsection=subsection, list=name).count()
            Item.objects.bulk_create(
                Item(subsection=subsection, list=name, kind="text", text=text, order=start + n)
                for n, text in enumerate(getattr(judgement, field), start=1)
            )
    db_locks.create(schema_editor, LOCKS)


def backwards(apps, schema_editor):
    """The first unheaded sub-section's bullets back into the judgement's lists (quotes and
    other sub-sections stay where they are)."""
    Judgement = apps.get_model("inspection", "Domain1Judgement")
    Item = apps.get_model("inspection", "ReportItem")
    db_locks.drop(schema_editor, JUDGEMENT_LOCKS)
    for judgement in Judgement.objects.order_by("pk"):
        subsection = _first_unheaded(apps, judgement)
        if subsection is None:
            continue
        for field, name in LISTS:
            texts = Item.objects.filter(subsection=subsection, list=name, kind="text")
            setattr(
                judgement, field, list(texts.order_by("order", "pk").values_list("text", flat=True))
            )
        judgement.save(update_fields=[field for field, _ in LISTS])
    db_locks.create(schema_editor, JUDGEMENT_LOCKS)


class Migration(migrations.Migration):
    dependencies = [("inspection", "0017_report_text")]

    operations = [migrations.RunPython(forwards, backwards)]
