"""The lead reads the audit trail in Chromium: reached from the lead's navigation, filtered,
paged and downloaded as CSV."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from cases.models import Case
from tests.browser.conftest import assert_accessible, log_in
from tests.case_helpers import answer, team_member
from tests.csv_helpers import read_csv_dicts

pytestmark = pytest.mark.django_db(transaction=True)


def test_lead_filters_the_trail_and_downloads_it(new_page, reference_inspection):
    lead = team_member(reference_inspection, "lee", "Lee", "Lead")
    reference_inspection.lead_inspector = lead
    reference_inspection.save()
    team_member(reference_inspection, "ines", "Ines", "Inspector")
    case = Case.objects.get(inspection=reference_inspection, ref="BWD-02")
    note = answer(case, "2.3.1").note

    inspector = new_page()
    log_in(inspector, "ines")
    inspector.goto(f"/cases/{case.pk}/sections/2.3/")
    inspector.get_by_role("group", name="2.3.1").first.get_by_label("No", exact=True).check()
    inspector.get_by_label("Reason for change").fill("Re-read the plan")
    inspector.get_by_role("button", name="Save", exact=True).click()
    expect(inspector.get_by_text("Planning saved")).to_be_visible()

    page = new_page()
    log_in(page, "lee")
    page.goto(f"/inspections/{reference_inspection.pk}/cases/")
    page.get_by_role("link", name="Lead inspector").click()
    page.get_by_role("link", name="Audit trail").click()
    expect(page.get_by_role("heading", name="Audit trail")).to_be_visible()
    expect(page.get_by_role("heading", name="changes")).to_contain_text("1,6")  # imported

    page.get_by_label("Case").select_option(label="BWD-02")
    page.get_by_label("Who").select_option(label="Ines Inspector")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="1 change matching the filters")).to_be_visible()
    row = page.locator("tbody tr").first
    expect(row).to_contain_text("Ines Inspector")
    expect(row).to_contain_text("2.3.1")
    expect(row).to_contain_text("Re-read the plan")
    expect(row.locator("td").nth(5)).to_contain_text("Yes")
    expect(row.locator("td").nth(6)).to_contain_text("No")
    expect(row.locator("td").nth(6)).to_contain_text(f"Note, unchanged: {note[:30]}")
    assert_accessible(page, "audit-trail-filtered")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download these changes (CSV)").click()
    rows = read_csv_dicts(Path(download.value.path()).read_bytes())
    assert [(r["who"], r["subject"], r["before"], r["after"], r["reason"]) for r in rows] == [
        ("Ines Inspector", "'2.3.1", "Yes", "No", "Re-read the plan")  # a code kept as text
    ]

    # Every case's answers as imported, over several pages.
    page.get_by_label("Who").select_option(label="Everyone")
    page.get_by_label("Change to").select_option(label="Answer")
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_role("link", name="Older changes").click()
    expect(page.get_by_text("page 2 of 2")).to_be_visible()
    expect(page.get_by_label("Case")).to_have_value(str(case.pk))  # the filters are kept
    assert_accessible(page, "audit-trail-page-2")

    page.goto(f"/inspections/{reference_inspection.pk}/audit/?case=nonsense")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose a case from the list")
    assert_accessible(page, "audit-trail-error")

    inspector.goto(f"/inspections/{reference_inspection.pk}/audit/")
    expect(inspector.get_by_role("heading", name="Audit trail")).to_have_count(0)
