"""Completion means complete: every applicable key question, prompt and item answered.

One rule (cases.data_quality.case_problems over cases.completeness.missing_answers) decides on
the case page, on bundle import and in the publishing checks.
"""

import pytest
from django.urls import reverse

from bundles.importer import import_bundle
from cases.aggregation import answer_counts
from cases.choices import CaseStatus
from cases.models import Answer, Case
from inspection.choices import InspectionStatus
from inspection.lifecycle import TransitionRefused
from reports.publishing import move, publish_blockers
from tests.case_helpers import case_in_progress, form_fields, team_member


@pytest.fixture
def inspector(reference_inspection):
    return team_member(reference_inspection, "ines")


@pytest.fixture
def logged_in(client, inspector):
    client.force_login(inspector)
    return client


def blank(case, *codes):
    Answer.objects.filter(case=case, question__code__in=codes).update(value="")


def complete(client, case):
    return client.post(reverse("cases:complete", args=[case.pk]))


@pytest.mark.django_db
def test_a_case_with_only_its_key_questions_answered_does_not_complete(
    logged_in, reference_inspection
):
    case = case_in_progress(reference_inspection)  # BWD-02: court work, not released
    Answer.objects.filter(case=case).exclude(question__kind="key_question").update(value="")
    applicable_non_kq = (
        Answer.objects.filter(case=case).exclude(question__kind="key_question").count()
    )
    response = complete(logged_in, case)
    assert response.status_code == 400
    page = response.content.decode()
    assert f"{applicable_non_kq} answers missing" in page
    assert Case.objects.get(pk=case.pk).status == CaseStatus.IN_PROGRESS
    # Each by code and wording, linking to its field on its section page.
    link = reverse("cases:section", args=[case.pk, "2.3"]) + "#q2-3-2-b-value"
    assert f'href="{link}"' in page
    assert "Answer prompt 2.3.2.b yes, no or not applicable: Builds on strengths" in page
    section_c = reverse("cases:section", args=[case.pk, "C"])
    assert f'href="{section_c}#qC-a-value"' in page
    assert "Answer item C.a yes, no or not applicable: Management oversight" in page
    assert "R.a" not in page  # resettlement does not apply to this case
    # The links land on the fields themselves.
    for code, field in (("2.3", "q2-3-2-b-value"), ("C", "qC-a-value")):
        section = logged_in.get(reverse("cases:section", args=[case.pk, code]))
        assert f'id="{field}"' in section.content.decode()


@pytest.mark.django_db
def test_every_kind_of_question_is_needed(logged_in, reference_inspection):
    case = case_in_progress(reference_inspection, "BWD-03")  # released: resettlement applies
    blank(case, "2.4.1.c", "R.b", "C.b")
    page = complete(logged_in, case).content.decode()
    assert "3 answers missing" in page
    assert "Answer prompt 2.4.1.c" in page
    assert "Answer item R.b yes, no or not applicable: Key resettlement needs" in page
    assert "Answer item C.b" in page
    assert Case.objects.get(pk=case.pk).status == CaseStatus.IN_PROGRESS

    Answer.objects.filter(case=case, question__code__in=["2.4.1.c", "R.b", "C.b"]).update(
        value="na"
    )
    assert complete(logged_in, case).status_code == 302
    assert Case.objects.get(pk=case.pk).status == CaseStatus.COMPLETE


@pytest.mark.django_db
def test_the_case_page_counts_and_lists_what_is_missing(logged_in, reference_inspection):
    case = case_in_progress(reference_inspection)
    blank(case, "2.2.1.a", "2.2.1.b")
    page = logged_in.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Before this case can be complete: 2 answers missing." in page
    missing = page.split('id="missing-answers"')[1].split("</ul>")[0]
    assert missing.count("<li>") == 2
    assert f"{reverse('cases:section', args=[case.pk, '2.2'])}#q2-2-1-a-value" in missing
    # The section with a blank prompt is not shown as completed.
    rows = page.split("2.2 Assessment")[1].split("</li>")[0]
    assert "In progress" in rows


@pytest.mark.django_db
def test_prompts_under_a_not_applicable_key_question_need_no_answer(
    logged_in, reference_inspection
):
    case = case_in_progress(reference_inspection)
    before = answer_counts(reference_inspection.pk)
    Answer.objects.filter(case=case, question__code="2.4.1").update(value="na")
    blank(case, "2.4.1.a", "2.4.1.b", "2.4.1.c", "2.4.1.d")
    as_blank = answer_counts(reference_inspection.pk)
    assert complete(logged_in, case).status_code == 302
    # Settled by the rule, not stored: the prompts stay blank.
    assert set(
        Answer.objects.filter(case=case, question__code__startswith="2.4.1.").values_list(
            "value", flat=True
        )
    ) == {""}
    # Counted exactly as if the inspector had marked them not applicable.
    Answer.objects.filter(case=case, question__code__startswith="2.4.1.").update(value="na")
    assert answer_counts(reference_inspection.pk) == as_blank
    assert as_blank["2.4.1.a"].relevant == before["2.4.1.a"].relevant - 1

    # Answered back to yes, the key question's prompts are work to do again.
    Answer.objects.filter(case=case, question__code="2.4.1").update(value="yes")
    blank(case, "2.4.1.a")
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.IN_PROGRESS)
    assert "Answer prompt 2.4.1.a" in complete(logged_in, case).content.decode()


@pytest.mark.django_db
def test_a_bundle_case_short_of_any_answer_imports_in_progress(reference_bundle):
    cases = {c["ref"]: c for c in reference_bundle["cases"]}
    del cases["BWD-04"]["answers"]["2.2.3.c"]  # a prompt
    del cases["BWD-05"]["answers"]["R.d"]  # a resettlement item
    del cases["BWD-06"]["answers"]["C.c"]  # a case-level item
    cases["BWD-07"]["notes"].pop("2.5.1", None)
    cases["BWD-07"]["answers"]["2.5.1"] = "no"  # a No without evidence
    inspection = import_bundle(reference_bundle)
    statuses = dict(inspection.cases.values_list("ref", "status"))
    assert {ref for ref, status in statuses.items() if status != CaseStatus.COMPLETE} == {
        "BWD-04",
        "BWD-05",
        "BWD-06",
        "BWD-07",
    }
    assert statuses["BWD-04"] == CaseStatus.IN_PROGRESS


@pytest.mark.django_db
def test_the_reference_bundle_imports_with_every_case_complete(reference_inspection):
    assert set(reference_inspection.cases.values_list("status", flat=True)) == {CaseStatus.COMPLETE}
    assert reference_inspection.cases.count() == 21


@pytest.mark.django_db
def test_a_complete_case_whose_answers_are_not_whole_blocks_publishing(reference_inspection):
    lead = team_member(reference_inspection, "lead")
    reference_inspection.status = InspectionStatus.MODERATION
    reference_inspection.save()
    assert publish_blockers(reference_inspection) == []
    case = Case.objects.get(inspection=reference_inspection, ref="BWD-08")
    assert case.status == CaseStatus.COMPLETE
    blank(case, "2.5.3.a")  # a stored status the answers no longer bear out
    reasons = publish_blockers(reference_inspection)
    assert reasons == [
        "Case BWD-08 is marked complete but has 1 problem, first: "
        "Answer prompt 2.5.3.a yes, no or not applicable"
    ]
    with pytest.raises(TransitionRefused):
        move(reference_inspection, InspectionStatus.PUBLISHED, lead)
    reference_inspection.refresh_from_db()
    assert reference_inspection.status == InspectionStatus.MODERATION


@pytest.mark.django_db
def test_blanking_an_answer_of_a_complete_case_puts_it_back_in_progress(
    logged_in, reference_inspection
):
    case = Case.objects.get(inspection=reference_inspection, ref="BWD-01")
    data = {**form_fields(case, "2.2.1.a", ""), "reason": "Not sure any more"}
    response = logged_in.post(reverse("cases:section", args=[case.pk, "2.2"]), data)
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).status == CaseStatus.IN_PROGRESS


@pytest.mark.django_db
def test_the_case_list_counts_answers_by_the_same_rule(logged_in, reference_inspection):
    url = reverse("cases:list", args=[reference_inspection.pk])
    case = case_in_progress(reference_inspection)  # court work, not released: 73 questions
    assert "73 of 73 questions answered" in logged_in.get(url).content.decode()
    blank(case, "2.2.1.a")
    assert "72 of 73 questions answered" in logged_in.get(url).content.decode()
    # A key question answered not applicable: its 4 prompts are no longer asked.
    Answer.objects.filter(case=case, question__code="2.4.1").update(value="na")
    blank(case, "2.4.1.a", "2.4.1.b", "2.4.1.c", "2.4.1.d")
    assert "68 of 69 questions answered" in logged_in.get(url).content.decode()
