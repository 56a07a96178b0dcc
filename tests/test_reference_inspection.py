"""The shipped reference inspection reproduces every published number through inspection_summary."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from cases.choices import CaseStatus
from cases.models import Case
from inspection.models import ReportItem
from tests import reference_numbers as ref


@pytest.fixture
def summary(reference_inspection) -> dict:
    out = StringIO()
    call_command("inspection_summary", reference_inspection.pk, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_header(summary, reference_inspection):
    assert summary["inspection"] == {
        "id": reference_inspection.pk,
        "pdu": "Blackburn with Darwen",
        "region": "North West",
        "framework": "hmip-pdu-2021",
        "fieldwork_start": "2023-03-27",
        "status": "fieldwork",
    }


def test_score_and_overall_rating(summary):
    assert summary["score"] == ref.SCORE == 10
    assert summary["max_score"] == ref.MAX_SCORE == 27
    assert summary["overall_rating"] == ref.OVERALL
    assert summary["limiting_rule_breaches"] == []


def test_every_standard_rating(summary):
    assert list(summary["standards"]) == list(ref.RATINGS)
    assert {code: s["rating"] for code, s in summary["standards"].items()} == ref.RATINGS
    assert summary["standards"]["2.6"]["rated"] is False
    for code in ("1.1", "1.2", "1.3", "1.4"):
        assert summary["standards"][code]["key_questions"] == {}


def test_every_key_question_count(summary):
    found = {
        code: (kq["yes"], kq["relevant"], kq["percent"])
        for standard in summary["standards"].values()
        for code, kq in standard["key_questions"].items()
    }
    assert found == ref.KEY_QUESTIONS


def test_every_listed_prompt_count(summary):
    prompts = summary["prompts"]
    for code, (yes, relevant) in ref.PROMPTS.items():
        assert (prompts[code]["yes"], prompts[code]["relevant"]) == (yes, relevant), code
    for code, percent in ref.PROMPT_PERCENTS.items():
        assert prompts[code]["percent"] == percent
    # 38% of relevant cases failed on victim concerns (2.2.3.c).
    assert round(100 * (16 - 10) / 16) == 38
    assert len(prompts) == 55 + 6 + 4


def test_cases_are_complete_and_inside_the_windows(reference_inspection):
    cases = Case.objects.filter(inspection=reference_inspection)
    assert cases.count() == 21
    assert set(cases.values_list("status", flat=True)) == {CaseStatus.COMPLETE}
    assert all(reference_inspection.date_in_sample(c.start_date) for c in cases)
    assert cases.filter(court_work=True).count() == 9
    assert cases.filter(resettlement=True).count() == 8


def test_domain1_and_recommendations(reference_inspection):
    judgements = {j.standard.code: j for j in reference_inspection.domain1_judgements.all()}
    assert set(judgements) == {"1.1", "1.2", "1.3", "1.4"}
    # Their strengths and areas for improvement are the written report's, per standard.
    written = ReportItem.objects.filter(
        subsection__inspection=reference_inspection, subsection__standard__code__in=judgements
    )
    for code in judgements:
        lists = set(written.filter(subsection__standard__code=code).values_list("list", flat=True))
        assert {"strengths", "areas"} <= lists, code
    recommendations = list(reference_inspection.recommendations.all())
    assert len(recommendations) == 9
    assert {r.addressee for r in recommendations} == {"pdu", "region", "national"}


def test_text_format_is_readable(reference_inspection):
    out = StringIO()
    call_command("inspection_summary", reference_inspection.pk, stdout=out)
    text = out.getvalue()
    assert "Score: 10 out of 27" in text
    assert "Overall rating: Requires improvement" in text
    assert "2.2.3    11/21 (52%)  <- lowest" in text
