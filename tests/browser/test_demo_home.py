"""After setup_demo (what `make run` loads), in Chromium: the demo manager goes from the home page
to the region report with its pooled figures, and the demo inspector from the home page to a case of
the hmip-pdu-2023 inspection on one page; axe-core finds nothing on each page."""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from bundles.management.commands.setup_demo import DEMO_PASSWORD
from cases.choices import CaseStatus
from cases.models import Case
from inspection.framework.loader import load_framework, read_framework_file
from inspection.models import Framework, Inspection
from reports.models import PublishedReport
from tests.browser.conftest import assert_accessible, log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(settings):
    """Transactional tests flush the shipped frameworks: load those the demo uses, as migrate
    does, then the demo itself."""
    for code in ("hmip-pdu-2021", "hmip-pdu-2023", "hmip-region-2023"):
        if not Framework.objects.filter(code=code).exists():
            load_framework(read_framework_file(code))
    settings.DEBUG = True
    call_command("setup_demo", stdout=StringIO())
    settings.DEBUG = False


def test_the_demo_manager_reaches_the_region_report_from_home(page, demo):
    region = Inspection.objects.get(pdu__isnull=True)
    log_in(page, "manager", DEMO_PASSWORD)
    assert_accessible(page, "demo-manager-home")
    page.get_by_role("link", name="The region").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/inspections/{region.pk}/report/")
    expect(page.locator(".govuk-caption-l")).to_contain_text("North West")
    pooled = page.locator("#pooled-inspections")
    for pdu in ("Bolton PDU", "Preston PDU", "Wigan PDU"):
        expect(pooled).to_contain_text(pdu)
    # A pooled key question's row: the number of cases summed over the PDUs' stored records.
    records = PublishedReport.objects.filter(
        inspection__programme="2024-25", inspection__pdu__isnull=False
    )
    relevant = sum(record.headline["counts"]["2.1.1"][1] for record in records)
    assert records.count() == 3 and relevant > 0
    expect(page.locator("#q-2-1-1 td").nth(1)).to_have_text(str(relevant))
    assert_accessible(page, "demo-region-report")


def test_the_demo_inspector_reaches_a_2023_case_on_one_page_from_home(page, demo):
    revised = Inspection.objects.get(pdu__name="Cumbria")
    case = (
        Case.objects.filter(
            inspection=revised,
            assigned_inspector__username="inspector1",
            status=CaseStatus.IN_PROGRESS,
        )
        .order_by("ref")
        .first()
    )
    log_in(page, "inspector1", DEMO_PASSWORD)
    assert_accessible(page, "demo-inspector-home")
    page.get_by_role("link", name=f"Case {case.ref}", exact=True).click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/cases/{case.pk}/answer/")
    expect(page.locator("#case-answers")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Cumbria")
    assert_accessible(page, "demo-one-page-case")
