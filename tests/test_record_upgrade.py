"""A record stored before the results model changed shape reads, renders and verifies as new.

Records are never rewritten, so one stored before framework files format 2 (inspection migrations
0012-0013) still holds questions of the kinds "resettlement" and "case_level", no item groups'
conditions and none of the fields added since. Built here from today's record by undoing the
change, as the database cannot be made to hold an old record any other way.
"""

import copy
import io

import pytest
from openpyxl import load_workbook

from inspection.framework.spec import load_framework_spec
from reports import plain_data
from reports.exports.workbook import build_workbook
from reports.publication import latest_record, stored_report
from reports.record_upgrade import upgraded

OLD_KINDS = {"R": "resettlement", "C": "case_level"}
QUESTION_FIELDS_ADDED = ("when", "group_code", "equivalents", "pooled_from")


def as_before_format_2(results: dict) -> dict:
    old = copy.deepcopy(results)

    def walk(value):
        if isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
            if value.get("kind") == "item":
                value["kind"] = OLD_KINDS[value["group_code"]]
                for field in QUESTION_FIELDS_ADDED:
                    value.pop(field, None)

    walk(old)
    for group in old["item_groups"]:
        group.pop("applies_to")
        group["slug"] = {"Resettlement": "resettlement"}.get(group["title"], "case-level")
    return old


@pytest.mark.django_db
def test_an_old_record_reads_as_today_and_verifies(published):
    record = latest_record(published.pk)
    old = as_before_format_2(record.results)
    assert "resettlement" in str(old) and "applies_to" not in str(old["item_groups"])

    report = stored_report(published, old)
    assert plain_data.dump(report) == plain_data.dump(stored_report(published, record.results))
    resettlement = next(g for g in report.item_groups if g.title == "Resettlement")
    assert resettlement.applies_to == "Cases released from custody"
    assert {f.question.kind for f in resettlement.figures} == {"item"}
    # The old record itself is left as it was.
    assert "resettlement" in str(old)


@pytest.mark.django_db
def test_an_old_record_renders_its_workbook(published):
    old = as_before_format_2(latest_record(published.pk).results)
    book = load_workbook(io.BytesIO(build_workbook(published, stored_report(published, old))))
    prompts = book["Prompts"]
    kinds = {row[2] for row in prompts.iter_rows(min_row=2, values_only=True)}
    assert "item" in kinds and "resettlement" not in kinds


@pytest.mark.django_db
def test_upgrading_a_current_record_changes_nothing(published):
    results = latest_record(published.pk).results
    assert upgraded(results, load_framework_spec(published.framework)) == results
