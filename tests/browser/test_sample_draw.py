"""Drawing the sample in Chromium: a bad extract listed by row, the draw, representativeness, and
replacing a case from the reserve; axe on each page."""

import datetime

import pytest
from playwright.sync_api import expect

from cases.models import DrawnCase, SampleDraw
from inspection.models import PDU, Framework, Inspection, Region, SampleWindow
from tests.browser.conftest import assert_accessible, log_in
from tests.case_helpers import team_member
from tests.caseload_helpers import extract_csv, extract_rows

pytestmark = pytest.mark.django_db(transaction=True)


def upload(page, data: bytes, size: str, seed: str):
    page.set_input_files(
        "#id_extract", files=[{"name": "extract.csv", "mimeType": "text/csv", "buffer": data}]
    )
    page.get_by_label("Cases to draw").fill(size)
    page.get_by_label("Seed (optional)").fill(seed)
    page.get_by_label("I have checked the extract and the size").check()
    page.get_by_role("button", name="Draw the sample").click()


def test_draw_see_representativeness_and_replace(page):
    region = Region.objects.create(name="North East")
    pdu = PDU.objects.create(region=region, name="Sampled")
    inspection = Inspection.objects.create(
        pdu=pdu,
        framework=Framework.objects.newest("hmip-pdu-2021"),
        fieldwork_start=datetime.date(2026, 11, 30),
    )
    SampleWindow.objects.create(
        inspection=inspection, start=datetime.date(2026, 5, 4), end=datetime.date(2026, 5, 24)
    )
    lead = team_member(inspection, "lee", "Lee", "Lead")
    inspection.lead_inspector = lead
    inspection.save()
    team_member(inspection, "ines")
    team_member(inspection, "ivan", "Ivan", "Inspector")

    log_in(page, "lee")
    page.goto(f"/inspections/{inspection.pk}/sample/")
    expect(page.get_by_role("heading", name="Draw the sample", level=1)).to_be_visible()
    assert_accessible(page, "sample-draw")

    rows = extract_rows(600)
    rows[4][0] = "Ada Lovelace"
    rows[20][2] = "2026-13-01"
    upload(page, extract_csv(rows), "21", "2023")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The extract was refused: nothing has been drawn or added")
    expect(summary).to_contain_text("Row 6, ref: 'Ada Lovelace'")
    expect(summary).to_contain_text("Row 22, start_date: '2026-13-01' is not a date")
    assert_accessible(page, "sample-draw-refused")
    assert not SampleDraw.objects.exists()

    upload(page, extract_csv(extract_rows(600)), "21", "2023")
    expect(page.get_by_text("Drew 21 cases with seed 2023")).to_be_visible()
    expect(page.get_by_role("heading", name="How representative the sample is")).to_be_visible()
    expect(page.locator("#draw-seed")).to_have_text("2023")
    assert_accessible(page, "sample-drawn")

    first = DrawnCase.objects.filter(in_sample=True, stratum="community").order_by("rank")[0]
    reserve = DrawnCase.objects.filter(in_sample=False, stratum="community").order_by("rank")[0]
    page.get_by_role("link", name=f"Replace {first.ref}").click()
    assert_accessible(page, "replace-case")
    page.get_by_role("button", name="Replace from the reserve").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why the case is replaced")
    page.get_by_label("Why is this case replaced?").fill("Transferred out before the window closed")
    page.get_by_role("button", name="Replace from the reserve").click()
    expect(
        page.get_by_text(f"Case {first.ref} replaced by {reserve.ref} from the reserve")
    ).to_be_visible()
    expect(page.locator("#drawn")).to_contain_text(
        "Replaced: Transferred out before the window closed"
    )
    assert inspection.cases.filter(ref=reserve.ref).exists()
    assert not inspection.cases.filter(ref=first.ref).exists()
