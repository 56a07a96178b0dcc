"""The framework ships as data and is loaded by a migration; nothing about it is hard-coded."""

from decimal import Decimal

import pytest

from inspection.choices import QuestionKind
from inspection.framework.loader import read_framework_file
from inspection.framework.spec import load_framework_spec
from inspection.models import Question, Standard


def test_migration_loads_every_standard_and_question(framework):
    assert framework.standards.count() == 10
    kinds = {
        kind: Question.objects.filter(framework=framework, kind=kind).count()
        for kind in QuestionKind.values
    }
    assert kinds == {"key_question": 14, "prompt": 55, "item": 10}
    assert {g.code: g.items.count() for g in framework.item_groups.all()} == {"R": 6, "C": 4}
    questions = Question.objects.filter(framework=framework)
    assert questions.get(code="2.2.3.d").parent.code == "2.2.3"
    assert questions.get(code="2.1.1.c").applies_when == "court_work"
    assert questions.get(code="R.a").applies_when == "resettlement"
    assert framework.conditions.get(code="court_work").when == {"court_work": [True]}


def test_database_matches_the_data_file(framework):
    data = read_framework_file("hmip-pdu-2021")
    file_codes = {
        kq["code"]
        for domain in data["domains"]
        for standard in domain["standards"]
        for kq in standard["key_questions"]
    }
    questions = Question.objects.filter(framework=framework)
    assert set(questions.filter(kind="key_question").values_list("code", flat=True)) == file_codes
    wording = questions.get(code="2.2.3").text
    assert wording == "Does assessment focus sufficiently on keeping other people safe?"


def test_bands_come_from_the_database(framework):
    spec = load_framework_spec(framework)
    assert {b.rating: b.min_percent for b in spec.bands} == {
        "outstanding": Decimal(80),
        "good": Decimal(65),
        "requires_improvement": Decimal(50),
        "inadequate": Decimal(0),
    }
    assert spec.rated_standard_codes == [
        "1.1",
        "1.2",
        "1.3",
        "1.4",
        "2.1",
        "2.2",
        "2.3",
        "2.4",
        "2.5",
    ]
    assert spec.max_score == 27
    assert len(spec.limiting_rules) == 1


def test_editing_a_band_changes_the_rating(framework, reference_inspection):
    """Admins edit bands in the database; the next summary uses them.

    Only while every inspection using the framework is in planning: past that the version is
    frozen (tests/test_frozen_framework.py).
    """
    from cases.summary import summarise

    type(reference_inspection).objects.filter(pk=reference_inspection.pk).update(status="planning")
    assert summarise(reference_inspection).standard("2.3").rating == "good"
    band = framework.rating_bands.get(rating="good")
    band.min_percent = Decimal(70)
    band.save()  # as Django admin does: the framework's revision moves on, so no stale cache
    reference_inspection.refresh_from_db()
    assert summarise(reference_inspection).standard("2.3").rating == "requires_improvement"


def test_outcomes_is_unrated(framework):
    assert Standard.objects.get(code="2.6").rated is False


@pytest.mark.django_db
def test_framework_spec_is_cached_until_the_framework_changes(framework, django_assert_num_queries):
    framework.refresh_from_db()
    first = load_framework_spec(framework)
    with django_assert_num_queries(0):
        assert load_framework_spec(framework) is first
    question = Question.objects.get(code="2.2.3", framework=framework)
    question.text = "Does assessment focus on keeping other people safe? (edited)"
    question.save()
    framework.refresh_from_db()
    edited = load_framework_spec(framework)
    assert edited is not first
    assert next(q for q in edited.questions if q.code == "2.2.3").text.endswith("(edited)")
