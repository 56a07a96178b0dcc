"""An inspector's own work in Chromium: the home page, check your answers, the attributes page,
the print view (axe on each), and completing a case with JavaScript turned off."""

import re

import pytest
from playwright.sync_api import expect

from cases.choices import CaseStatus
from cases.models import Case, QAOutcome
from cases.qa import QuestionVerdict, review_case
from tests.browser.conftest import PASSWORD, assert_accessible, log_in
from tests.case_helpers import answer, case_in_progress, team_member

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_with_a_returned_case_and_the_check_page(page, reference_inspection, lead):
    ines = team_member(reference_inspection, "ines")
    case = Case.objects.get(inspection=reference_inspection, ref="BWD-04")
    other = case_in_progress(reference_inspection, "BWD-02")
    Case.objects.filter(pk__in=[case.pk, other.pk]).update(assigned_inspector=ines)
    question = answer(case, "2.2.3").question
    review_case(
        case,
        lead,
        [QuestionVerdict(question.id, "2.2.3", False, "Victim concerns were analysed.")],
        "Please look again.",
        QAOutcome.RETURNED,
    )

    log_in(page, "ines")
    expect(page.get_by_text("2.2.3: Victim concerns were analysed.")).to_be_visible()
    assert_accessible(page, "my-work-home")
    page.get_by_label("Find a case by reference").fill("BWD-02")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 case matching “BWD-02”")).to_be_visible()
    assert_accessible(page, "my-work-search")

    page.goto(f"/cases/{other.pk}/check/")
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    assert_accessible(page, "check-no-problems")

    other.answers.filter(question__code="2.3.2").update(value="")
    page.goto(f"/cases/{other.pk}/check/")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    assert_accessible(page, "check-with-problems")
    summary.get_by_role("link", name="Answer key question 2.3.2 yes, no or not applicable").click()
    page.wait_for_url("**/sections/2.3/#q2-3-2-value-group")
    heading = page.get_by_role("heading", name="2.3.2 Does planning focus")
    expect(heading).to_be_in_viewport()
    top = heading.evaluate("e => e.getBoundingClientRect().top")
    assert top >= 0, top  # the heading is on screen, not scrolled off above


def test_attributes_page_and_print_view(page, reference_inspection, lead):
    case = Case.objects.get(inspection=reference_inspection, ref="BWD-02")
    log_in(page, "lead")
    page.goto(f"/cases/{case.pk}/")
    page.get_by_role("link", name="Correct the case's details").click()
    assert_accessible(page, "attributes")
    page.get_by_label("Allocated practitioners").fill("lots")
    page.get_by_role("button", name="Save case details").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, "attributes-error")
    page.get_by_label("Allocated practitioners").fill("3")
    page.get_by_role("button", name="Save case details").click()
    expect(page.get_by_text("1 detail(s) corrected")).to_be_visible()
    assert Case.objects.get(pk=case.pk).practitioners == 3

    page.goto(f"/cases/{case.pk}/print/")
    expect(page.locator(".govuk-header")).to_have_count(0)
    assert_accessible(page, "print")


def test_completing_a_case_without_javascript(chromium, live_server, reference_inspection):
    ines = team_member(reference_inspection, "ines")
    case = case_in_progress(reference_inspection)
    case.answers.filter(question__code="2.3.2").update(value="")
    nxt = case_in_progress(reference_inspection, "BWD-06")
    Case.objects.filter(pk__in=[case.pk, nxt.pk]).update(assigned_inspector=ines)
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        log_in(page, "ines", PASSWORD)
        page.goto(f"/cases/{case.pk}/")
        page.get_by_role("link", name="Check your answers and mark complete").click()
        page.get_by_role("button", name="Mark complete").click()
        expect(page).to_have_title(re.compile(r"^Error:"))
        page.locator(".govuk-error-summary").get_by_role("link").first.click()
        page.locator("#q2-3-2-value").check()
        page.get_by_role("button", name="Save and continue").click()
        expect(page.get_by_text("Planning saved")).to_be_visible()
        page.goto(f"/cases/{case.pk}/check/")
        page.get_by_role("button", name="Mark complete").click()
        expect(page.get_by_role("heading", name="Case BWD-02 marked as complete")).to_be_visible()
        assert Case.objects.get(pk=case.pk).status == CaseStatus.COMPLETE
        page.get_by_role("link", name="Go to case BWD-06").click()
        expect(page.get_by_role("heading", name="Case BWD-06")).to_be_visible()
    finally:
        context.close()
