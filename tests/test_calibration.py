"""Calibration across inspections (cases/calibration.py): each inspector's answers beside the
answers agreed at reconciliation, inspection by inspection in fieldwork order, and each key
question's agreement by inspection; the page is for those who lead."""

import datetime
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.calibration import calibration
from cases.double_marking import draw_reliability_sample, reconcile
from cases.models import ReliabilitySample, SecondAnswer, SecondMarking
from inspection.models import Inspection
from tests.double_marking_helpers import second_mark, seconds_of, team_of_three
from tests.factories import CaseFactory, InspectionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reconciled(reference_inspection, lead):
    """The reference inspection's reliability sample (seed 7, 5 cases), every second marking
    done; the first case's markers differ on its first key question, reconciled to the second
    marker's answer; the second case's agree, reconciled too; the other three not reconciled."""
    team_of_three(reference_inspection)
    draw_reliability_sample(reference_inspection, 20, lead, seed=7)
    markings = list(SecondMarking.objects.select_related("case", "marker").order_by("case__ref"))
    differing = next(iter(second_mark(markings[0], differ_on_first=True)))
    for marking in markings[1:]:
        second_mark(marking)
    first, second = (SecondMarking.objects.get(pk=m.pk) for m in markings[:2])
    reconcile(first, {differing: seconds_of(first)[differing]}, lead)
    reconcile(second, {}, lead)
    return first, second


def test_inspectors_are_compared_with_the_agreed_answers(reference_inspection, reconciled):
    """Every marking both have done: where the markers agreed, that answer; where they differed
    (the first case, one key question), the one agreed at reconciliation."""
    first, _ = reconciled
    expected = Counter()
    agreeing = Counter()
    for marking in SecondMarking.objects.select_related("marker", "first_marker"):
        flipped = 1 if marking.pk == first.pk else 0
        n = marking.answers.count()
        expected[marking.first_marker.get_full_name()] += n
        agreeing[marking.first_marker.get_full_name()] += n - flipped  # the agreed is the second's
        expected[marking.marker.get_full_name()] += n
        agreeing[marking.marker.get_full_name()] += n

    inspectors, questions = calibration(Inspection.objects.filter(pk=reference_inspection.pk))

    assert {name: rows[0].judgements for name, rows in inspectors.items()} == dict(expected)
    assert {name: rows[0].agreeing for name, rows in inspectors.items()} == dict(agreeing)
    assert all(len(rows) == 1 for rows in inspectors.values())
    # Questions: every marking both markers have done (all five), one pair per case answered.
    pairs = Counter(SecondAnswer.objects.exclude(value="").values_list("question__code", flat=True))
    framework = reference_inspection.framework.code
    assert {code: rows[0].pairs for (_, code), rows in questions.items()} == dict(pairs)
    assert {fw for fw, _ in questions} == {framework}


def test_questions_and_inspectors_read_in_fieldwork_order(reference_inspection, reconciled):
    """An earlier inspection's double marking comes first in every list it is in."""
    first, _ = reconciled
    earlier = InspectionFactory(fieldwork_start=datetime.date(2022, 1, 10))
    a_marker = first.first_marker
    other = UserFactory(username="olga", first_name="", last_name="")
    sample = ReliabilitySample.objects.create(inspection=earlier, share_percent=20, seed=3)
    question = first.answers.select_related("question").first().question
    now = timezone.now()
    for i in range(3):
        marking = SecondMarking.objects.create(
            sample=sample,
            case=CaseFactory(inspection=earlier),
            marker=other,
            first_marker=a_marker,
            submitted_at=now,
            unblinded_at=now,
            reconciled_at=now,
        )
        # The first marker said yes each time; the agreed answer was no the first time.
        SecondAnswer.objects.create(
            marking=marking,
            question=question,
            value="no" if i == 0 else "yes",
            first_value="yes",
            agreed_value="no" if i == 0 else "yes",
        )

    inspectors, questions = calibration(
        Inspection.objects.filter(pk__in=[earlier.pk, reference_inspection.pk])
    )

    early = inspectors[a_marker.get_full_name()][0]
    assert (early.inspection_id, early.judgements, early.agreeing) == (earlier.pk, 3, 2)
    assert early.share == pytest.approx(2 / 3)
    assert inspectors[a_marker.get_full_name()][1].inspection_id == reference_inspection.pk
    assert [row.inspection_id for row in inspectors["olga"]] == [earlier.pk]
    rows = questions[(reference_inspection.framework.code, question.code)]
    assert [row.inspection_id for row in rows] == [earlier.pk, reference_inspection.pk]
    assert rows[0].pairs == 3


def test_the_calibration_page_is_the_lead_s(client, reference_inspection, lead, reconciled):
    first, _ = reconciled
    client.force_login(lead)
    html = client.get(reverse("cases:calibration")).content.decode()
    assert "Calibration across inspections" in html
    assert f'rowspan="1">{first.first_marker.get_full_name()}</th>' in html
    assert str(reference_inspection) in html
    client.force_login(first.marker)  # an inspector who leads nothing
    assert client.get(reverse("cases:calibration")).status_code == 404


def test_a_difference_not_yet_reconciled_is_left_out_and_namesakes_kept_apart(db):
    inspection = InspectionFactory()
    one = UserFactory(username="sam1", first_name="Sam", last_name="Smith")
    two = UserFactory(username="sam2", first_name="Sam", last_name="Smith")
    sample = ReliabilitySample.objects.create(inspection=inspection, share_percent=20, seed=1)
    questions = list(
        inspection.framework.questions.filter(kind="key_question").order_by("order")[:2]
    )
    marking = SecondMarking.objects.create(
        sample=sample,
        case=CaseFactory(inspection=inspection),
        marker=two,
        first_marker=one,
        submitted_at=timezone.now(),
        unblinded_at=timezone.now(),
    )
    # Agreed on the first question; differ on the second, not reconciled yet.
    for question, (first, second) in zip(questions, [("yes", "yes"), ("yes", "no")], strict=True):
        SecondAnswer.objects.create(
            marking=marking, question=question, value=second, first_value=first
        )

    inspectors, questions_found = calibration(Inspection.objects.filter(pk=inspection.pk))

    assert {name: (r[0].judgements, r[0].agreeing) for name, r in inspectors.items()} == {
        "Sam Smith (sam1)": (1, 1),
        "Sam Smith (sam2)": (1, 1),
    }
    assert sum(rows[0].pairs for rows in questions_found.values()) == 2  # both pairs count here
