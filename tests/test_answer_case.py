"""The whole case on one page (cases:answer) and its background save (cases:answer_save)."""

import re

import pytest
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


def page_url(case):
    return reverse("cases:answer", args=[case.pk])


def save_url(case):
    return reverse("cases:answer_save", args=[case.pk])


@pytest.mark.django_db
def test_the_page_shows_every_section_in_order_with_its_status(logged_in, reference_inspection):
    case = Case.objects.get(inspection=reference_inspection, ref="BWD-03")  # licence, no PSR
    response = logged_in.get(page_url(case))
    assert response.status_code == 200
    html = response.content.decode()
    codes = [item["section"].code for item in response.context["page_sections"]]
    positions = [html.index(f'id="section-{n}-heading">{code} ') for n, code in enumerate(codes, 1)]
    assert positions == sorted(positions)
    court = next(i for i in response.context["page_sections"] if not i["applies"])
    assert court["status"] == "does_not_apply" and court["rows"] == []
    assert court["section"].not_applicable_reason in html
    assert 'data-save-url="' + save_url(case) + '"' in html
    assert (
        'href="' + page_url(case) + '"'
        in logged_in.get(reverse("cases:detail", args=[case.pk])).content.decode()
    )
    assert (
        'href="' + page_url(case) + '"'
        in logged_in.get(reverse("cases:list", args=[reference_inspection.pk])).content.decode()
    )


@pytest.mark.django_db
def test_background_save_stores_answers_of_several_sections_in_one_go(
    logged_in, reference_inspection
):
    case = case_in_progress(reference_inspection)
    versions = {code: answer(case, code).version for code in ("2.2.1", "2.5.2")}
    data = {
        **form_fields(case, "2.2.1", "yes", "Seen in OASys."),
        **form_fields(case, "2.5.2", "na"),
    }
    response = logged_in.post(save_url(case), data)
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body["saved"]) == {"2.2.1", "2.5.2"}
    assert body["saved"]["2.2.1"]["version"] == versions["2.2.1"] + 1
    assert body["statuses"]["2.2"]["label"] in {"In progress", "Completed"}
    assert answer(case, "2.2.1").note == "Seen in OASys."
    assert answer(case, "2.5.2").value == "na"
    assert answer_trail(case, "2.5.2").first().new_value == "Not applicable"


@pytest.mark.django_db
def test_a_no_without_a_note_saves_and_is_reported_as_a_thing_to_fix(
    logged_in, reference_inspection
):
    case = case_in_progress(reference_inspection)
    response = logged_in.post(save_url(case), form_fields(case, "2.3.2", "no", ""))
    assert response.status_code == 200
    fixes = response.json()["fixes"]
    assert {
        "href": "#q2-3-2-note",
        "message": "Add an evidence note to 2.3.2: a No needs evidence",
    } in fixes
    assert answer(case, "2.3.2").value == "no"


@pytest.mark.django_db
def test_a_stale_version_is_a_conflict_and_nothing_is_overwritten(logged_in, reference_inspection):
    case = case_in_progress(reference_inspection)
    stale = form_fields(case, "2.4.1", "na")
    assert (
        logged_in.post(save_url(case), form_fields(case, "2.4.1", "no", "First.")).status_code
        == 200
    )
    response = logged_in.post(save_url(case), stale)
    assert response.status_code == 409
    assert response.json()["conflicts"] == ["2.4.1"]
    assert answer(case, "2.4.1").value == "no"
    # the page posted in full shows both answers to choose from
    page = logged_in.post(page_url(case), stale)
    assert page.status_code == 409
    assert "Which answer to 2.4.1 should be kept?" in page.content.decode()


@pytest.mark.django_db
def test_bad_input_is_refused_by_name_and_nothing_changes(logged_in, reference_inspection):
    case = case_in_progress(reference_inspection)
    before = answer(case, "2.2.1").value
    bad = {**form_fields(case, "2.2.1", "maybe")}
    response = logged_in.post(save_url(case), bad)
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "q2-2-1-value": "Choose yes, no or not applicable for 2.2.1"
    }
    damaged = {**form_fields(case, "2.2.2", "yes"), "q2-2-2-version": "-3"}
    response = logged_in.post(save_url(case), damaged)
    assert response.status_code == 400
    assert "The page's record of 2.2.2 is damaged" in response.json()["errors"]["q2-2-2-value"]
    page = logged_in.post(page_url(case), bad)
    assert page.status_code == 400
    assert "Choose yes, no or not applicable for 2.2.1" in page.content.decode()
    assert answer(case, "2.2.1").value == before


@pytest.mark.django_db
def test_answers_to_a_section_that_does_not_apply_are_not_stored(logged_in, reference_inspection):
    case = Case.objects.get(inspection=reference_inspection, ref="BWD-03")
    case.answers.filter(question__code__startswith="2.1").delete()
    data = {"q2-1-1-value": "yes", "q2-1-1-version": "0", "q2-1-1-loaded": ""}
    assert logged_in.post(save_url(case), data).status_code == 200
    assert not Answer.objects.filter(case=case, question__code="2.1.1").exists()


@pytest.mark.django_db
def test_a_complete_case_needs_a_reason_for_change(logged_in, reference_inspection):
    case = case_in_progress(reference_inspection)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.COMPLETE)
    response = logged_in.post(save_url(case), form_fields(case, "2.6.1", "na"))
    assert response.status_code == 400
    assert response.json()["error"] == "needs_reason"
    assert "reason for change" in response.json()["message"]
    assert 'id="reason"' in logged_in.get(page_url(case)).content.decode()
    data = {**form_fields(case, "2.6.1", "na"), "reason": "Re-read the file"}
    assert logged_in.post(save_url(case), data).status_code == 200
    assert answer_trail(case, "2.6.1").first().reason == "Re-read the file"


@pytest.mark.django_db
def test_only_the_inspection_team_may_see_or_save(client, reference_inspection, django_user_model):
    outsider = django_user_model.objects.create_user("outsider", password="pw-123456-x")
    case = case_in_progress(reference_inspection)
    before = answer(case, "2.2.1").value
    client.force_login(outsider)
    assert client.get(page_url(case)).status_code == 404
    assert client.post(save_url(case), form_fields(case, "2.2.1", "na")).status_code == 404
    assert client.post(page_url(case), form_fields(case, "2.2.1", "na")).status_code == 404
    client.logout()
    assert client.post(save_url(case), form_fields(case, "2.2.1", "na")).status_code == 401
    assert answer(case, "2.2.1").value == before


@pytest.mark.django_db
def test_a_published_inspection_is_read_only(client, published, lead):
    client.force_login(lead)  # on the team, which cannot change once published
    case = Case.objects.get(inspection=published, ref="BWD-02")
    before = answer(case, "2.2.1").value
    response = client.post(save_url(case), form_fields(case, "2.2.1", "na"))
    assert response.status_code == 403 and response.json()["error"] == "read_only"
    page = client.get(page_url(case)).content.decode()
    assert "data-save-url" not in page and "read-only" in page
    client.post(page_url(case), form_fields(case, "2.2.1", "na"))
    assert answer(case, "2.2.1").value == before


@pytest.mark.django_db
def test_the_page_without_javascript_saves_everything_and_is_honest_about_fixes(
    logged_in, reference_inspection
):
    case = case_in_progress(reference_inspection)
    data = {**form_fields(case, "2.3.3", "no", ""), **form_fields(case, "2.5.1", "yes", "Fine.")}
    response = logged_in.post(page_url(case), data, follow=True)
    html = response.content.decode()
    assert re.search(r"Saved: \d+ things? to fix", html)
    assert "govuk-notification-banner--success" not in html
    assert 'href="#q2-3-3-note"' in html
    assert answer(case, "2.3.3").value == "no" and answer(case, "2.5.1").note == "Fine."
