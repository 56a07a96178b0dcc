"""Inspectors entering judgements in Chromium: save, validation, conflicts, autosave, expiry."""

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from cases.models import Case
from tests.browser.conftest import assert_accessible, log_in
from tests.case_helpers import answer, answer_trail, case_in_progress, team_member

pytestmark = pytest.mark.django_db(transaction=True)


def open_section(page, case, code):
    page.goto(f"/cases/{case.pk}/sections/{code}/")


def test_inspector_changes_answers_and_a_note_saves_and_sees_them(page, reference_inspection):
    team_member(reference_inspection, "ines")
    case = Case.objects.get(inspection=reference_inspection, ref="BWD-01")
    old = answer(case, "2.2.1").value
    new_label = "Yes" if old == "no" else "No"

    log_in(page, "ines")
    assert_accessible(page, "home")
    page.get_by_role("link", name="Blackburn with Darwen").click()
    assert_accessible(page, "case-list")
    page.get_by_role("link", name="BWD-01", exact=True).click()
    expect(page.get_by_role("heading", name="Case BWD-01")).to_be_visible()
    assert_accessible(page, "case-detail")
    page.get_by_role("link", name="2.2 Assessment").click()
    assert_accessible(page, "section")

    question = page.get_by_role(
        "group", name="2.2.1 Does assessment focus sufficiently on engaging"
    )
    question.get_by_label(new_label, exact=True).check()
    page.get_by_label("Evidence note for 2.2.1").fill("Changed after re-reading the OASys.")
    page.get_by_role("group", name="2.2.1.b").get_by_label("Not applicable").check()
    page.get_by_label("Reason for change").fill("Re-read the assessment")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Assessment saved")).to_be_visible()
    assert_accessible(page, "section-saved")

    page.reload()
    question = page.get_by_role(
        "group", name="2.2.1 Does assessment focus sufficiently on engaging"
    )
    expect(question.get_by_label(new_label, exact=True)).to_be_checked()
    expect(page.get_by_label("Evidence note for 2.2.1")).to_have_value(
        "Changed after re-reading the OASys."
    )
    expect(page.get_by_role("group", name="2.2.1.b").get_by_label("Not applicable")).to_be_checked()
    assert answer_trail(case, "2.2.1").first().reason == "Re-read the assessment"

    page.goto(f"/cases/{case.pk}/history/")
    expect(page.get_by_role("cell", name="Re-read the assessment").first).to_be_visible()
    assert_accessible(page, "history")


def test_completing_with_a_blank_key_question_shows_the_error_summary(page, reference_inspection):
    team_member(reference_inspection, "ines")
    case = case_in_progress(reference_inspection)
    case.answers.filter(question__code="2.3.2").update(value="")

    log_in(page, "ines")
    page.goto(f"/cases/{case.pk}/")
    page.get_by_role("button", name="Mark case as complete").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # GOV.UK Frontend moves focus to the summary
    link = summary.get_by_role("link", name="Answer key question 2.3.2 yes, no or not applicable")
    assert_accessible(page, "complete-error")
    link.click()
    expect(page.locator("#q2-3-2-value")).to_be_visible()
    assert page.url.endswith("/sections/2.3/#q2-3-2-value")
    page.goto(f"/inspections/{reference_inspection.pk}/check-answers/?whose=all")
    expect(page.get_by_text("Answer key question 2.3.2 yes, no or not applicable")).to_be_visible()
    assert_accessible(page, "check-answers")


def test_two_people_editing_the_same_answer_see_the_conflict_and_lose_nothing(
    new_page, reference_inspection
):
    team_member(reference_inspection, "fay", "Fay", "First")
    team_member(reference_inspection, "sid", "Sid", "Second")
    case = case_in_progress(reference_inspection)
    fay, sid = new_page(), new_page()
    log_in(fay, "fay")
    log_in(sid, "sid")
    open_section(fay, case, "2.5")
    open_section(sid, case, "2.5")  # both have the same version loaded

    fay.get_by_label("Evidence note for 2.5.1").fill("Fay: reviews were thorough.")
    fay.get_by_role("button", name="Save", exact=True).click()
    expect(fay.get_by_text("Reviewing saved")).to_be_visible()

    sid.get_by_label("Evidence note for 2.5.1").fill("Sid: no review after the new offence.")
    sid.get_by_role("button", name="Save", exact=True).click()
    summary = sid.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Someone else changed answers while you were editing")
    warning = sid.locator("#q2-5-1-value-conflict")
    expect(warning).to_contain_text("Fay First changed this")
    expect(warning).to_contain_text("Fay: reviews were thorough.")
    expect(sid.get_by_label("Evidence note for 2.5.1")).to_have_value(
        "Sid: no review after the new offence."
    )
    assert answer(case, "2.5.1").note == "Fay: reviews were thorough."
    assert_accessible(sid, "conflict")

    # Sid keeps his own note: the page now carries Fay's version, so his save goes through.
    sid.get_by_role("button", name="Save", exact=True).click()
    expect(sid.get_by_text("Reviewing saved")).to_be_visible()
    assert answer(case, "2.5.1").note == "Sid: no review after the new offence."
    notes = list(answer_trail(case, "2.5.1").values_list("new_note", flat=True))
    assert "Fay: reviews were thorough." in notes  # Fay's text is kept in the history


def test_autosave_saves_in_the_background_without_reloading(page, reference_inspection):
    team_member(reference_inspection, "ines")
    case = case_in_progress(reference_inspection)
    log_in(page, "ines")
    open_section(page, case, "2.4")
    page.evaluate("window.__sameDocument = true")
    version = answer(case, "2.4.2").version

    page.get_by_role("group", name="2.4.2 Does the implementation").get_by_label(
        "Not applicable"
    ).check()
    expect(page.locator("#autosave-status")).to_contain_text("Last saved at")
    expect(page.locator("form[data-autosave-url]")).to_have_attribute("data-save-count", "1")
    assert page.evaluate("window.__sameDocument") is True  # no navigation happened
    stored = answer(case, "2.4.2")
    assert (stored.value, stored.version) == ("na", version + 1)

    page.get_by_label("Evidence note for 2.4.2").fill("Typed, then autosaved.")
    expect(page.locator("form[data-autosave-url]")).to_have_attribute("data-save-count", "2")
    assert answer(case, "2.4.2").note == "Typed, then autosaved."
    # A later full save does not mistake the autosaved answers for someone else's.
    page.get_by_role("button", name="Save", exact=True).click()
    # Saved, with no conflict; 2.4.2's prompts are still answered under a not-applicable key
    # question, so the page says there is a thing to fix rather than a plain success.
    expect(
        page.get_by_role("link", name="Saved: 1 thing to fix. 2.4.2 is not applicable")
    ).to_be_visible()
    expect(page.get_by_text("changed by")).to_have_count(0)
    assert_accessible(page, "autosave")


def test_expired_session_keeps_what_was_typed(page, reference_inspection):
    team_member(reference_inspection, "ines")
    case = case_in_progress(reference_inspection)
    log_in(page, "ines")
    open_section(page, case, "2.3")
    Session.objects.all().delete()  # the session times out while the inspector types

    page.get_by_label("Evidence note for 2.3.1").fill("Written while signed out.")
    expect(page.locator("#autosave-status")).to_contain_text("You have been signed out")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert_accessible(page, "sign-in-to-save")
    page.get_by_label("Username").fill("ines")
    page.get_by_label("Password").fill("browser-test-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("your answers are now saved")).to_be_visible()
    expect(page.get_by_label("Evidence note for 2.3.1")).to_have_value("Written while signed out.")
    assert answer(case, "2.3.1").note == "Written while signed out."


def test_expired_session_keeps_what_was_typed_without_javascript(
    chromium, live_server, reference_inspection
):
    """Saving while signed out stores nothing on the server until the sign-in succeeds."""
    team_member(reference_inspection, "ines")
    case = case_in_progress(reference_inspection)
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        log_in(page, "ines")
        open_section(page, case, "2.3")
        Session.objects.all().delete()
        page.get_by_label("Evidence note for 2.3.1").fill("Written with scripts off.")
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.get_by_text("your answers will be saved")).to_be_visible()
        assert Session.objects.count() == 0
        page.get_by_label("Password").fill("not the password")
        page.get_by_label("Username").fill("ines")
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_text("your answers will be saved")).to_be_visible()
        assert Session.objects.count() == 0
        page.get_by_label("Password").fill("browser-test-password")
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_text("your answers are now saved")).to_be_visible()
        assert answer(case, "2.3.1").note == "Written with scripts off."
    finally:
        context.close()


def tab_to(page, selector, limit=80):
    """Press Tab until the element matching `selector` has focus; fail if it never does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"{selector} is not reachable with the Tab key")


def test_a_section_can_be_completed_by_keyboard_alone(page, reference_inspection):
    team_member(reference_inspection, "ines")
    case = case_in_progress(reference_inspection, "BWD-09")
    case.answers.filter(question__code__startswith="2.3.1").update(value="", note="")
    log_in(page, "ines")
    open_section(page, case, "2.3")
    tab_to(page, "input[name='q2-3-1-value']")
    page.keyboard.press("Space")  # selects the focused radio (Yes)
    page.keyboard.press("ArrowRight")  # moves the choice to No
    tab_to(page, "#q2-3-1-note")
    page.keyboard.type("Entered by keyboard.")
    tab_to(page, "button[name='continue']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="2.4 Implementation and delivery")).to_be_visible()
    stored = answer(case, "2.3.1")
    assert (stored.value, stored.note) == ("no", "Entered by keyboard.")


def test_everything_works_without_javascript(chromium, live_server, reference_inspection):
    team_member(reference_inspection, "ines")
    case = case_in_progress(reference_inspection, "BWD-10")
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        log_in(page, "ines")
        open_section(page, case, "2.5")
        question = page.get_by_role("group", name="2.5.2 Does reviewing focus")
        question.get_by_label("No", exact=True).check()
        page.get_by_label("Evidence note for 2.5.2").fill("Saved with scripts off.")
        page.get_by_role("button", name="Save and continue").click()
        expect(page.get_by_role("heading", name="2.6 Outcomes")).to_be_visible()
        stored = answer(case, "2.5.2")
        assert (stored.value, stored.note) == ("no", "Saved with scripts off.")
        page.goto(f"/cases/{case.pk}/")
        page.get_by_role("button", name="Mark case as complete").click()
        expect(page.get_by_text("Case BWD-10 marked as complete")).to_be_visible()
    finally:
        context.close()


def test_a_save_with_something_to_fix_says_so_at_the_top(page, reference_inspection):
    team_member(reference_inspection, "ines")
    case = case_in_progress(reference_inspection, "BWD-06")
    log_in(page, "ines")
    open_section(page, case, "2.2")
    question = page.get_by_role("group", name="2.2.1 Does assessment focus sufficiently on")
    question.get_by_label("No", exact=True).check()
    page.get_by_label("Evidence note for 2.2.1").fill("")
    page.get_by_role("button", name="Save", exact=True).click()
    banner = page.get_by_role("link", name="Saved: 1 thing to fix.")
    expect(banner).to_be_visible()
    expect(page.get_by_text("Assessment saved")).to_have_count(0)
    assert_accessible(page, "section-saved-with-a-thing-to-fix")
    banner.click()
    expect(page.get_by_label("Evidence note for 2.2.1")).to_be_in_viewport()
