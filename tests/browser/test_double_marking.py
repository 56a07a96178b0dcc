"""Blind double marking in Chromium: the lead draws the sample, a second marker answers a case
blind (its first marking nowhere on their pages), the first marker completes it, the lead
reconciles side by side and reads the agreement; then QA's query loop on an answer. axe-core on
each page."""

import re

import pytest
from playwright.sync_api import expect

from cases.case_data import framework_sections
from cases.choices import CaseStatus
from cases.models import Answer, Case, QAQuery, SecondMarking
from cases.workflow import mark_complete
from tests.browser.conftest import assert_accessible, log_in
from tests.double_marking_helpers import team_of_three

pytestmark = pytest.mark.django_db(transaction=True)

SECRET = "Seen in the first marker's reading only"


@pytest.fixture
def team(reference_inspection, lead):
    return team_of_three(reference_inspection)


def test_double_mark_blind_then_reconcile_and_read_the_agreement(page, reference_inspection, team):
    log_in(page, "lead")
    page.goto(f"/inspections/{reference_inspection.pk}/qa/")
    page.get_by_role("link", name="Double marking").click()
    page.get_by_label("Share of cases to double mark, in percent").fill("two")
    page.get_by_role("button", name="Preview the draw").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_have_text(re.compile("share of cases to double mark must be a whole"))
    expect(summary.get_by_role("listitem")).to_have_count(1)
    assert_accessible(page, "double-marking-refused")
    page.get_by_label("Share of cases to double mark, in percent").fill("20")
    page.get_by_label("Seed (optional)").fill("7")
    page.get_by_role("button", name="Preview the draw").click()
    # Shown before it is made: nothing drawn until the lead confirms.
    preview = page.get_by_role("table", name="The cases this draw gives").locator("tbody tr")
    expect(preview).to_have_count(5)
    assert not SecondMarking.objects.exists()
    assert_accessible(page, "double-marking-preview")
    page.get_by_role("button", name="Draw these cases").click()
    expect(page.get_by_text("Drew 5 cases to double mark (seed 7)")).to_be_visible()
    drawn = page.get_by_role("table", name="Cases double marked").locator("tbody tr")
    expect(drawn).to_have_count(5)
    assert_accessible(page, "double-marking-drawn")

    # The last case's second marker cannot do it: the lead gives it to someone else.
    last = SecondMarking.objects.select_related("case", "marker").order_by("case__ref").last()
    page.get_by_role("link", name=f"Change who marks {last.case.ref} second").click()
    assert_accessible(page, "second-marker")
    other = next(p for p in team if p.pk not in (last.marker_id, last.case.assigned_inspector_id))
    page.get_by_label(other.get_full_name()).check()
    page.get_by_role("button", name="Give it to them").click()
    expect(
        page.get_by_text(f"Case {last.case.ref} is now marked second by {other.get_full_name()}")
    ).to_be_visible()

    marking = SecondMarking.objects.select_related("case", "marker").order_by("case__ref")[0]
    case = marking.case
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.IN_PROGRESS)
    Answer.objects.filter(case=case).update(note=SECRET)

    page.context.clear_cookies()
    log_in(page, marking.marker.username)
    expect(page.get_by_role("heading", name="Cases you mark second")).to_be_visible()  # home
    assert_accessible(page, "home-second-marking")
    page.goto(f"/inspections/{reference_inspection.pk}/cases/")
    page.get_by_role("link", name=f"Second marking of {case.ref}").click()
    expect(page.get_by_role("heading", name=f"Second marking of case {case.ref}")).to_be_visible()
    assert SECRET not in page.content()
    page.get_by_role("button", name="Submit second marking").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("before submitting")
    assert_accessible(page, "second-marking-refused")
    for radio in page.get_by_label("Yes", exact=True).all():
        radio.check()
    page.get_by_role("button", name="Submit second marking").click()
    expect(page.get_by_text(f"Case {case.ref}: second marking submitted")).to_be_visible()
    expect(page.get_by_text("You submitted your second marking")).to_be_visible()
    assert_accessible(page, "second-marking-submitted")
    response = page.goto(f"/cases/{case.pk}/")
    assert response.status == 404  # still blind: the first marker has not finished

    case.refresh_from_db()
    _, sections = framework_sections(reference_inspection)
    assert mark_complete(case, sections, by=case.assigned_inspector)[0] == []

    page.context.clear_cookies()
    log_in(page, "lead")
    page.goto(f"/inspections/{reference_inspection.pk}/double-marking/")
    expect(page.get_by_role("heading", name="Agreement")).to_be_visible()
    expect(
        page.get_by_role("table", name="Agreement between first and second markers by key question")
    ).to_contain_text("All key questions")
    page.get_by_role("link", name=f"Both done: reconcile {case.ref}").click()
    expect(page.get_by_role("table", name="Both markings side by side")).to_be_visible()
    assert_accessible(page, "reconcile")
    differing = page.locator("fieldset").count()
    if differing:
        page.get_by_role("button", name="Record the agreed answers").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("Choose the agreed answer")
        for fieldset in page.locator("fieldset").all():
            fieldset.get_by_label("Yes", exact=True).check()
    page.get_by_label("Note (optional)").fill("Read the plan again together")
    page.get_by_role("button", name="Record the agreed answers").click()
    expect(page.get_by_text(f"Case {case.ref}: reconciled")).to_be_visible()
    assert SecondMarking.objects.get(pk=marking.pk).reconciled_at is not None
    assert_accessible(page, "double-marking-agreement")
    page.get_by_role("link", name="Calibration across inspections").click()
    expect(page.get_by_role("heading", name="Calibration across inspections")).to_be_visible()
    inspectors = page.get_by_role(
        "table", name="Each inspector's answers that were the agreed answer, by inspection"
    )
    expect(inspectors).to_contain_text(marking.marker.get_full_name())
    assert_accessible(page, "calibration")


def test_a_query_on_an_answer_from_qa_to_the_inspector_and_back(page, reference_inspection, team):
    case = Case.objects.get(inspection=reference_inspection, ref="BWD-02")
    log_in(page, "lead")
    page.goto(f"/cases/{case.pk}/")
    page.get_by_role("link", name="QA queries").click()
    page.get_by_role("button", name="Raise the query").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose the question")
    page.get_by_label("Which answer is the query about?").select_option(index=1)
    page.get_by_label("Query", exact=True).fill("Where is the risk assessment?")
    page.get_by_role("button", name="Raise the query").click()
    expect(page.get_by_text("Where is the risk assessment?")).to_be_visible()
    assert_accessible(page, "queries-open")

    page.context.clear_cookies()
    log_in(page, case.assigned_inspector.username)
    page.goto("/")
    expect(page.get_by_text("Waiting for your reply")).to_be_visible()
    assert_accessible(page, "home-with-a-query")
    page.get_by_role("link", name=re.compile(f"Case {case.ref}, ")).click()
    page.get_by_role("textbox").first.fill("In the OASys of 2 May.")
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_text("In the OASys of 2 May.")).to_be_visible()
    expect(page.get_by_role("button", name="Close the query")).to_have_count(0)

    page.context.clear_cookies()
    log_in(page, "lead")
    page.goto(f"/cases/{case.pk}/queries/")
    page.get_by_role("button", name="Close the query").click()
    expect(page.get_by_text("Closed", exact=True)).to_be_visible()
    assert QAQuery.objects.get().state == "closed"
    assert_accessible(page, "queries-closed")
