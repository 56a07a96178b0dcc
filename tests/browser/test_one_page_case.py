"""Inspectors answering a whole case on one page (cases:answer) in Chromium: clicks and page
loads, nothing lost offline, keyboard shortcuts (and with them off), and axe in each state."""

import pytest
from playwright.sync_api import expect

from cases.case_data import answers_by_code, framework_sections
from cases.choices import CaseStatus
from cases.completeness import needing_answers
from cases.counting import attributes_of
from cases.models import Answer, Case
from cases.workflow import problems_for
from tests.browser.conftest import assert_accessible, log_in
from tests.browser.test_case_entry import tab_to
from tests.case_helpers import answer, answer_trail, case_in_progress, team_member

pytestmark = pytest.mark.django_db(transaction=True)

# The first visible question on the page with no answer chosen: its radios' name, or null.
FIRST_UNANSWERED = """() => {
  const names = [];
  const radios = document.querySelectorAll('#case-answers input[type=radio][name$="-value"]');
  for (const radio of radios) {
    if (radio.checkVisibility() && !names.includes(radio.name)) names.push(radio.name);
  }
  return names.find((n) => !document.querySelector(`input[name="${n}"]:checked`)) || null;
}"""
WAITING = """() => {
  const form = document.querySelector("#case-answers");
  const key = "case-answers:" + form.dataset.user + ":" + form.dataset.case;
  return Object.keys(JSON.parse(localStorage.getItem(key) || "{}")).length;
}"""


def blank_case(inspection, ref: str) -> Case:
    """A case of the reference inspection with every answer cleared, as a fresh one is."""
    case = Case.objects.get(inspection=inspection, ref=ref)
    Answer.objects.filter(case=case).delete()
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.NOT_STARTED)
    case.refresh_from_db()
    return case


def answer_url(case) -> str:
    return f"/cases/{case.pk}/answer/"


def wait_until_saved(page):
    """The status says saved and nothing waits in the browser's storage."""
    expect(page.locator("#save-status-text")).to_contain_text("Saved")
    for _ in range(100):
        if page.evaluate(WAITING) == 0:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{page.evaluate(WAITING)} changes still waiting")


def test_a_licence_case_goes_from_the_case_list_to_complete_in_one_click_per_answer(
    page, reference_inspection
):
    """Issue 12's target: at most one click per applicable answer plus 4, and at most 3 page
    loads after the case list, to a complete case (the one page, check your answers, done)."""
    team_member(reference_inspection, "ines")
    case = blank_case(reference_inspection, "BWD-03")  # licence, resettlement, no court work
    _, sections = framework_sections(reference_inspection)
    log_in(page, "ines")

    page.goto(f"/inspections/{reference_inspection.pk}/cases/")
    loads = []
    page.on("load", lambda _: loads.append(page.url))
    clicks = 0
    page.get_by_role("link", name="Answer BWD-03 on one page").click()
    clicks += 1
    expect(page.get_by_role("heading", name="Answer case BWD-03")).to_be_visible()
    assert_accessible(page, "one-page-fresh")
    # Court work does not apply: shown collapsed with the reason, and nothing to click.
    court = page.locator("section", has=page.get_by_role("heading", name="2.1 Court work"))
    expect(court.locator(".govuk-inset-text")).to_be_visible()
    expect(court.locator("input")).to_have_count(0)

    first_key_with_prompts = page.evaluate(
        "() => document.querySelector('details[data-prompts-for]').dataset.promptsFor"
    )
    while (name := page.evaluate(FIRST_UNANSWERED)) is not None:
        # one key question not applicable: its prompts collapse and need no answer
        value = "na" if name == first_key_with_prompts else "yes"
        page.locator(f"input[name='{name}'][value='{value}']").click()
        clicks += 1
        assert clicks < 200
    prompts = page.locator(f"details[data-prompts-for='{first_key_with_prompts}']")
    expect(prompts).not_to_have_attribute("open", "")
    expect(prompts).to_contain_text("not applicable")
    wait_until_saved(page)
    # Routine saves are shown but not read out on every answer.
    expect(page.locator("#save-status-text")).to_have_attribute("aria-live", "off")
    expect(page.locator("[data-status-for='2.1']")).to_have_text("Does not apply")
    expect(page.locator("[data-status-for='2.2']")).to_have_text("Completed")

    answers = answers_by_code(case)
    values = {code: a.value for code, a in answers.items()}
    applicable = list(needing_answers(sections, values, attributes_of(case)))
    assert problems_for(case, sections, answers) == []  # every answer saved: ready to complete

    page.get_by_role("link", name="Check your answers and mark complete").click()
    clicks += 1
    page.get_by_role("button", name="Mark complete").click()
    clicks += 1
    expect(page.get_by_role("heading", name="Case BWD-03 marked as complete")).to_be_visible()
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETE
    page_loads = len(loads)
    assert_accessible(page, "case-completed")
    # A complete case: a change needs a reason, and the page says so and why.
    page.goto(answer_url(case))
    expect(page.get_by_text("This case is already complete, so changing an answer")).to_be_visible()
    page.locator("input[type=radio][value='no']").first.click()
    expect(page.locator("#save-status-text")).to_contain_text("Give the reason for change")
    assert_accessible(page, "one-page-complete-case")
    print(
        f"\nBWD-03 from the case list to complete: {len(applicable)} applicable answers, "
        f"{clicks} clicks, {page_loads} page loads after the case list"
    )
    assert clicks <= len(applicable) + 4
    assert page_loads <= 3
    assert not any(a.value for code, a in answers.items() if code.startswith("2.1"))


def test_answers_made_offline_are_kept_and_saved_when_the_case_is_next_opened(
    page, reference_inspection
):
    team_member(reference_inspection, "ines")
    case = case_in_progress(reference_inspection, "BWD-07")
    codes = ["2.2.1", "2.3.1", "2.4.1", "2.5.1", "2.6.1"]
    before = {code: answer(case, code) for code in codes}
    wanted = {code: "na" if before[code].value != "na" else "yes" for code in codes}
    log_in(page, "ines")
    page.goto(answer_url(case))
    context = page.context

    context.set_offline(True)
    for code in codes:
        page.locator(
            f"input[name='q{code.replace('.', '-')}-value'][value='{wanted[code]}']"
        ).click()
    status = page.locator("#save-status-text")
    expect(status).to_contain_text("Offline: 5 changes waiting")
    assert_accessible(page, "one-page-offline")
    page.close()
    assert all(answer(case, code).value == before[code].value for code in codes)

    context.set_offline(False)
    again = context.new_page()
    again.goto(answer_url(case))
    wait_until_saved(again)
    for code in codes:
        stored = answer(case, code)
        assert (stored.value, stored.version) == (wanted[code], before[code].version + 1)
        assert answer_trail(case, code).first().version == stored.version
    again.goto(f"/cases/{case.pk}/history/")
    for code in codes:
        expect(again.get_by_role("cell", name=code, exact=True).first).to_be_visible()


def test_a_section_is_answered_by_keyboard_with_shortcuts_and_without_them(
    page, reference_inspection
):
    team_member(reference_inspection, "ines")
    case = case_in_progress(reference_inspection, "BWD-09")
    case.answers.filter(question__code__startswith="2.3").update(value="", note="")
    case.answers.filter(question__code__startswith="2.4.1").update(value="", note="")
    log_in(page, "ines")
    page.goto(answer_url(case))
    expect(page.get_by_text("Y Yes, N No, A Not applicable")).to_be_visible()

    tab_to(page, "a[href='#section-3']")  # 2.3 Planning in the side navigation
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "q2-3-1-value"
    names = page.evaluate(
        """() => [...new Set([...document.querySelectorAll('#section-3 input[type=radio]')]
        .map((r) => r.name))]"""
    )
    page.keyboard.press("n")  # 2.3.1: No
    for _ in names[1:]:
        page.keyboard.press("j")
        page.keyboard.press("y")
    page.keyboard.press("k")
    page.keyboard.press("a")  # the last prompt: changed to not applicable
    assert page.evaluate("document.activeElement.name") == names[-2]
    wait_until_saved(page)
    stored = answers_by_code(case)
    assert stored["2.3.1"].value == "no"
    assert all(
        stored[n.removeprefix("q").removesuffix("-value").replace("-", ".")].value for n in names
    )
    assert (
        stored[names[-2].removeprefix("q").removesuffix("-value").replace("-", ".")].value == "na"
    )
    # The No needs a note: the status says so and links to it.
    expect(page.locator("#save-status-text")).to_contain_text("Saved: 1 thing to fix")
    expect(page.locator("#save-status-text")).to_have_attribute("aria-live", "polite")
    page.locator("#save-status-text a").click()
    expect(page.locator("#q2-3-1-note")).to_be_focused()
    assert_accessible(page, "one-page-to-fix")
    page.keyboard.type("Typed, not a shortcut: y n a j k.")
    wait_until_saved(page)
    assert answer(case, "2.3.1").note == "Typed, not a shortcut: y n a j k."

    # Shortcuts off (remembered): the keys do nothing; Tab and Space still answer.
    page.get_by_label("Use keyboard shortcuts").uncheck()
    page.reload()
    expect(page.get_by_label("Use keyboard shortcuts")).not_to_be_checked()
    page.locator("#q2-3-3-value").focus()
    tab_to(page, "input[name='q2-4-1-value']")
    page.keyboard.press("n")
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.name") == "q2-4-1-value"
    expect(page.locator("input[name='q2-4-1-value']:checked")).to_have_count(0)
    page.keyboard.press("Space")  # selects the focused radio: Yes
    wait_until_saved(page)
    assert answer(case, "2.4.1").value == "yes"


def test_a_conflict_shows_both_answers_to_choose_from(new_page, reference_inspection):
    team_member(reference_inspection, "fay", "Fay", "First")
    team_member(reference_inspection, "sid", "Sid", "Second")
    case = case_in_progress(reference_inspection, "BWD-05")
    fay, sid = new_page(), new_page()
    log_in(fay, "fay")
    log_in(sid, "sid")
    fay.goto(answer_url(case))
    sid.goto(answer_url(case))
    fay.locator("input[name='q2-5-1-value'][value='na']").click()
    wait_until_saved(fay)

    sid.locator("input[name='q2-5-1-value'][value='no']").click()
    summary = sid.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Someone else changed answers while you were editing")
    expect(sid.locator("#q2-5-1-value-conflict")).to_contain_text("Fay First changed this")
    assert answer(case, "2.5.1").value == "na"
    assert sid.evaluate(WAITING) == 0  # Sid's answer is on the page, waiting on his choice
    assert_accessible(sid, "one-page-conflict")
    sid.get_by_role("button", name="Save", exact=True).click()  # keeps his own
    assert answer(case, "2.5.1").value == "no"


BLANK_RADIO_GROUPS = """(section) => [...new Set([...document.querySelectorAll(
    `#${section} input[type=radio]`)].filter((r) => r.checkVisibility()).map((r) => r.name))]"""


@pytest.mark.parametrize("shortcuts", [True, False], ids=["shortcuts", "shortcuts-off"])
def test_a_case_is_completed_by_keyboard_alone(page, reference_inspection, shortcuts):
    """From the one page to a complete case without the mouse: Y and J with the shortcuts on;
    Tab and Space with them turned off (the setting itself reached by keyboard)."""
    team_member(reference_inspection, "ines")
    case = case_in_progress(reference_inspection, "BWD-11")
    blanked = case.answers.filter(question__standard__name="Reviewing")
    assert blanked.update(value="", note="") > 5
    log_in(page, "ines")
    page.goto(answer_url(case))
    if not shortcuts:
        tab_to(page, "input#use-shortcuts")
        page.keyboard.press("Space")
        page.reload()
        expect(page.get_by_label("Use keyboard shortcuts")).not_to_be_checked()
    section = page.evaluate(
        "() => [...document.querySelectorAll('section[id^=section-]')].find("
        "(s) => s.querySelector('h2').textContent.includes('Reviewing')).id"
    )
    names = page.evaluate(BLANK_RADIO_GROUPS, section)
    assert names and page.locator(f"#{section} input[type=radio]:checked").count() == 0
    for index, name in enumerate(names):
        if shortcuts:
            if index == 0:
                tab_to(page, f"input[name='{name}']", limit=400)
            else:
                page.keyboard.press("j")
            page.keyboard.press("y")
        else:
            tab_to(page, f"input[name='{name}']", limit=400)
            page.keyboard.press("Space")  # the group's first radio: Yes
    wait_until_saved(page)
    tab_to(page, "a[href$='/check/']", limit=400)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    tab_to(page, "main button.govuk-button", limit=600)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Case BWD-11 marked as complete")).to_be_visible()
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETE
    assert all(a.value == "yes" for a in case.answers.filter(question__standard__name="Reviewing"))


def test_one_inspectors_waiting_changes_are_never_sent_under_anothers_sign_in(
    page, reference_inspection
):
    """A shared laptop: Ines answers offline and closes the page; Sid signs in on the same
    browser and opens the case. Nothing of Ines's is sent as Sid's; it waits for her."""
    team_member(reference_inspection, "ines")
    team_member(reference_inspection, "sid", "Sid", "Second")
    case = case_in_progress(reference_inspection, "BWD-13")
    before = answer(case, "2.2.1")
    wanted = "na" if before.value != "na" else "yes"
    log_in(page, "ines")
    page.goto(answer_url(case))
    context = page.context
    context.set_offline(True)
    page.locator(f"input[name='q2-2-1-value'][value='{wanted}']").click()
    expect(page.locator("#save-status-text")).to_contain_text("Offline: 1 change waiting")
    page.close()

    context.set_offline(False)
    context.clear_cookies()
    sid = context.new_page()
    log_in(sid, "sid")
    sid.goto(answer_url(case))
    sid.wait_for_timeout(1500)  # time for any replay to have happened
    assert sid.evaluate(WAITING) == 0  # Sid has nothing waiting of his own
    stored = answer(case, "2.2.1")
    assert (stored.value, stored.version) == (before.value, before.version)

    context.clear_cookies()
    ines = context.new_page()
    log_in(ines, "ines")
    ines.goto(answer_url(case))
    wait_until_saved(ines)
    stored = answer(case, "2.2.1")
    assert stored.value == wanted and stored.updated_by.username == "ines"
