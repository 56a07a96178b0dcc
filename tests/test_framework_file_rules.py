"""Rules a framework file or an admin edit must keep, found in review: a key question's
condition only narrows its standard's, a pooling framework names what it pools, item groups have
distinct titles (the report's links), a new version keeps its framework's scope, and admin edits
name conditions and rows of their own framework."""

import copy

import pytest
from django.core.exceptions import ValidationError

from inspection.framework import file_checks
from inspection.framework.loader import check, read_framework_file
from inspection.models import Framework, ItemGroup, Question, Standard


@pytest.fixture(scope="module")
def pdu_file():
    return read_framework_file("hmip-pdu-2023")


@pytest.fixture
def pdu(pdu_file):
    return copy.deepcopy(pdu_file)


def test_the_shipped_files_keep_the_rules():
    for code in (
        "hmip-pdu-2021",
        "hmip-pdu-2023",
        "hmip-region-2023",
        "hmip-public-protection-2025",
    ):
        assert file_checks.problems(read_framework_file(code)) == [], code


def test_a_key_question_may_narrow_its_standards_condition_but_not_widen_it(pdu):
    pdu["conditions"].append(
        {
            "code": "licences",
            "description": "Licence cases",
            "when": {"sentence_type": ["licence"]},
            "not_applicable_reason": "",
        }
    )
    pdu["conditions"].append(
        {
            "code": "licences_high",
            "description": "High RoSH licence cases",
            "when": {"sentence_type": ["licence"], "rosh": ["high"]},
            "not_applicable_reason": "",
        }
    )
    standard = pdu["domains"][1]["standards"][0]
    standard["applies_when"] = "licences"
    for question in standard["key_questions"]:
        question["applies_when"] = "licences"
    standard["key_questions"][1]["applies_when"] = "licences_high"
    assert file_checks.problems(pdu) == []

    standard["key_questions"][2]["applies_when"] = "always"
    standard["key_questions"][0]["applies_when"] = "court_work"
    assert file_checks.problems(pdu) == [
        "domains[1].standards[0].key_questions[0]: applies_when 'court_work' asks of cases its "
        "standard's 'licences' leaves out: a key question's condition may only narrow its "
        "standard's (list the standard's attributes and values in it too)",
        "domains[1].standards[0].key_questions[2]: applies_when 'always' asks of cases its "
        "standard's 'licences' leaves out: a key question's condition may only narrow its "
        "standard's (list the standard's attributes and values in it too)",
    ]


def test_a_pooling_framework_names_the_framework_it_pools():
    region = read_framework_file("hmip-region-2023")
    assert region["pools_from"] == "hmip-pdu-2023"
    del region["pools_from"]
    assert file_checks.problems(region) == [
        "pools_from: a framework with a pooled domain must name the framework code of the PDU "
        "inspections it pools (e.g. hmip-pdu-2023)"
    ]


def test_only_a_pooling_framework_names_one(pdu):
    pdu["pools_from"] = "hmip-pdu-2021"
    assert file_checks.problems(pdu) == ["pools_from: is only for a framework with a pooled domain"]


def test_item_groups_need_distinct_titles_for_the_reports_links(pdu):
    pdu["item_groups"][1]["report_title"] = pdu["item_groups"][0]["report_title"]
    pdu["item_groups"][2]["report_title"] = "!!!"
    problems = file_checks.problems(pdu)
    assert "item_groups[2]: its title needs a letter or digit, for the report's link to it" in (
        problems
    )
    assert any("title (as the report's link)" in p and "given 2 times" in p for p in problems)


@pytest.mark.django_db
def test_a_new_version_keeps_its_frameworks_scope(pdu):
    pdu["version"] = 2
    assert check(pdu) == []
    pdu["scope"] = "region"
    problems = check(pdu)
    assert problems == [
        "scope: hmip-pdu-2023 is loaded with another scope; a new version keeps its framework's "
        "scope (pdu), or needs a new code"
    ]


@pytest.mark.django_db
def test_admin_edits_name_conditions_and_rows_of_their_own_framework():
    framework = Framework.objects.newest("hmip-pdu-2023")
    other = Framework.objects.newest("hmip-pdu-2021")
    standard = Standard.objects.filter(framework=framework, questions__isnull=False).first()
    standard.applies_when = "youth_justice"
    with pytest.raises(ValidationError, match="'youth_justice' is not 'always' or a condition"):
        standard.full_clean()
    standard.applies_when = "court_work"  # a condition of this framework
    standard.full_clean()

    question = Question.objects.filter(framework=framework, group__isnull=False).first()
    question.group = ItemGroup.objects.filter(framework=other).first()
    with pytest.raises(ValidationError, match="same framework version"):
        question.full_clean()
