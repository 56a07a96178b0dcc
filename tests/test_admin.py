"""Django admin: every model's list and change pages work; an inspection shows its results."""

import pytest
from django.contrib import admin
from django.forms import CheckboxInput
from django.test import Client
from django.urls import reverse

from cases.choices import CaseStatus
from cases.models import Answer, Case
from tests.case_helpers import answer, case_in_progress, form_fields, team_member


@pytest.fixture
def admin_client_with_reference(client, admin_user, reference_inspection):
    client.force_login(admin_user)
    return client


@pytest.mark.django_db
def test_every_registered_model_has_working_list_and_change_pages(admin_client_with_reference):
    client = admin_client_with_reference
    for model in admin.site._registry:
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert client.get(changelist).status_code == 200, changelist
        assert client.get(changelist, {"q": "2.2"}).status_code == 200, changelist
        obj = model.objects.first()
        if obj is not None:
            change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            assert client.get(change).status_code == 200, change


@pytest.mark.django_db
def test_inspection_page_shows_computed_ratings(admin_client_with_reference, reference_inspection):
    url = reverse("admin:inspection_inspection_change", args=[reference_inspection.pk])
    page = admin_client_with_reference.get(url).content.decode()
    assert "Score:</strong> 10 out of 27" in page
    assert "Overall rating:</strong> Requires improvement" in page
    assert "2.2.3: 11/21 (52%) (lowest)" in page


@pytest.mark.django_db
def test_case_page_lists_its_answers_inline(admin_client_with_reference):
    case = Case.objects.get(ref="BWD-01")
    page = admin_client_with_reference.get(reverse("admin:cases_case_change", args=[case.pk]))
    assert page.status_code == 200
    assert page.content.decode().count('name="answers-') > Answer.objects.filter(case=case).count()


@pytest.mark.django_db
def test_admin_requires_staff(client, django_user_model):
    user = django_user_model.objects.create_user("inspector", password="x-pass-word-1")
    client.force_login(user)
    response = client.get(reverse("admin:inspection_inspection_changelist"))
    assert response.status_code == 302


# Every write to answers goes through cases.saving.save_answers, the admin's included.


def form_data(*forms) -> dict:
    """What a browser posts for these (unbound, as rendered) forms, fields as they show."""
    data = {}
    for form in forms:
        for field in form:
            value = field.value()
            if isinstance(field.field.widget, CheckboxInput):
                if value:
                    data[field.html_name] = "on"
            elif value is not None:
                data[field.html_name] = str(value)
    return data


def answer_change_form(client, answer):
    url = reverse("admin:cases_answer_change", args=[answer.pk])
    return url, form_data(client.get(url).context["adminform"].form)


def case_change_form(client, case):
    url = reverse("admin:cases_case_change", args=[case.pk])
    page = client.get(url)
    formset = page.context["inline_admin_formsets"][0].formset
    data = form_data(page.context["adminform"].form, formset.management_form, *formset.forms)
    rows = {form.instance.question.code: form.prefix for form in formset.forms}
    return url, data, rows


@pytest.mark.django_db
def test_an_admin_edit_bumps_the_version_so_a_stale_autosave_conflicts(
    admin_client_with_reference, admin_user, reference_inspection
):
    case = case_in_progress(reference_inspection)
    inspector = team_member(reference_inspection, "ines")
    stale = form_fields(case, "2.2.1", "yes", "Autosaved from a page opened earlier")
    before = answer(case, "2.2.1")

    url, data = answer_change_form(admin_client_with_reference, before)
    data.update(value="no", note="Corrected by the admin")
    assert admin_client_with_reference.post(url, data).status_code == 302
    after = answer(case, "2.2.1")
    assert (after.value, after.note, after.version) == ("no", "Corrected by the admin", 2)
    assert after.history.first().history_user == admin_user

    page = Client()
    page.force_login(inspector)
    response = page.post(reverse("cases:autosave", args=[case.pk, "2.2"]), stale)
    assert response.status_code == 409
    assert response.json()["conflicts"] == ["2.2.1"]
    assert answer(case, "2.2.1").note == "Corrected by the admin"


@pytest.mark.django_db
def test_the_case_admin_answer_inline_saves_through_the_versioned_save(
    admin_client_with_reference, reference_inspection
):
    case = case_in_progress(reference_inspection)
    inspector = team_member(reference_inspection, "ines")
    stale = form_fields(case, "2.3.1", "yes", "Autosaved from a page opened earlier")
    version = answer(case, "2.3.1").version

    url, data, rows = case_change_form(admin_client_with_reference, case)
    data[f"{rows['2.3.1']}-value"] = "na"
    response = admin_client_with_reference.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    stored = answer(case, "2.3.1")
    assert (stored.value, stored.version) == ("na", version + 1)
    assert answer(case, "2.3.2").version == version  # untouched rows are left alone

    page = Client()
    page.force_login(inspector)
    assert page.post(reverse("cases:autosave", args=[case.pk, "2.3"]), stale).status_code == 409
    assert answer(case, "2.3.1").value == "na"


@pytest.mark.django_db
def test_a_stale_admin_form_is_refused_not_saved(admin_client_with_reference, reference_inspection):
    case = case_in_progress(reference_inspection)
    inspector = team_member(reference_inspection, "ines")
    url, data = answer_change_form(admin_client_with_reference, answer(case, "2.4.2"))
    case_url, case_data, rows = case_change_form(admin_client_with_reference, case)

    page = Client()
    page.force_login(inspector)
    meanwhile = form_fields(case, "2.4.2", "na", "The inspector's own change")
    assert page.post(reverse("cases:autosave", args=[case.pk, "2.4"]), meanwhile).status_code == 200

    data.update(value="yes", note="The admin's")
    response = admin_client_with_reference.post(url, data)
    assert response.status_code == 200
    assert "was changed by someone else since this page was opened" in response.content.decode()
    case_data[f"{rows['2.4.2']}-note"] = "The admin's, in the inline"
    response = admin_client_with_reference.post(case_url, case_data)
    assert response.status_code == 200
    assert "was changed by someone else since this page was opened" in response.content.decode()
    assert answer(case, "2.4.2").note == "The inspector's own change"


@pytest.mark.django_db
def test_admin_changes_to_a_complete_case_need_a_reason_and_are_rechecked(
    admin_client_with_reference, reference_inspection
):
    case = Case.objects.get(inspection=reference_inspection, ref="BWD-01")
    assert case.status == CaseStatus.COMPLETE
    url, data = answer_change_form(admin_client_with_reference, answer(case, "2.2.1.a"))
    data["value"] = ""
    response = admin_client_with_reference.post(url, data)
    assert response.status_code == 200
    assert "Give a reason for changing the answers" in response.content.decode()
    assert answer(case, "2.2.1.a").value != ""

    data["reason"] = "Answer entered on the wrong case"
    assert admin_client_with_reference.post(url, data).status_code == 302
    stored = answer(case, "2.2.1.a")
    assert stored.value == ""
    assert stored.history.first().history_change_reason == "Answer entered on the wrong case"
    assert Case.objects.get(pk=case.pk).status == CaseStatus.IN_PROGRESS


@pytest.mark.django_db
def test_admin_cannot_set_a_case_status_and_flag_changes_are_rechecked(
    admin_client_with_reference, reference_inspection
):
    case = Case.objects.get(inspection=reference_inspection, ref="BWD-06")  # no court work
    assert case.status == CaseStatus.COMPLETE and not case.court_work
    url, data, _ = case_change_form(admin_client_with_reference, case)
    assert "status" not in data
    data["status"] = CaseStatus.SIGNED_OFF  # ignored: not a field of the form
    data["court_work"] = "on"  # now the court-work questions apply, and are unanswered
    assert admin_client_with_reference.post(url, data).status_code == 302
    assert Case.objects.get(pk=case.pk).status == CaseStatus.IN_PROGRESS


@pytest.mark.django_db
def test_answers_are_not_reverted_added_or_deleted_in_the_admin(
    admin_client_with_reference, reference_inspection
):
    case = case_in_progress(reference_inspection)
    url, data = answer_change_form(admin_client_with_reference, answer(case, "2.2.1"))
    admin_client_with_reference.post(url, {**data, "value": "na"})
    stored = answer(case, "2.2.1")
    history_id = stored.history.first().history_id
    revert = reverse("admin:cases_answer_simple_history", args=[stored.pk, history_id])
    assert admin_client_with_reference.post(revert, {**data, "value": "yes"}).status_code == 403
    assert answer(case, "2.2.1").value == "na"
    assert admin_client_with_reference.get(reverse("admin:cases_answer_add")).status_code == 403
    delete = reverse("admin:cases_answer_delete", args=[stored.pk])
    assert admin_client_with_reference.post(delete, {"post": "yes"}).status_code == 403
