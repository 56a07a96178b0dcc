"""The QA loop in Chromium: the lead returns a case, the inspector fixes it, the lead signs off."""

import pytest
from playwright.sync_api import expect

from cases.choices import CaseStatus
from cases.models import Case
from tests.browser.conftest import assert_accessible, log_in
from tests.case_helpers import answer, team_member

pytestmark = pytest.mark.django_db(transaction=True)


def test_lead_returns_a_case_inspector_fixes_it_lead_signs_it_off(new_page, reference_inspection):
    lead_user = team_member(reference_inspection, "lee", "Lee", "Lead")
    reference_inspection.lead_inspector = lead_user
    reference_inspection.save()
    inspector_user = team_member(reference_inspection, "ines", "Ines", "Inspector")
    case = Case.objects.get(inspection=reference_inspection, ref="BWD-06")
    case.assigned_inspector = inspector_user
    case.save()
    old = answer(case, "2.2.2").value
    fixed_label = "Yes" if old == "no" else "No"

    lead = new_page()
    log_in(lead, "lee")
    lead.goto(f"/inspections/{reference_inspection.pk}/qa/")
    lead.get_by_label("Share of complete cases to dip-sample").fill("10")
    lead.get_by_role("button", name="Draw dip sample").click()
    expect(lead.get_by_text("Drew 3 cases (10%)")).to_be_visible()
    assert_accessible(lead, "qa-overview")
    lead.get_by_role("link", name="Review BWD-06").click()
    assert_accessible(lead, "qa-review")
    for agree in lead.get_by_label("Agree", exact=True).all():  # nothing is chosen at first
        agree.check()
    lead.get_by_role("group", name="2.2.2").get_by_label("Disagree").check()
    lead.get_by_label("Comment on 2.2.2").fill("The assessment did address desistance factors.")
    lead.get_by_label("Comments for the inspector").fill("Please re-read the OASys for 2.2.2.")
    lead.get_by_role("button", name="Return to inspector").click()
    expect(lead.get_by_text("Case BWD-06: returned to inspector")).to_be_visible()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.RETURNED

    inspector = new_page()
    log_in(inspector, "ines")
    inspector.goto(f"/cases/{case.pk}/")
    banner = inspector.get_by_role("region", name="Returned by quality assurance")
    expect(banner).to_contain_text("The assessment did address desistance factors.")
    expect(banner).to_contain_text("Please re-read the OASys for 2.2.2.")
    assert_accessible(inspector, "returned-case")
    inspector.get_by_role("link", name="2.2 Assessment").click()
    question = inspector.get_by_role("group", name="2.2.2 Does assessment focus")
    question.get_by_label(fixed_label, exact=True).check()
    inspector.get_by_label("Evidence note for 2.2.2").fill("Corrected after QA.")
    inspector.get_by_role("button", name="Save and continue").click()
    inspector.goto(f"/cases/{case.pk}/")
    inspector.get_by_role("button", name="Mark case as complete").click()
    expect(inspector.get_by_text("Case BWD-06 marked as complete")).to_be_visible()

    lead.goto(f"/cases/{case.pk}/qa/")
    for agree in lead.get_by_label("Agree", exact=True).all():
        agree.check()
    lead.get_by_role("button", name="Sign off").click()
    expect(lead.get_by_text("Case BWD-06: signed off")).to_be_visible()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SIGNED_OFF
    assert answer(case, "2.2.2").note == "Corrected after QA."


def test_session_timeout_warning_and_staying_signed_in(page, reference_inspection, settings):
    settings.SESSION_COOKIE_AGE = 6
    settings.SESSION_WARNING_SECONDS = 4
    team_member(reference_inspection, "ines")
    log_in(page, "ines")
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_be_hidden()
    expect(dialog).to_contain_text("You will be signed out soon", timeout=5000)
    expect(dialog).to_be_visible()
    assert_accessible(page, "timeout-warning")
    dialog.get_by_role("button", name="Stay signed in").click()
    expect(dialog).to_be_hidden()
    page.reload()
    expect(page.get_by_role("heading", name="Your inspections")).to_be_visible()
