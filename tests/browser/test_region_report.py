"""A region inspection's report in Chromium: pooled standards and the PDU inspections pooled
render, axe-core finds nothing, and the links to the pooled PDU reports work."""

import random

import pytest
from playwright.sync_api import expect

from inspection.framework.loader import load_framework, read_framework_file
from inspection.models import Framework, Region
from tests.browser.conftest import PASSWORD, assert_accessible, log_in
from tests.factories import UserFactory
from tests.region_helpers import (
    PDU_FRAMEWORK,
    REGION_FRAMEWORK,
    published_pdu_inspection,
    region_inspection,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def frameworks():
    """Transactional tests flush the shipped frameworks: load the two these tests use."""
    for code in (PDU_FRAMEWORK, REGION_FRAMEWORK):
        if not Framework.objects.filter(code=code).exists():
            load_framework(read_framework_file(code))


def test_lead_reads_a_region_report_with_its_pool(page, frameworks):
    lead = UserFactory(username="regionlead", password=PASSWORD)
    rng = random.Random(8)
    pooled = [
        published_pdu_inspection(rng, "North East", name, lead) for name in ("Durham", "Tyne")
    ]
    unpublished = published_pdu_inspection(rng, "North East", "Tees", lead, publish_it=False)
    inspection = region_inspection(rng, Region.objects.get(name="North East"))
    inspection.lead_inspector = lead
    inspection.save()

    log_in(page, "regionlead")
    page.goto(f"/inspections/{inspection.pk}/report/")
    expect(page.locator("h1")).to_have_text("Inspection report")
    expect(page.locator("#pooled-inspections")).to_contain_text("Durham PDU")
    expect(page.locator("#pooled-inspections")).to_contain_text("Tyne PDU")
    expect(page.locator("#not-pooled")).to_contain_text("Tees PDU")
    expect(page.locator("#not-pooled")).to_contain_text("Not published")
    assert unpublished.pk != pooled[0].pk
    assert_accessible(page, "region-report")

    page.locator("#pooled-inspections").get_by_role("link").first.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/inspections/{pooled[0].pk}/report/")
    expect(page.locator(".govuk-caption-l")).to_contain_text("Durham PDU")
