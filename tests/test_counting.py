"""Which answers count is defined once (cases.counting): Python and SQL must agree on it."""

import random

import pytest

from cases import counting
from cases.aggregation import counts_by_inspection
from cases.models import Answer
from inspection.choices import AppliesWhen
from inspection.framework.rating_engine import Count
from inspection.models import Question
from tests.factories import CaseFactory, InspectionFactory

VALUES = ["yes", "no", "na", "", None]  # None: no answer row at all


def test_every_kind_of_question_has_its_rule():
    assert set(counting.CASE_FLAG_NEEDED) == set(AppliesWhen.values)
    assert {f for f in counting.CASE_FLAG_NEEDED.values() if f} == set(counting.CASE_FLAGS)


@pytest.mark.parametrize(
    ("applies_when", "court_work", "resettlement", "expected"),
    [
        ("always", False, False, True),
        ("court_work", False, True, False),
        ("court_work", True, False, True),
        ("resettlement", True, False, False),
        ("resettlement", False, True, True),
    ],
)
def test_applies(applies_when, court_work, resettlement, expected):
    assert counting.applies(applies_when, court_work=court_work, resettlement=resettlement) is (
        expected
    )


@pytest.mark.django_db
def test_python_predicate_and_sql_group_by_agree_on_every_question():
    """Random but seeded answers, blanks, 'na' and even answers to questions that do not apply
    (bad data the SQL must leave out as the predicate does), on cases with every flag mix."""
    rng = random.Random(20240304)
    questions = list(Question.objects.filter(framework__code="hmip-pdu-2021"))
    inspections = [InspectionFactory() for _ in range(3)]
    expected: dict[int, dict[str, list[int]]] = {i.pk: {} for i in inspections}
    answers, left_out_by_flags = [], 0
    for inspection in inspections:
        for _ in range(9):
            case = CaseFactory(
                inspection=inspection,
                court_work=rng.random() < 0.5,
                resettlement=rng.random() < 0.4,
            )
            for question in questions:
                value = rng.choice(VALUES)
                if value is None:
                    continue
                answers.append(Answer(case=case, question=question, value=value))
                if counting.is_relevant(
                    value,
                    question.applies_when,
                    court_work=case.court_work,
                    resettlement=case.resettlement,
                ):
                    tally = expected[inspection.pk].setdefault(question.code, [0, 0])
                    tally[0] += value == "yes"
                    tally[1] += 1
                elif value in counting.RELEVANT_VALUES:
                    left_out_by_flags += 1
    Answer.objects.bulk_create(answers)

    found = counts_by_inspection([i.pk for i in inspections])
    for inspection in inspections:
        for question in questions:
            want = expected[inspection.pk].get(question.code)
            assert found[inspection.pk].get(question.code) == (want and Count(*want)), (
                inspection.pk,
                question.code,
            )
    # The data did exercise the rule: yes / no answers the flags leave out, and most questions.
    assert left_out_by_flags > 50
    assert all(len(codes) > 60 for codes in expected.values())
