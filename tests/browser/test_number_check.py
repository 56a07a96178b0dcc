"""The lead confirms a flagged number on the number-check page in Chromium, and withdraws the
confirmation; the same with JavaScript off; axe-core finds nothing on the page in each state."""

import pytest
from playwright.sync_api import expect

from inspection.models import ConfirmedNumber, ReportPart, Standard
from reports import report_writing as writing
from tests.browser.conftest import assert_accessible, log_in
from tests.case_helpers import team_member
from tests.report_helpers import word_rating_sentence

pytestmark = pytest.mark.django_db(transaction=True)

PLACE = "2.2 Assessment (Typed by hand): paragraph 1"


@pytest.fixture
def lead(reference_inspection):
    user = team_member(reference_inspection, "lee", "Lee", "Lead")
    reference_inspection.lead_inspector = user
    reference_inspection.save()
    standard = Standard.objects.get(domain__framework=reference_inspection.framework, code="2.2")
    subsection = writing.add_subsection(
        reference_inspection,
        part=ReportPart.STANDARD,
        standard=standard,
        heading="Typed by hand",
        by=user,
    )
    writing.add_item(
        subsection, list="body", kind="text", text="Seen in 73 per cent of cases.", by=user
    )
    return user


def confirm_and_withdraw(page, inspection, *, check_axe: bool):
    log_in(page, "lee")
    page.goto(f"/inspections/{inspection.pk}/report/")
    page.get_by_role("link", name="Numbers typed in the report").first.click()
    expect(page.get_by_role("heading", name="Numbers typed in the report", level=1)).to_be_visible()
    to_confirm = page.locator("#unmatched-numbers")
    expect(to_confirm).to_contain_text("73 per cent")
    expect(to_confirm).to_contain_text("The figures of standard 2.2")
    expect(page.locator("#confirmed-numbers-table")).to_contain_text("95.3 per cent")
    if check_axe:
        assert_accessible(page, "number-check")

    page.get_by_role("button", name=f"Confirm '73 per cent' at {PLACE}").click()
    expect(page.get_by_text(f"Confirmed '73 per cent' at {PLACE}")).to_be_visible()
    expect(page.locator("#no-unmatched-numbers")).to_be_visible()
    expect(page.locator("#confirmed-numbers-table")).to_contain_text("73 per cent")
    assert ConfirmedNumber.objects.filter(inspection=inspection, written="73 per cent").exists()
    if check_axe:
        assert_accessible(page, "number-check-confirmed")

    withdraw = f"Withdraw the confirmation of '73 per cent' at {PLACE}"
    page.get_by_role("button", name=withdraw).click()
    expect(page.get_by_text("is to be confirmed again")).to_be_visible()
    expect(page.locator("#unmatched-numbers")).to_contain_text("73 per cent")
    assert not ConfirmedNumber.objects.filter(written="73 per cent").exists()


def test_the_lead_confirms_a_flagged_number(page, lead, reference_inspection):
    confirm_and_withdraw(page, reference_inspection, check_axe=True)


def test_the_same_without_javascript(new_page, lead, reference_inspection):
    page = new_page(java_script_enabled=False)
    confirm_and_withdraw(page, reference_inspection, check_axe=False)


def test_a_number_across_a_line_break_in_a_rating_sentence_is_confirmed(
    page, lead, reference_inspection
):
    """The lead's rating sentence is a text of the report like any other, and a pair typed
    across a line break is one number: Chromium sends a line break in a form back as CRLF."""
    word_rating_sentence(
        reference_inspection, "2.5", "Rated '{2.5:rating}': six\nout of ten were reviewed.", lead
    )
    log_in(page, "lee")
    page.goto(f"/inspections/{reference_inspection.pk}/report/numbers/")
    place = "2.5 Reviewing: rating sentence"
    page.get_by_role("button", name=f"Confirm 'six out of ten' at {place}").click()
    expect(page.get_by_text(f"Confirmed 'six out of ten' at {place}")).to_be_visible()
    assert ConfirmedNumber.objects.filter(
        inspection=reference_inspection, written="six out of ten"
    ).exists()
