"""The report and the dashboards in Chromium: they render, axe-core finds nothing, links work."""

import copy

import pytest
from playwright.sync_api import expect

from bundles.importer import import_bundle
from inspection.models import Inspection, ManagerScope
from tests.browser.conftest import PASSWORD, assert_accessible, log_in
from tests.case_helpers import team_member
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def publish(*inspections):
    Inspection.objects.filter(pk__in=[i.pk for i in inspections]).update(status="published")


@pytest.fixture
def second_pdu(reference_bundle):
    """The reference inspection again for a neighbouring PDU, with weaker court work."""
    bundle = copy.deepcopy(reference_bundle)
    bundle["inspection"]["pdu"] = "Burnley"
    for case in bundle["cases"]:
        if case["answers"].get("2.1.1") == "yes":
            case["answers"]["2.1.1"] = "no"
    return import_bundle(bundle)


@pytest.fixture
def manager(reference_inspection, second_pdu):
    user = UserFactory(username="morgan", first_name="Morgan", password=PASSWORD)
    ManagerScope.objects.create(user=user, region=reference_inspection.pdu.region)
    publish(reference_inspection, second_pdu)
    return user


def test_team_member_reads_the_report_and_drills_down_to_a_case(page, reference_inspection):
    team_member(reference_inspection, "ines")
    log_in(page, "ines")
    page.goto(f"/inspections/{reference_inspection.pk}/cases/")
    page.get_by_role("navigation", name="Inspection").get_by_role("link", name="Report").click()
    expect(page.get_by_role("heading", name="Inspection report", level=1)).to_be_visible()
    expect(page.locator("#score")).to_have_text("10/27")
    expect(page.locator("#overall-rating")).to_have_text("Requires improvement")
    expect(page.locator("#q-2-2-3")).to_contain_text("Lowest: drives the rating")
    assert_accessible(page, "report")

    page.get_by_role("link", name="52% yes for 2.2.3: see the cases").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("2.2.3 Does assessment focus")
    expect(page.get_by_text("21 (11 yes, 10 no)")).to_be_visible()
    assert_accessible(page, "drilldown")
    page.get_by_role("link", name="BWD-01", exact=True).click()
    expect(page.get_by_role("heading", name="Case BWD-01")).to_be_visible()


def test_manager_reads_the_published_report_without_case_detail(
    page, manager, reference_inspection
):
    log_in(page, "morgan")
    page.goto(f"/inspections/{reference_inspection.pk}/report/")
    expect(page.locator("#score")).to_have_text("10/27")
    expect(page.get_by_role("link", name="see the cases")).to_have_count(0)
    assert_accessible(page, "report-manager")
    page.get_by_role("link", name="North West region").first.click()
    expect(page.get_by_role("heading", name="North West region", level=1)).to_be_visible()


def test_dashboards_render_accessibly_and_sort_on_the_server(page, manager, reference_inspection):
    log_in(page, "morgan")
    page.get_by_role("navigation", name="Account").get_by_role("link", name="Dashboards").click()
    expect(page.get_by_role("heading", name="National overview")).to_be_visible()
    expect(page.get_by_text("Includes 2 inspections of 2 PDUs in 1 region.")).to_be_visible()
    expect(page.get_by_role("img", name="National average for each key question")).to_be_visible()
    assert_accessible(page, "national")

    page.get_by_role("link", name="North West").click()
    expect(page.get_by_role("heading", name="North West region", level=1)).to_be_visible()
    assert_accessible(page, "region")
    ratings = page.get_by_role("table", name="Ratings")
    ratings.get_by_role("link", name="2.1 Court work").click()
    assert "sort=2.1&order=desc" in page.url
    header = page.get_by_role("table", name="Ratings").get_by_role("columnheader", name="2.1")
    expect(header).to_have_attribute("aria-sort", "descending")
    rows = page.get_by_role("table", name="Ratings").locator("tbody tr")
    # Both court work ratings are Inadequate; Burnley's key question is lower, but ratings tie.
    expect(rows).to_have_count(2)
    page.get_by_role("table", name="Key questions").get_by_role("link", name="2.1.1").click()
    assert "sort=2.1.1&order=desc" in page.url
    rows = page.get_by_role("table", name="Key questions").locator("tbody tr")
    expect(rows.first).to_contain_text("Blackburn with Darwen")  # 44% beats 0%
    expect(rows.last).to_contain_text("Burnley")
    assert_accessible(page, "region-sorted")

    rows.first.get_by_role("link", name="Blackburn with Darwen").click()
    expect(page.get_by_role("heading", name="Blackburn with Darwen PDU", level=1)).to_be_visible()
    expect(page.locator("#latest-score")).to_have_text("10/27")
    chart = page.get_by_role("img", name="Key questions: Blackburn with Darwen PDU against")
    expect(chart).to_be_visible()
    expect(page.locator("#q-2-1-1")).to_contain_text(
        "44% 4 of 9 22% 4 of 18 22% 4 of 18", use_inner_text=True
    )
    assert_accessible(page, "pdu")
