"""Hostile input typed (or pasted) into the real pages in Chromium: each answered with a message
that names the field, shown in the error summary, and nothing written."""

import pytest
from playwright.sync_api import expect

from cases.models import Answer
from inspection.models import AuditEntry, Recommendation
from tests.browser.conftest import assert_accessible, log_in
from tests.case_helpers import case_in_progress, team_member

pytestmark = pytest.mark.django_db(transaction=True)


def counts():
    return (Answer.objects.count(), AuditEntry.objects.count(), Recommendation.objects.count())


def paste(page, label: str, text: str) -> None:
    """What a paste can put in a box that typing cannot: control characters, and past maxlength."""
    page.get_by_label(label).evaluate("(box, text) => { box.value = text; }", text)


def test_an_evidence_note_with_a_control_character_is_refused_by_name(page, reference_inspection):
    team_member(reference_inspection, "ines")
    case = case_in_progress(reference_inspection, "BWD-02")
    note_before = Answer.objects.get(case=case, question__code="2.2.1").note
    before = counts()

    log_in(page, "ines")
    page.goto(f"/cases/{case.pk}/sections/2.2/")
    paste(page, "Evidence note for 2.2.1", "Seen on\u0001 the file")
    page.get_by_role("button", name="Save", exact=True).click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("control character (U+0001)")
    expect(summary).to_contain_text("2.2.1")
    assert_accessible(page, "section-hostile-note")
    assert counts() == before
    assert Answer.objects.get(case=case, question__code="2.2.1").note == note_before


def test_a_recommendation_over_the_limit_is_refused_naming_the_limit(page, reference_inspection):
    lead = team_member(reference_inspection, "lee", "Lee", "Lead")
    reference_inspection.lead_inspector = lead
    reference_inspection.save()
    before = counts()

    log_in(page, "lee")
    page.goto(f"/inspections/{reference_inspection.pk}/recommendations/")
    page.get_by_label("The PDU").check()
    paste(page, "Recommendation", "x" * 1_000_000)
    page.get_by_role("button", name="Save recommendation").click()

    expect(page.locator(".govuk-error-summary")).to_contain_text("2,000 characters or fewer")
    assert_accessible(page, "recommendation-too-long")
    assert counts() == before
