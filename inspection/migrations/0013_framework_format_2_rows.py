"""Framework files, format 2: convert the rows made by the format-1 migrations (0002, 0005).

The framework loaded in format 1 is converted using the format-2 file of the same framework,
frozen beside this migration: conditions, item groups and provenance come from it, matched by
code. Copies of it and any other framework get a condition per applicability value and a group
per item kind, so nothing is lost. Then the locks 0012 dropped come back, with locks on the two
new tables.
"""

import importlib
import json
import secrets
from pathlib import Path

from django.db import migrations, models

from inspection import db_locks

FORMAT_2_FILE = Path(__file__).resolve().parent / "hmip-pdu-2021-format2.json"
OLD_LOCKS = importlib.import_module("inspection.migrations.0012_framework_format_2").OLD_LOCKS
NEW_LOCKS = [
    db_locks.frozen_lock("inspection_casecondition"),
    db_locks.frozen_lock("inspection_itemgroup"),
]
LOCKS = [*OLD_LOCKS, *NEW_LOCKS]
# Format 1's item kinds, which format 2 holds as item groups.
OLD_ITEM_KINDS = {"resettlement": "Resettlement", "case_level": "Case-level items"}


def create_locks(apps, schema_editor):
    db_locks.create(schema_editor, LOCKS)


def drop_locks(apps, schema_editor):
    db_locks.drop(schema_editor, LOCKS)


def _provenance(data: dict) -> dict:
    return {"source": data.get("source", ""), "provisional": data.get("provisional", False)}


def _file_questions(data: dict) -> dict:
    questions = {}
    for domain in data["domains"]:
        for standard in domain["standards"]:
            for question in standard["key_questions"]:
                questions[question["code"]] = question
                for prompt in question.get("prompts", []):
                    questions[prompt["code"]] = prompt
    for group in data["item_groups"]:
        for item in group["items"]:
            questions[item["code"]] = item
    return questions


def convert(apps, schema_editor):
    model = lambda name: apps.get_model("inspection", name)  # noqa: E731
    Question, Standard = model("Question"), model("Standard")
    data = json.loads(FORMAT_2_FILE.read_text(encoding="utf-8"))
    file_conditions = {c["code"]: c for c in data["conditions"]}
    file_questions = _file_questions(data)
    for framework in model("Framework").objects.all():
        from_file = framework.code == data["code"]
        questions = Question.objects.filter(framework=framework)
        standards = Standard.objects.filter(framework=framework)
        standards.update(scored=models.F("rated"))
        used = {*questions.values_list("applies_when", flat=True)}
        used |= {*standards.values_list("applies_when", flat=True)}
        for code in sorted(used - {"always"}):
            condition = file_conditions.get(code, {"description": code.replace("_", " ")})
            model("CaseCondition").objects.create(
                framework=framework,
                code=code,
                description=condition["description"],
                # Format 1's applicability values were the names of true/false case attributes.
                when=condition.get("when", {code: [True]}),
                not_applicable_reason=condition.get("not_applicable_reason", ""),
            )
        groups = data["item_groups"] if from_file else []
        for order, group in enumerate(groups):
            codes = [item["code"] for item in group["items"]]
            items = questions.filter(code__in=codes, kind__in=OLD_ITEM_KINDS)
            first = items.order_by("order").first()
            if first is None:
                continue
            row = model("ItemGroup").objects.create(
                framework=framework,
                code=group["code"],
                name=group["name"],
                report_title=group["report_title"],
                applies_when=first.applies_when,
                order=order,
            )
            items.update(kind="item", group=row)
        for order, (kind, name) in enumerate(OLD_ITEM_KINDS.items(), start=len(groups)):
            items = questions.filter(kind=kind)
            first = items.order_by("order").first()
            if first is None:
                continue
            row = model("ItemGroup").objects.create(
                framework=framework,
                code=kind,
                name=name,
                applies_when=first.applies_when,
                order=order,
            )
            items.update(kind="item", group=row)
        if from_file:
            framework.source = data["source"]
            for question in questions:
                found = file_questions.get(question.code)
                if found:
                    question.source, question.provisional = found["source"], found["provisional"]
                    question.save(update_fields=["source", "provisional"])
            file_standards = {s["code"]: s for d in data["domains"] for s in d["standards"]}
            for standard in standards:
                found = file_standards.get(standard.code)
                if found:
                    standard.source, standard.provisional = found["source"], found["provisional"]
                    standard.save(update_fields=["source", "provisional"])
            for kind, key in (("RatingBand", "rating_bands"), ("OverallBand", "overall_bands")):
                by_rating = {band["rating"]: band for band in data[key]}
                for band in model(kind).objects.filter(framework=framework):
                    if band.rating in by_rating:
                        for field, value in _provenance(by_rating[band.rating]).items():
                            setattr(band, field, value)
                        band.save(update_fields=["source", "provisional"])
            for rule in model("LimitingRule").objects.filter(framework=framework):
                rule.source = data["limiting_rules"][0]["source"]
                rule.save(update_fields=["source"])
        # Processes holding the old rows in their framework cache read them afresh.
        framework.revision = secrets.randbits(62)
        framework.save(update_fields=["source", "revision"])


class Migration(migrations.Migration):
    dependencies = [("inspection", "0012_framework_format_2")]

    operations = [
        migrations.RunPython(convert, migrations.RunPython.noop),
        migrations.RunPython(create_locks, drop_locks),
    ]
