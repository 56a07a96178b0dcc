"""Domain-1 evidence and practice examples in Chromium: the lead types and imports tallies, an
inspector offers a note with JavaScript off, the lead sees it; axe finds nothing on any page."""

import pytest
from django.urls import reverse

from cases.models import Case, PracticeExample
from reports.evidence import tallies_by_code
from tests.browser.conftest import CHROMIUM, assert_accessible, log_in
from tests.case_helpers import team_member

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_lead_records_tallies_and_an_inspector_offers_a_note(
    new_page, chromium, live_server, reference_inspection, tmp_path
):
    lead = team_member(reference_inspection, "lee", "Lee", "Lead")
    reference_inspection.lead_inspector = lead
    reference_inspection.save()
    team_member(reference_inspection, "ines")
    pk = reference_inspection.pk
    case = Case.objects.get(inspection=reference_inspection, ref="BWD-02")

    # An inspector, with JavaScript off, offers a note from the section page.
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        context.set_default_timeout(10_000)
        inspector = context.new_page()
        log_in(inspector, "ines")
        inspector.goto(reverse("cases:section", args=[case.pk, "2.3"]))
        inspector.get_by_role(
            "button", name="Offer as practice example for the note on 2.3.1"
        ).click()
        assert inspector.get_by_text("is offered to the lead inspector").is_visible()
    finally:
        context.close()
    assert PracticeExample.objects.filter(answer__case=case).count() == 1

    # axe runs in the page's JavaScript: the section page with the note offered, JavaScript on.
    page = new_page()
    log_in(page, "ines")
    page.goto(reverse("cases:section", args=[case.pk, "2.3"]))
    assert page.get_by_role("button", name="Withdraw the note on 2.3.1 as a practice example")
    assert_accessible(page, "section-practice-example-offered")

    page = new_page()
    log_in(page, "lee")
    page.goto(reverse("reports:evidence", args=[pk]))
    assert_accessible(page, "evidence-overview")
    page.get_by_role("link", name="Change the tallies for the staff survey").click()
    page.get_by_label("Yes").fill("18")
    page.get_by_role("button", name="Save tallies").click()
    assert page.get_by_text("18 is more than relevant (17)").first.is_visible()
    assert_accessible(page, "evidence-source-error")
    page.get_by_label("Yes").fill("13")
    page.get_by_role("button", name="Save tallies").click()
    assert page.get_by_text("Tallies saved: staff survey").is_visible()

    csv_file = tmp_path / "tallies.csv"
    csv_file.write_text("key,yes,relevant,percent\npop_survey.safe,,,186\n", encoding="utf-8")
    page.get_by_label("Upload a CSV file of tallies").set_input_files(str(csv_file))
    page.get_by_role("button", name="Import tallies").click()
    assert page.get_by_text("Line 2, column percent: must be from 0 to 100").first.is_visible()
    assert_accessible(page, "evidence-import-refused")
    csv_file.write_text("key,yes,relevant,percent\npop_survey.safe,,,85\n", encoding="utf-8")
    page.get_by_label("Upload a CSV file of tallies").set_input_files(str(csv_file))
    page.get_by_role("button", name="Import tallies").click()
    assert page.get_by_text("Imported the tallies: 1 changed").is_visible()
    codes = tallies_by_code(reference_inspection)
    assert (codes["staff_survey.learning_promoted"].yes, codes["pop_survey.safe"].percent) == (
        13,
        85,
    )

    page.goto(reverse("reports:practice_examples", args=[pk]))
    assert page.get_by_text("The plan was written with the person on probation").is_visible()
    assert_accessible(page, "practice-examples")
    page.get_by_role("link", name="Add to the report (the note on 2.3.1, case BWD-02)").click()
    assert_accessible(page, "practice-example-pull")
    page.get_by_role("button", name="Add to the report").click()
    assert page.get_by_text("Added to the report under 2.3 Planning").is_visible()
    assert CHROMIUM  # the page ran in Debian's Chromium
