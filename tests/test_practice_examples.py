"""Practice examples from fieldwork (issue 11, part 4): an inspector offers a case's evidence
note as a candidate for its standard from the section page (a plain form, no JavaScript); the
lead sees the candidates per standard with the note's text; the report never names the case."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse

from cases import practice_examples as service
from cases.models import Answer, Case, PracticeExample
from inspection.choices import AuditKind, InspectionStatus
from inspection.models import AuditEntry, ItemKind, ItemList, ReportItem
from inspection.published import PublishedInspectionError
from reports.publishing import move
from tests.case_helpers import team_member
from tests.factories import CaseFactory

NOTE = (
    "The plan was written with the person on probation and took account of personal "
    "circumstances and preferred appointment times."
)


@pytest.fixture
def inspector(reference_inspection):
    return team_member(reference_inspection, "ines")


@pytest.fixture
def case(reference_inspection):
    return Case.objects.get(inspection=reference_inspection, ref="BWD-02")


def section_url(case, code="2.3"):
    return reverse("cases:section", args=[case.pk, code])


def offer_url(case):
    return reverse("cases:practice_example", args=[case.pk])


def entries(inspection):
    return AuditEntry.objects.filter(
        inspection_id=inspection.pk, kind=AuditKind.PRACTICE_EXAMPLE
    ).order_by("pk")


@pytest.mark.django_db
def test_an_inspector_offers_a_note_from_the_section_page_without_javascript(
    client, case, inspector
):
    client.force_login(inspector)
    page = client.get(section_url(case)).content.decode()
    assert "Practice examples" in page
    assert "Offer as practice example" in page
    # A form of its own (not inside the answers' form), posting the question and the section.
    assert f'action="{offer_url(case)}"' in page
    assert 'name="question" value="2.3.1"' in page

    response = client.post(
        offer_url(case), {"question": "2.3.1", "section": "2.3", "action": "offer"}
    )
    assert response.status_code == 302
    assert response.url == section_url(case) + "#practice-examples"
    example = PracticeExample.objects.get()
    assert example.answer.question.code == "2.3.1"
    assert example.marked_by == inspector
    entry = entries(case.inspection).get()
    assert entry.case_ref == "BWD-02"
    assert entry.user == inspector
    assert entry.subject == "2.3.1: practice example for 2.3 Planning"
    assert entry.new_value == "Offered as a candidate"
    page = client.get(section_url(case)).content.decode()
    assert "Offered" in page and "Withdraw" in page

    client.post(offer_url(case), {"question": "2.3.1", "section": "2.3", "action": "offer"})
    assert PracticeExample.objects.count() == 1  # offering again changes nothing
    client.post(offer_url(case), {"question": "2.3.1", "section": "2.3", "action": "withdraw"})
    assert not PracticeExample.objects.exists()
    assert [e.new_value for e in entries(case.inspection)] == [
        "Offered as a candidate",
        "Withdrawn",
    ]


@pytest.mark.django_db
def test_a_question_without_a_note_cannot_be_offered(client, case, inspector):
    client.force_login(inspector)
    response = client.post(
        offer_url(case), {"question": "2.3.2", "section": "2.3", "action": "offer"}, follow=True
    )
    assert "2.3.2 has no saved evidence note on this case: save the note first" in (
        response.content.decode()
    )
    with pytest.raises(service.PracticeExampleRefused, match="no saved evidence note"):
        service.offer(case, "9.9.9", by=inspector)
    assert not PracticeExample.objects.exists()
    assert not entries(case.inspection).exists()


@pytest.mark.django_db
def test_a_note_on_an_item_of_no_standard_cannot_be_offered(case, inspector):
    item = Answer.objects.filter(case=case, question__standard__isnull=True).first()
    if item is None:  # give the case a note on a resettlement or case-level item
        question = case.inspection.framework.questions.filter(standard__isnull=True).first()
        item = Answer.objects.create(case=case, question=question, value="yes")
    Answer.objects.filter(pk=item.pk).update(note="A note on an item")
    with pytest.raises(service.PracticeExampleRefused, match="belongs to no standard"):
        service.offer(case, item.question.code, by=inspector)


@pytest.mark.django_db
def test_only_the_team_may_offer_and_never_once_published(client, case, inspector, lead):
    outsider = team_member(Case.objects.exclude(pk=case.pk).first().inspection, "other")
    case.inspection.team.remove(outsider)
    client.force_login(outsider)
    assert client.post(offer_url(case), {"question": "2.3.1", "action": "offer"}).status_code == 404
    service.offer(case, "2.3.1", by=inspector)
    move(case.inspection, InspectionStatus.PUBLISHED, lead)
    client.force_login(inspector)
    assert (
        client.post(offer_url(case), {"question": "2.3.1", "action": "withdraw"}).status_code == 404
    )
    with pytest.raises(PublishedInspectionError):
        service.withdraw(case, "2.3.1", by=inspector)
    example = PracticeExample.objects.get()
    with pytest.raises(PermissionDenied), transaction.atomic():
        example.delete()
    with pytest.raises(IntegrityError, match="published"), transaction.atomic():
        PracticeExample.objects.filter(pk=example.pk).update(marked_by=None)
    assert PracticeExample.objects.count() == 1


@pytest.mark.django_db
def test_the_lead_sees_the_candidates_per_standard_with_the_notes_text(
    client, case, inspector, lead
):
    service.offer(case, "2.3.1", by=inspector)
    other = Case.objects.get(inspection=case.inspection, ref="BWD-01")
    noted = Answer.objects.filter(case=other).exclude(note="").select_related("question")
    on_a_standard = next(a for a in noted if a.question.standard_id)
    service.offer(other, on_a_standard.question.code, by=inspector)
    groups = service.candidates(case.inspection)
    assert [c.note for g in groups for c in g.candidates if g.code == "2.3"][:1] == [NOTE]
    assert sum(len(g.candidates) for g in groups) == 2

    client.force_login(lead)
    page = client.get(reverse("reports:practice_examples", args=[case.inspection.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "2.3 Planning" in text
    assert NOTE in text
    assert "Add to the report" in text
    client.force_login(inspector)
    assert (
        client.get(reverse("reports:practice_examples", args=[case.inspection.pk])).status_code
        == 404
    )


@pytest.mark.django_db
def test_a_report_text_naming_a_case_is_a_problem(reference_inspection):
    problems = service.case_reference_problems(
        reference_inspection, "As bwd-03 showed, and BWD-030 did not."
    )
    assert problems == [
        "The text names the case BWD-03: the report never shows a case reference; describe the "
        "case without it"
    ]
    assert service.case_reference_problems(reference_inspection, NOTE) == []
    # References that read as plain words or numbers never refuse prose.
    CaseFactory(inspection=reference_inspection, ref="A")
    CaseFactory(inspection=reference_inspection, ref="17")
    prose = "There is a plan in nine out of 17 relevant cases."
    assert service.case_reference_problems(reference_inspection, prose) == []


@pytest.mark.django_db
def test_the_lead_adds_a_candidate_to_its_standards_text_without_the_case(
    client, case, inspector, lead
):
    example = service.offer(case, "2.3.1", by=inspector)
    client.force_login(lead)
    url = reverse("reports:practice_example_pull", args=[case.inspection.pk, example.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert NOTE in page.content.decode()  # the text box starts with the note

    # Naming the case is refused, and nothing is added.
    before = ReportItem.objects.count()
    refused = client.post(url, {"kind": "quote", "text": f"In case BWD-02: {NOTE}"})
    assert refused.status_code == 400
    assert "The text names the case BWD-02" in refused.content.decode()
    assert ReportItem.objects.count() == before

    response = client.post(url, {"kind": "quote", "text": NOTE})
    assert response.status_code == 302
    item = ReportItem.objects.select_related("subsection__standard").latest("pk")
    assert (item.kind, item.list, item.text) == (ItemKind.QUOTE, ItemList.BODY, NOTE)
    assert item.subsection.standard.code == "2.3"
    assert item.subsection.heading == ""
    assert entries(case.inspection).last().new_value == "Added to the report as a quote"
    report = client.get(reverse("reports:report", args=[case.inspection.pk])).content.decode()
    assert NOTE in report


@pytest.mark.django_db
def test_a_malformed_offer_changes_nothing_and_says_so(client, reference_inspection):
    case = reference_inspection.cases.get(ref="BWD-01")
    client.force_login(team_member(reference_inspection, "offerer"))
    url = reverse("cases:practice_example", args=[case.pk])
    response = client.post(url, {"question": "2.2.1", "section": "2.2/x", "action": "offer"})
    assert response.status_code == 302 and response.url == reverse("cases:detail", args=[case.pk])
    assert not PracticeExample.objects.exists()
