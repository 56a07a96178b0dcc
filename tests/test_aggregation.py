"""Counts come from one GROUP BY: the query count does not grow with the number of cases."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.aggregation import answer_counts, counts_by_inspection
from cases.models import Answer
from cases.summary import summarise
from inspection.framework.spec import load_framework_spec
from inspection.models import Question
from tests.factories import CaseFactory, InspectionFactory, answer_everything


def build(n_cases: int):
    inspection = InspectionFactory()
    cases = CaseFactory.create_batch(n_cases, inspection=inspection)
    # Every third case says no to everything, the rest yes.
    answer_everything(cases, lambda case, q: "no" if cases.index(case) % 3 == 0 else "yes")
    return inspection


def queries_for(func) -> int:
    with CaptureQueriesContext(connection) as captured:
        func()
    return len(captured)


@pytest.mark.django_db
@pytest.mark.parametrize("n_cases", [5, 50])
def test_counts_are_one_query(n_cases):
    inspection = build(n_cases)
    conditions = load_framework_spec(inspection.framework).conditions
    assert queries_for(lambda: answer_counts(inspection.pk, conditions)) == 1
    # Without the framework's conditions at hand, one more query reads them.
    assert queries_for(lambda: answer_counts(inspection.pk)) == 2
    counts = answer_counts(inspection.pk)
    no_cases = len(range(0, n_cases, 3))
    assert counts["2.2.1"].relevant == n_cases
    assert counts["2.2.1"].yes == n_cases - no_cases
    court_cases = inspection.cases.filter(court_work=True).count()
    assert counts["2.1.1"].relevant == court_cases
    assert "R.a" not in counts  # no resettlement cases


@pytest.mark.django_db
def test_summary_query_count_is_the_same_for_5_and_50_cases():
    small, large = build(5), build(50)
    small_queries = queries_for(lambda: summarise(small.pk))
    large_queries = queries_for(lambda: summarise(large.pk))
    assert small_queries == large_queries <= 9


@pytest.mark.django_db
def test_many_inspections_in_one_query():
    inspections = [build(5), build(7)]
    with CaptureQueriesContext(connection) as captured:
        counts = counts_by_inspection([i.pk for i in inspections])
    assert len(captured) == 2  # the frameworks' conditions, then the GROUP BY
    assert counts[inspections[0].pk]["2.2.1"].relevant == 5
    assert counts[inspections[1].pk]["2.2.1"].relevant == 7


@pytest.mark.django_db
def test_answers_outside_applicability_and_na_are_not_relevant():
    inspection = InspectionFactory()
    case = CaseFactory(inspection=inspection, court_work=False)
    other = CaseFactory(inspection=inspection, court_work=True)
    answer_everything([case, other], lambda c, q: "na" if q.code == "2.2.1" else "yes")
    # A stray yes to court work on a case without court work (e.g. entered in admin) is ignored.
    Answer.objects.create(
        case=case,
        question=Question.objects.get(framework=inspection.framework, code="2.1.1"),
        value="yes",
    )
    counts = answer_counts(inspection.pk)
    assert "2.2.1" not in counts  # n/a everywhere: no relevant cases
    assert counts["2.1.1"].relevant == 1
    summary = summarise(inspection)
    assert summary.standard("2.2").key_questions[0].count.relevant == 0
    assert summary.standard("2.2").key_questions[0].percent is None
