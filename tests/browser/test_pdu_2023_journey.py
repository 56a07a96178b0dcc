"""An hmip-pdu-2023 inspection in Chromium, from case sample to published report.

The lead uploads a case sample (CSV) through the import page; an inspector answers every
applicable question of every case on the case pages and marks each complete; the lead gives the
three judgements, moves the inspection to moderation, writes the parts of the report the publish
page lists and publishes it; the published report shows the ratings and the score out of 21. axe
checks the first page of each kind visited.
"""

import pytest
from playwright.sync_api import expect

from cases.models import Case
from inspection.framework.loader import load_framework, read_framework_file
from inspection.models import Framework
from tests.browser.conftest import assert_accessible, log_in
from tests.case_helpers import team_member
from tests.factories import InspectionFactory

pytestmark = pytest.mark.django_db(transaction=True)

CODE = "hmip-pdu-2023"
# Court work only, resettlement only, neither: every section is met at least once, and skipped.
SAMPLE = (
    "ref,sentence_type,start_date,court_work,resettlement,gender,ethnicity,disability,age_band,rosh\n"
    "NEW-01,community_order,2023-09-04,yes,no,male,white,no,26-35,medium\n"
    "NEW-02,licence,2023-09-05,no,yes,female,mixed,no,18-25,high\n"
    "NEW-03,suspended_sentence_order,2023-09-06,no,no,male,asian_or_asian_british,yes,36-49,low\n"
)
JUDGEMENTS = {"1.1": "Good", "1.2": "Requires improvement", "1.3": "Good"}


@pytest.fixture
def inspection(db):
    # A transactional test empties every table afterwards: load the shipped file as migrate does.
    if Framework.objects.newest(CODE) is None:
        load_framework(read_framework_file(CODE))
    inspection = InspectionFactory(framework=Framework.objects.newest(CODE))
    lead = team_member(inspection, "lead", "Lee", "Lead")
    inspection.lead_inspector = lead
    inspection.save()
    team_member(inspection, "ines")
    return inspection


class Axe:
    """axe on the first page of each kind: the pages repeat (cases, sections) and axe is slow."""

    def __init__(self, page):
        self.page, self.seen = page, set()

    def check(self, kind: str):
        if kind not in self.seen:
            self.seen.add(kind)
            assert_accessible(self.page, f"pdu-2023-{kind}")


def answer_case(page, axe: Axe, case: Case) -> None:
    page.goto(f"/cases/{case.pk}/")
    expect(page.get_by_role("heading", name=f"Case {case.ref}")).to_be_visible()
    axe.check("case")
    # Each section once: the page also links to its questions' anchors (#q2-1-1-value), which
    # are the same page.
    sections = page.locator("a[href*='/sections/']").evaluate_all(
        "links => [...new Set(links.map(a => a.getAttribute('href').split('#')[0]))]"
    )
    for href in sections:
        page.goto(href)
        yes = page.locator("input.govuk-radios__input[value=yes]")
        if yes.count() == 0:  # not applicable to this case: the reason, no questions
            expect(page.locator(".govuk-inset-text").first).to_be_visible()
            axe.check("section-not-applicable")
            continue
        for radio in yes.all():
            radio.check()
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("saved")
        axe.check("section")
    page.goto(f"/cases/{case.pk}/")
    page.get_by_role("button", name="Mark case as complete").click()
    expect(page.get_by_role("heading", name=f"Case {case.ref} marked as complete")).to_be_visible()
    axe.check("case-complete")


def test_pdu_2023_inspection_from_case_sample_to_published_report(
    page, new_page, inspection, tmp_path
):
    pk = inspection.pk
    axe = Axe(page)

    # The lead uploads the case sample.
    log_in(page, "lead")
    page.goto(f"/inspections/{pk}/cases/import/")
    axe.check("import")
    sample = tmp_path / "sample.csv"
    sample.write_text(SAMPLE, encoding="utf-8")
    page.locator("#id_file").set_input_files(str(sample))
    page.get_by_role("button", name="Import cases").click()
    expect(page.get_by_role("link", name="NEW-03", exact=True)).to_be_visible()
    axe.check("case-list")
    cases = list(Case.objects.filter(inspection=inspection).order_by("ref"))
    assert [c.ref for c in cases] == ["NEW-01", "NEW-02", "NEW-03"]

    # An inspector answers every applicable question on the case pages and completes each case.
    inspector = new_page()
    inspector_axe = Axe(inspector)
    log_in(inspector, "ines")
    for case in cases:
        answer_case(inspector, inspector_axe, case)
    assert {c.status for c in Case.objects.filter(inspection=inspection)} == {"complete"}

    # The lead gives the three judgements.
    page.goto(f"/inspections/{pk}/domain1/")
    axe.check("judgements")
    for code, rating in JUDGEMENTS.items():
        page.goto(f"/inspections/{pk}/domain1/{code}/")
        axe.check("judgement-edit")
        page.get_by_label(rating, exact=True).check()
        page.get_by_role("button", name="Save rating").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("saved")
        # The standard's strengths are written on its page of the report.
        page.goto(f"/inspections/{pk}/write/standards/{code}/")
        page.get_by_role("button", name="Add sub-section").click()
        page.get_by_role("link", name="Add a strength").click()
        page.get_by_label("Strength", exact=True).fill(f"A strength recorded for {code}.")
        page.get_by_role("button", name="Add strength").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("Strength added")

    # Through moderation to the publish page, which lists the parts of the report still to
    # write, each linking to its page; then the confirmation step.
    page.goto(f"/inspections/{pk}/status/")
    axe.check("status")
    page.get_by_role("button", name="Move to moderation").click()
    axe.check("move-to-moderation")
    page.get_by_role("button", name="Move to moderation").click()
    page.get_by_role("button", name="Publish").click()
    publish_page = page.url
    axe.check("publish-blockers")
    page.get_by_role("link", name="The foreword has no signatory").click()
    page.get_by_label("Signatory").fill("Justin Russell")
    page.get_by_label("Title").fill("Chief Inspector of Probation")
    page.get_by_role("button", name="Save signatory").click()
    page.goto(publish_page)
    page.get_by_role("link", name="The report has no ISBN").click()
    page.get_by_label("ISBN").fill("978-0-306-40615-7")
    page.get_by_role("button", name="Save ISBN").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("ISBN saved")
    for part in ("foreword", "background", "acknowledgements", "annexe"):
        page.goto(publish_page)
        page.get_by_role("link", name=f"Nothing is written in the {part}").click()
        page.get_by_role("button", name="Add sub-section").click()
        page.get_by_role("link", name="Add a paragraph").click()
        page.get_by_label("Paragraph", exact=True).fill(f"The {part} of the report.")
        page.get_by_role("button", name="Add paragraph").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("Paragraph added")
    page.goto(publish_page)
    expect(page.get_by_role("heading", name="What publishing does")).to_be_visible()
    axe.check("publish-confirmation")
    page.get_by_label("I have read the report and want to publish it").check()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("The inspection is now published")).to_be_visible()
    inspection.refresh_from_db()
    assert inspection.status == "published"

    # The published report: every case standard outstanding (all yes), judgements as given.
    page.goto(f"/inspections/{pk}/report/")
    expect(page.locator("#score")).to_have_text("17/21")  # 4 x 3 + 2 + 1 + 2
    expect(page.locator("#overall-rating")).to_have_text("Good")
    for code, rating in JUDGEMENTS.items():
        expect(page.locator(f"#standard-{code.replace('.', '-')}-rating")).to_have_text(rating)
    for code in ("2.1", "2.2", "2.3", "2.4"):
        expect(page.locator(f"#standard-{code.replace('.', '-')}-rating")).to_have_text(
            "Outstanding"
        )
    body = page.locator("main").inner_text()
    assert "out of 27" not in body and "Limiting rule" not in body
    assert all(f"A strength recorded for {code}." in body for code in JUDGEMENTS)
    axe.check("report")
