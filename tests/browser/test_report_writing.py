"""The lead writes the report in Chromium: a sub-section under a standard with two strengths,
reordered, one removed through its confirmation, previewed in the report; the same with
JavaScript off; the text of an item autosaved as it is typed; axe-core on every editing page."""

import re

import pytest
from playwright.sync_api import expect

from inspection.models import ReportItem, ReportSubsection
from tests.browser.conftest import assert_accessible, log_in
from tests.case_helpers import team_member

pytestmark = pytest.mark.django_db(transaction=True)

FIRST = "Practitioners knew the local housing providers well"
SECOND = "Release plans were agreed with prison staff in good time"


@pytest.fixture
def lead(reference_inspection):
    user = team_member(reference_inspection, "lee", "Lee", "Lead")
    reference_inspection.lead_inspector = user
    reference_inspection.save()
    return user


def strengths_on_the_page(page):
    section = page.get_by_role("region", name="Housing on release")
    return section.locator("li[id^=item-] p").all_inner_texts()


def write_reorder_remove_preview(page, inspection, *, check_axe: bool):
    log_in(page, "lee")
    page.goto(f"/inspections/{inspection.pk}/status/")
    page.get_by_role("link", name="Write the report").click()
    expect(page.get_by_role("heading", name="Write the report", level=1)).to_be_visible()
    if check_axe:
        assert_accessible(page, "write-overview")
    page.get_by_role("link", name="Write 1.3 Services").click()
    expect(page.get_by_role("heading", name="1.3 Services", level=1)).to_be_visible()
    if check_axe:
        assert_accessible(page, "write-standard")

    page.get_by_label("Heading").fill("Housing on release")
    page.get_by_role("button", name="Add sub-section").click()
    section = page.get_by_role("region", name="Housing on release")
    expect(section).to_be_visible()
    for text in (FIRST, SECOND):
        section = page.get_by_role("region", name="Housing on release")
        section.get_by_role("link", name="Add a strength").click()
        expect(page.get_by_role("heading", name=re.compile("Add a strength"))).to_be_visible()
        if check_axe and text == FIRST:
            assert_accessible(page, "write-add-item")
        page.get_by_label("Strength", exact=True).fill(text)
        page.get_by_role("button", name="Add strength").click()
    assert strengths_on_the_page(page) == [FIRST, SECOND]

    section = page.get_by_role("region", name="Housing on release")
    section.get_by_role("button", name="Move up strength 2").click()
    assert strengths_on_the_page(page) == [SECOND, FIRST]

    section = page.get_by_role("region", name="Housing on release")
    section.get_by_role("link", name="Remove strength 2").click()
    expect(
        page.get_by_role("heading", name="Are you sure you want to remove this strength?")
    ).to_be_visible()
    expect(page.get_by_text(FIRST)).to_be_visible()
    if check_axe:
        assert_accessible(page, "write-remove-item")
    page.get_by_role("button", name="Yes, remove the strength").click()
    assert strengths_on_the_page(page) == [SECOND]
    subsection = ReportSubsection.objects.get(inspection=inspection, heading="Housing on release")
    assert list(subsection.items.values_list("text", flat=True)) == [SECOND]

    page.get_by_role("link", name="Preview 1.3 Services in the report").click()
    expect(page.get_by_role("heading", name="Inspection report", level=1)).to_be_visible()
    assert page.url.endswith("/report/#standard-1-3"), page.url
    expect(page.locator("#standard-1-3")).to_be_in_viewport()
    expect(page.get_by_text(SECOND)).to_be_visible()  # the sub-section, as the report gives it
    expect(page.get_by_text(FIRST)).to_have_count(0)  # removed


def test_the_lead_writes_reorders_removes_and_previews(page, lead, reference_inspection):
    write_reorder_remove_preview(page, reference_inspection, check_axe=True)


def test_the_same_without_javascript(chromium, live_server, lead, reference_inspection):
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(10_000)
    try:
        write_reorder_remove_preview(context.new_page(), reference_inspection, check_axe=False)
    finally:
        context.close()


def test_an_items_text_saves_as_it_is_typed(page, lead, reference_inspection):
    item = ReportItem.objects.filter(
        subsection__inspection=reference_inspection, list="strengths"
    ).first()
    log_in(page, "lee")
    page.goto(f"/inspections/{reference_inspection.pk}/write/items/{item.pk}/")
    assert_accessible(page, "write-item")
    box = page.get_by_label("Strength", exact=True)
    box.fill("Typed, never submitted")
    expect(page.locator("#autosave-status")).to_contain_text("Saved")
    item.refresh_from_db()
    assert item.text == "Typed, never submitted"
    box.fill("Typed again")  # the page's version follows each save: no conflict with itself
    expect(page.locator("[data-report-autosave] form")).to_have_attribute("data-save-count", "2")
    item.refresh_from_db()
    assert item.text == "Typed again"


def test_a_stale_page_shows_both_texts(new_page, lead, reference_inspection):
    item = ReportItem.objects.filter(
        subsection__inspection=reference_inspection, list="strengths"
    ).first()
    first, second = new_page(), new_page()
    for tab in (first, second):
        log_in(tab, "lee")
        tab.goto(f"/inspections/{reference_inspection.pk}/write/items/{item.pk}/")
    first.get_by_label("Strength", exact=True).fill("From the first tab")
    expect(first.locator("#autosave-status")).to_contain_text("Saved")
    second.get_by_label("Strength", exact=True).fill("From the second tab")
    expect(second.get_by_role("heading", name="What is saved now")).to_be_visible()
    expect(second.locator("#stored-text")).to_have_text("From the first tab")
    expect(second.get_by_label("Strength", exact=True)).to_have_value("From the second tab")
    assert_accessible(second, "write-item-stale")
    item.refresh_from_db()
    assert item.text == "From the first tab"


def test_axe_finds_nothing_on_the_other_editing_pages(page, lead, reference_inspection):
    pk = reference_inspection.pk
    subsection = ReportSubsection.objects.filter(
        inspection=reference_inspection, part="standard"
    ).first()
    log_in(page, "lee")
    page.goto(f"/inspections/{pk}/write/part/foreword/")
    assert_accessible(page, "write-foreword")
    page.get_by_role("button", name="Add sub-section").click()
    page.get_by_role("link", name="Add a paragraph").last.click()
    page.get_by_role("button", name="Add paragraph").click()  # empty: the error summary
    expect(page.get_by_role("link", name="Enter the paragraph")).to_be_visible()
    assert_accessible(page, "write-add-paragraph-error")
    page.get_by_label("Paragraph", exact=True).fill("See {9.9.9}")
    page.get_by_role("button", name="Add paragraph").click()
    expect(page.get_by_role("link", name=re.compile(r"\{9\.9\.9\}: there is no"))).to_be_visible()

    for path, name in [
        (f"subsections/{subsection.pk}/", "write-heading"),
        (f"subsections/{subsection.pk}/remove/", "write-remove-subsection"),
        ("signatory/", "write-signatory"),
        ("facts/", "write-facts"),
        ("footnotes/", "write-footnotes"),
    ]:
        page.goto(f"/inspections/{pk}/write/{path}")
        assert_accessible(page, name)

    page.goto(f"/inspections/{pk}/write/facts/")
    page.get_by_label("Key").fill("test_rate")
    page.get_by_label("Label").fill("Proven reoffending rate")
    page.get_by_label("Value").fill("28.7")
    page.get_by_role("button", name="Save fact").click()
    page.get_by_role("link", name="Change test_rate").click()
    assert_accessible(page, "write-fact-edit")
    page.goto(f"/inspections/{pk}/write/facts/")
    page.get_by_role("link", name="Remove test_rate").click()
    assert_accessible(page, "write-fact-remove")
