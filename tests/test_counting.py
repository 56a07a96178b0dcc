"""Which answers count is defined once (cases.counting): Python and SQL must agree on it."""

import random

import pytest

from cases import counting
from cases.aggregation import counts_by_inspection
from cases.choices import RoshLevel, SentenceType
from cases.models import Answer
from inspection.framework.rating_engine import Count
from inspection.framework.spec import condition_from, load_framework_spec
from inspection.models import Framework
from tests.factories import CaseFactory, InspectionFactory

VALUES = ["yes", "no", "na", "", None]  # None: no answer row at all
CASE = {**dict.fromkeys(counting.CASE_ATTRIBUTES), "court_work": False, "resettlement": False}


@pytest.mark.parametrize(
    ("when", "case", "expected"),
    [
        ({}, {}, True),
        ({"court_work": [True]}, {"resettlement": True}, False),
        ({"court_work": [True]}, {"court_work": True}, True),
        (
            {"sentence_type": ["licence", "post_sentence_supervision"]},
            {"sentence_type": "licence"},
            True,
        ),
        ({"sentence_type": ["licence"]}, {"sentence_type": "community_order"}, False),
        # Every attribute of a condition must match.
        (
            {"sentence_type": ["licence"], "rosh": ["high"]},
            {"sentence_type": "licence", "rosh": "low"},
            False,
        ),
        (
            {"sentence_type": ["licence"], "rosh": ["high"]},
            {"sentence_type": "licence", "rosh": "high"},
            True,
        ),
    ],
)
def test_applies(when, case, expected):
    assert counting.applies(condition_from(when), CASE | case) is expected


def test_a_condition_on_an_attribute_a_case_lacks_is_an_error_not_a_guess():
    with pytest.raises(KeyError):
        counting.applies(condition_from({"custody": [True]}), CASE)


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["hmip-pdu-2021", "hmip-public-protection-2025"])
def test_python_predicate_and_sql_group_by_agree_on_every_question(code):
    """Random but seeded answers, blanks, 'na' and even answers to questions that do not apply
    (bad data the SQL must leave out as the predicate does), on cases with every attribute mix,
    for a framework with true/false conditions and one with sentence-type conditions."""
    rng = random.Random(20240304)
    framework = Framework.objects.newest(code)
    spec = load_framework_spec(framework)
    assert spec.conditions
    inspections = [InspectionFactory(framework=framework) for _ in range(3)]
    expected: dict[int, dict[str, list[int]]] = {i.pk: {} for i in inspections}
    answers, left_out_by_condition = [], 0
    for inspection in inspections:
        for _ in range(9):
            case = CaseFactory(
                inspection=inspection,
                court_work=rng.random() < 0.5,
                resettlement=rng.random() < 0.4,
                sentence_type=rng.choice(SentenceType.values),
                rosh=rng.choice(RoshLevel.values),
            )
            for question in spec.questions:
                value = rng.choice(VALUES)
                if value is None:
                    continue
                answers.append(Answer(case=case, question_id=question.id, value=value))
                if counting.is_relevant(value, question.when, counting.attributes_of(case)):
                    tally = expected[inspection.pk].setdefault(question.code, [0, 0])
                    tally[0] += value == "yes"
                    tally[1] += 1
                elif value in counting.RELEVANT_VALUES:
                    left_out_by_condition += 1
    Answer.objects.bulk_create(answers)

    for found in (
        counts_by_inspection([i.pk for i in inspections]),
        counts_by_inspection([i.pk for i in inspections], spec.conditions),
    ):
        for inspection in inspections:
            for question in spec.questions:
                want = expected[inspection.pk].get(question.code)
                assert found[inspection.pk].get(question.code) == (want and Count(*want)), (
                    inspection.pk,
                    question.code,
                )
    # The data did exercise the rule: yes / no answers the conditions leave out, and most
    # questions.
    assert left_out_by_condition > 20
    assert all(len(codes) > len(spec.questions) * 0.8 for codes in expected.values())
