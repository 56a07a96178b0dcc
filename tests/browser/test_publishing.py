"""Publishing in Chromium as a lead does it: from the status page to the publish page, which lists
what stops it; each put right through its link; then the confirmation step, refused unticked,
and the published message. axe-core on each page on the way, and on the moderation page."""

import pytest
from playwright.sync_api import expect

from cases.models import Case
from cases.qa import draw_dip_sample, key_questions_to_review
from inspection.choices import InspectionStatus
from inspection.models import Inspection
from reports import report_writing
from reports.publishing import move
from tests.browser.conftest import assert_accessible, log_in

pytestmark = pytest.mark.django_db(transaction=True)

NO_SIGNATORY = "The foreword has no signatory: give the name and title of who signs it"


def test_the_lead_puts_right_what_the_publish_page_lists_then_confirms(
    page, reference_inspection, lead
):
    report_writing.set_signing(reference_inspection, signatory="", signatory_title="", by=lead)
    (sampled,) = draw_dip_sample(reference_inspection, 1, lead).cases.all()
    unreviewed = f"Case {sampled.ref} is in the dip sample and has not been reviewed"
    log_in(page, "lead")
    page.goto(f"/inspections/{reference_inspection.pk}/status/")
    page.get_by_role("button", name="Publish").click()

    expect(page.get_by_role("heading", name="Publish the inspection", level=1)).to_be_visible()
    expect(page.get_by_text("It cannot be published yet")).to_be_visible()
    expect(page.get_by_role("heading", name="Quality assurance")).to_be_visible()
    expect(page.get_by_role("heading", name="The written report")).to_be_visible()
    expect(page.get_by_role("checkbox")).to_have_count(0)
    assert_accessible(page, "publish-blockers")

    page.get_by_role("link", name=NO_SIGNATORY).click()
    page.get_by_label("Signatory").fill("Justin Russell")
    page.get_by_label("Title").fill("Chief Inspector of Probation")
    page.get_by_role("button", name="Save signatory").click()
    expect(page.get_by_text("Signatory saved")).to_be_visible()

    page.goto(f"/inspections/{reference_inspection.pk}/status/publish/")
    expect(page.get_by_role("link", name=NO_SIGNATORY)).to_have_count(0)
    page.get_by_role("link", name=unreviewed).click()
    page.get_by_role("button", name="Sign off").click()  # nothing chosen yet: refused, named
    first = key_questions_to_review(sampled)[0].code
    expect(page.get_by_role("link", name=f"Choose agree or disagree for {first}")).to_be_visible()
    assert_accessible(page, "qa-review-unanswered")
    for agree in page.get_by_label("Agree", exact=True).all():
        agree.check()
    page.get_by_role("button", name="Sign off").click()
    expect(page.get_by_text(f"Case {sampled.ref}: signed off")).to_be_visible()

    page.goto(f"/inspections/{reference_inspection.pk}/status/")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", name="What publishing does")).to_be_visible()
    expect(page.locator("#publish-summary")).to_contain_text("10/27")
    expect(page.locator("#publish-summary")).to_contain_text("Requires improvement")
    assert_accessible(page, "publish-confirmation")
    page.get_by_role("button", name="Publish").click()
    expect(
        page.get_by_role(
            "link", name="Confirm that you have read the report and want to publish it"
        )
    ).to_be_visible()
    assert_accessible(page, "publish-unconfirmed")
    assert Inspection.objects.get(pk=reference_inspection.pk).status == "moderation"

    page.get_by_label("I have read the report and want to publish it").check()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("The inspection is now published")).to_be_visible()
    expect(page.get_by_role("button", name="Re-open for moderation")).to_be_visible()
    assert Inspection.objects.get(pk=reference_inspection.pk).status == "published"

    page.get_by_role("button", name="Re-open for moderation").click()
    expect(page.get_by_text("Readers lose the published report")).to_be_visible()
    assert_accessible(page, "reopen")


def test_moving_to_moderation_shows_the_unfinished_cases_first(page, reference_inspection, lead):
    move(reference_inspection, InspectionStatus.FIELDWORK, lead)
    Case.objects.filter(inspection=reference_inspection, ref="BWD-03").update(status="in_progress")
    log_in(page, "lead")
    page.goto(f"/inspections/{reference_inspection.pk}/status/")
    page.get_by_role("button", name="Move to moderation").click()
    table = page.get_by_role("table", name="Cases not complete")
    expect(table).to_contain_text("BWD-03")
    expect(table).to_contain_text("In progress")
    assert_accessible(page, "move-to-moderation")
    page.get_by_role("button", name="Move to moderation").click()
    expect(page.get_by_text("The inspection has moved to moderation")).to_be_visible()
