"""Entering case judgements: saving, validation, completion, concurrent edits and history."""

import html
import re
import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.choices import CaseStatus
from cases.models import Answer, Case
from tests.case_helpers import answer, answer_trail, case_in_progress, form_fields, team_member


@pytest.fixture
def inspector(reference_inspection):
    return team_member(reference_inspection, "ines")


@pytest.fixture
def logged_in(client, inspector):
    client.force_login(inspector)
    return client


def section_url(case, code):
    return reverse("cases:section", args=[case.pk, code])


@pytest.mark.django_db
def test_save_changes_answer_and_note_and_moves_case_into_progress(
    logged_in, reference_inspection, inspector
):
    case = case_in_progress(reference_inspection)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.NOT_STARTED)
    data = form_fields(case, "2.2.1", "yes", "Engagement was analysed well.")
    response = logged_in.post(section_url(case, "2.2"), {**data, "save": "1"})
    assert response.status_code == 302
    stored = answer(case, "2.2.1")
    assert (stored.value, stored.note, stored.updated_by) == (
        "yes",
        "Engagement was analysed well.",
        inspector,
    )
    assert Case.objects.get(pk=case.pk).status == CaseStatus.IN_PROGRESS


@pytest.mark.django_db
def test_save_and_continue_goes_to_the_next_section(logged_in, reference_inspection):
    case = case_in_progress(reference_inspection)
    data = form_fields(case, "2.2.1", "yes")
    response = logged_in.post(section_url(case, "2.2"), {**data, "continue": "1"})
    assert response.url == section_url(case, "2.3")


@pytest.mark.django_db
def test_bad_value_is_refused_and_nothing_changes(logged_in, reference_inspection):
    case = case_in_progress(reference_inspection)
    before = list(Answer.objects.filter(case=case).values_list("question_id", "value", "note"))
    data = {**form_fields(case, "2.2.1", "maybe"), **form_fields(case, "2.2.2", "yes")}
    response = logged_in.post(section_url(case, "2.2"), data)
    assert response.status_code == 400
    assert "Choose yes, no or not applicable for 2.2.1" in response.content.decode()
    assert (
        list(Answer.objects.filter(case=case).values_list("question_id", "value", "note")) == before
    )


@pytest.mark.django_db
def test_note_too_long_is_refused(logged_in, reference_inspection):
    case = case_in_progress(reference_inspection)
    response = logged_in.post(
        section_url(case, "2.2"), form_fields(case, "2.2.1", "no", "x" * 5001)
    )
    assert response.status_code == 400
    assert (
        "The evidence note for 2.2.1 must be 5,000 characters or fewer (it has 5,001)"
        in response.content.decode()
    )


@pytest.mark.django_db
def test_changing_a_complete_case_needs_a_reason_which_is_recorded(logged_in, reference_inspection):
    case = Case.objects.get(inspection=reference_inspection, ref="BWD-01")
    assert case.status == CaseStatus.COMPLETE
    old = answer(case, "2.2.1").value
    new = "yes" if old == "no" else "no"
    data = form_fields(case, "2.2.1", new, "Re-read the assessment.")
    response = logged_in.post(section_url(case, "2.2"), data)
    assert response.status_code == 400
    assert "Give a reason for changing a case that is already complete" in response.content.decode()
    assert answer(case, "2.2.1").value == old

    response = logged_in.post(section_url(case, "2.2"), {**data, "reason": "QA found a misread"})
    assert response.status_code == 302
    assert answer(case, "2.2.1").value == new
    assert answer_trail(case, "2.2.1").first().reason == "QA found a misread"


@pytest.mark.django_db
def test_completion_is_refused_with_a_blank_key_question(logged_in, reference_inspection):
    case = case_in_progress(reference_inspection)
    Answer.objects.filter(case=case, question__code="2.3.2").update(value="")
    response = logged_in.post(reverse("cases:complete", args=[case.pk]))
    assert response.status_code == 400
    page = response.content.decode()
    assert "This case cannot be marked complete yet" in page
    assert "Answer key question 2.3.2 yes, no or not applicable" in page
    assert f"{section_url(case, '2.3')}#q2-3-2-value" in page
    assert Case.objects.get(pk=case.pk).status == CaseStatus.IN_PROGRESS


@pytest.mark.django_db
def test_a_no_needs_an_evidence_note_and_prompts_under_na_are_flagged(
    logged_in, reference_inspection
):
    case = case_in_progress(reference_inspection)
    Answer.objects.filter(case=case, question__code="2.2.1").update(value="no", note="")
    Answer.objects.filter(case=case, question__code="2.4.1").update(value="na")
    Answer.objects.filter(case=case, question__code="2.4.1.a").update(value="yes")
    response = logged_in.post(reverse("cases:complete", args=[case.pk]))
    page = response.content.decode()
    assert "Add an evidence note to 2.2.1: a No needs evidence" in page
    assert "2.4.1 is not applicable, but its prompts 2.4.1.a" in page

    check = logged_in.get(
        reverse("cases:check_answers", args=[reference_inspection.pk]) + "?whose=all"
    )
    assert "Add an evidence note to 2.2.1" in check.content.decode()
    assert "2 open problems in 1 case" in check.content.decode()


@pytest.mark.django_db
def test_complete_case_succeeds_when_rules_are_met(logged_in, reference_inspection):
    case = case_in_progress(reference_inspection)
    response = logged_in.post(reverse("cases:complete", args=[case.pk]))
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).status == CaseStatus.COMPLETE


@pytest.mark.django_db
def test_later_save_of_a_stale_version_is_a_conflict_not_an_overwrite(client, reference_inspection):
    case = case_in_progress(reference_inspection)
    first = team_member(reference_inspection, "first", "Fay", "First")
    second = team_member(reference_inspection, "second", "Sid", "Second")
    loaded = form_fields(case, "2.2.1", "no", "Fay's evidence")  # both load the same version

    client.force_login(first)
    assert client.post(section_url(case, "2.2"), loaded).status_code == 302
    client.force_login(second)
    theirs = {**loaded, "q2-2-1-value": "yes", "q2-2-1-note": "Sid's evidence"}
    response = client.post(section_url(case, "2.2"), theirs)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Fay First changed this to" in page and "Fay&#x27;s evidence" in page
    assert "Sid&#x27;s evidence" in page  # the later person's text is still on the page
    assert answer(case, "2.2.1").note == "Fay's evidence"

    # Sid chooses his own: the re-rendered page carries the new version, so this save wins.
    resubmit = form_fields(case, "2.2.1", "yes", "Sid's evidence")
    assert client.post(section_url(case, "2.2"), resubmit).status_code == 302
    assert answer(case, "2.2.1").note == "Sid's evidence"
    # Both saves are in the trail, after the answer as imported.
    assert [e.new_note for e in answer_trail(case, "2.2.1")][:2] == [
        "Sid's evidence",
        "Fay's evidence",
    ]


@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_on_postgresql_never_lose_one_silently(reference_inspection):
    from cases.saving import Submitted, save_answers

    case = case_in_progress(reference_inspection)
    users = [team_member(reference_inspection, f"racer{i}") for i in range(2)]
    stored = answer(case, "2.5.2")
    barrier = threading.Barrier(2)
    results = {}

    def save(index):
        try:
            barrier.wait()
            results[index] = save_answers(
                case,
                [
                    Submitted(
                        question_id=stored.question_id,
                        code="2.5.2",
                        value=stored.value,
                        note=f"note from racer {index}",
                        version=stored.version,
                        loaded_value=stored.value,
                        loaded_note_digest="stale",
                    )
                ],
                users[index],
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    saved = [i for i, r in results.items() if r.saved]
    conflicted = [i for i, r in results.items() if r.conflicts]
    assert len(saved) == 1 and len(conflicted) == 1
    assert answer(case, "2.5.2").note == f"note from racer {saved[0]}"
    assert results[conflicted[0]].conflicts[0].theirs.note == f"note from racer {saved[0]}"


@pytest.mark.django_db
def test_history_of_an_answer_changed_three_times(client, reference_inspection):
    case = case_in_progress(reference_inspection)
    people = [team_member(reference_inspection, f"p{i}", "Person", str(i)) for i in range(3)]
    for person, (value, note) in zip(
        people, [("yes", "first"), ("no", "second"), ("na", "third")], strict=True
    ):
        client.force_login(person)
        response = client.post(section_url(case, "2.3"), form_fields(case, "2.3.1", value, note))
        assert response.status_code == 302
    page = client.get(reverse("cases:history", args=[case.pk]), {"question": "2.3.1"})
    rows = list(page.context["entries"])
    assert [(e.user.username, e.new_value, e.new_note) for e in rows[:3]] == [
        ("p2", "Not applicable", "third"),
        ("p1", "No", "second"),
        ("p0", "Yes", "first"),
    ]
    assert [e.old_value for e in rows][:2] == ["No", "Yes"]
    assert [e.reason for e in rows[3:]] == ["Imported from bundle"]  # the answer as imported
    table = page.content.decode().split("<tbody")[1]
    assert all(table.count(f"Person {i}") == 1 for i in range(3))


@pytest.mark.django_db
def test_autosave_saves_only_what_changed_and_reports_versions(logged_in, reference_inspection):
    case = case_in_progress(reference_inspection)
    version = answer(case, "2.4.2").version
    response = logged_in.post(
        reverse("cases:autosave", args=[case.pk, "2.4"]), form_fields(case, "2.4.2", "na")
    )
    assert response.status_code == 200
    body = response.json()
    assert body["saved"]["2.4.2"]["version"] == version + 1
    assert set(body["saved"]) == {"2.4.2"}
    assert answer(case, "2.4.2").value == "na"


@pytest.mark.django_db
def test_autosave_after_sign_out_answers_401(client, reference_inspection):
    case = case_in_progress(reference_inspection)
    response = client.post(
        reverse("cases:autosave", args=[case.pk, "2.4"]), form_fields(case, "2.4.2", "na")
    )
    assert response.status_code == 401


@pytest.mark.django_db
def test_post_after_session_expiry_is_saved_after_signing_in(
    client, reference_inspection, inspector
):
    """The sign-in page carries the posted answers (nothing is stored until sign-in)."""
    case = case_in_progress(reference_inspection)
    data = form_fields(case, "2.2.2", "no", "Typed before the session ran out")
    response = client.post(section_url(case, "2.2"), data)
    assert response.status_code == 401 and "Sign in" in response.content.decode()
    assert answer(case, "2.2.2").note != "Typed before the session ran out"

    pending = re.search(r'name="pending" value="([^"]*)"', response.content.decode()).group(1)
    resumed = client.post(
        "/login/",
        {
            "username": "ines",
            "password": "browser-test-password",
            "next": section_url(case, "2.2"),
            "pending": html.unescape(pending),
        },
        follow=True,
    )
    assert "your answers are now saved" in resumed.content.decode()
    assert answer(case, "2.2.2").note == "Typed before the session ran out"
    assert answer(case, "2.2.2").updated_by == inspector


@pytest.mark.django_db
def test_people_off_the_team_cannot_see_or_change_cases(
    client, reference_inspection, django_user_model
):
    outsider = django_user_model.objects.create_user("outsider", password="pw-123456-x")
    case = case_in_progress(reference_inspection)
    client.force_login(outsider)
    assert client.get(section_url(case, "2.2")).status_code == 404
    assert (
        client.post(section_url(case, "2.2"), form_fields(case, "2.2.1", "yes")).status_code == 404
    )
    assert client.get(reverse("cases:list", args=[reference_inspection.pk])).status_code == 404


def queries(client, method, url, data=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, data or {})
        assert response.status_code in (200, 302), response.status_code
    return len(captured)


@pytest.mark.django_db
def test_case_page_and_save_use_a_fixed_number_of_queries(logged_in, reference_inspection):
    """Sections range from 1 to 8 prompts per key question; the query count does not move."""
    case = case_in_progress(reference_inspection)
    pages = {
        code: queries(logged_in, "get", section_url(case, code))
        for code in ["2.1", "2.2", "2.3", "2.6", "R", "C"]
    }
    assert len(set(pages.values())) == 1, pages

    def save_everything(code, value):
        from cases.sections import case_sections
        from inspection.framework.spec import load_framework_spec

        section = next(
            s
            for s in case_sections(load_framework_spec(reference_inspection.framework_id))
            if s.code == code
        )
        data = {}
        for question in section.questions:
            data.update(form_fields(case, question.code, value))
        return queries(logged_in, "post", section_url(case, code), data)

    saves = {code: save_everything(code, "na") for code in ["2.2", "2.6", "C"]}
    assert len(set(saves.values())) == 1, saves
    assert max(pages.values()) <= 18 and max(saves.values()) <= 25


@pytest.mark.django_db
def test_section_page_flags_problems_in_what_is_answered(logged_in, reference_inspection):
    case = case_in_progress(reference_inspection)
    Answer.objects.filter(case=case, question__code="2.4.1").update(value="na")
    Answer.objects.filter(case=case, question__code="2.4.1.b").update(value="yes")
    Answer.objects.filter(case=case, question__code="2.4.2").update(value="no", note="")
    Answer.objects.filter(case=case, question__code="2.4.3").update(value="")
    page = logged_in.get(section_url(case, "2.4")).content.decode()
    assert 'id="q2-4-1-a-value-flag"' in page  # shown at the first answered prompt
    assert "2.4.1 is not applicable, but its prompts 2.4.1.a, 2.4.1.b" in page
    assert "Add an evidence note to 2.4.2: a No needs evidence" in page
    assert "Answer key question 2.4.3" not in page  # a blank is work to do, not a flag


@pytest.mark.django_db
def test_in_a_conflict_the_person_can_choose_the_other_answer(client, reference_inspection):
    case = case_in_progress(reference_inspection)
    first = team_member(reference_inspection, "first", "Fay", "First")
    second = team_member(reference_inspection, "second", "Sid", "Second")
    loaded = form_fields(case, "2.3.2", "no", "Fay's note")
    also = form_fields(case, "2.3.1", "yes", "Sid's other note")
    client.force_login(first)
    client.post(section_url(case, "2.3"), loaded)
    client.force_login(second)
    mine = {**loaded, "q2-3-2-value": "yes", "q2-3-2-note": "Sid's note", **also}
    page = client.post(section_url(case, "2.3"), mine).content.decode()
    assert "Which answer to 2.3.2 should be kept?" in page
    assert answer(case, "2.3.1").note == "Sid's other note"  # the rest saved meanwhile

    # Sid chooses Fay's answer: his page still carries his own text, but the stored one stays.
    resubmit = {**form_fields(case, "2.3.2", "yes", "Sid's note"), "resolve-2.3.2": "theirs"}
    assert client.post(section_url(case, "2.3"), resubmit).status_code == 302
    stored = answer(case, "2.3.2")
    assert (stored.value, stored.note, stored.updated_by) == ("no", "Fay's note", first)


@pytest.mark.django_db
def test_no_success_banner_while_something_needs_fixing(logged_in, reference_inspection):
    """Saving a No without its evidence note says "Saved: 1 thing to fix" at the top, linking
    to the note, not a green success banner with the warning far below."""
    case = case_in_progress(reference_inspection)
    data = form_fields(case, "2.2.1", "no", "")
    page = logged_in.post(section_url(case, "2.2"), {**data, "save": "1"}, follow=True)
    html = page.content.decode()
    assert answer(case, "2.2.1").value == "no"
    assert "Assessment saved" not in html and "govuk-notification-banner--success" not in html
    assert (
        f'<a class="govuk-notification-banner__link" href="{section_url(case, "2.2")}#q2-2-1-note">'
        "Saved: 1 thing to fix. "
        "Add an evidence note to 2.2.1: a No needs evidence</a>"
    ) in html
    assert 'id="q2-2-1-note"' in html

    data = form_fields(case, "2.2.1", "no", "The assessment missed the victim.")
    html = logged_in.post(section_url(case, "2.2"), {**data, "save": "1"}, follow=True)
    assert "Assessment saved" in html.content.decode()


@pytest.mark.django_db
def test_a_repeated_mark_complete_never_undoes_a_sign_off(logged_in, reference_inspection):
    case = case_in_progress(reference_inspection)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.SIGNED_OFF)
    response = logged_in.post(reverse("cases:complete", args=[case.pk]))
    assert response.status_code in (200, 302)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SIGNED_OFF
