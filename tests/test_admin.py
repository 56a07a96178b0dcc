"""Django admin: every model's list and change pages work; an inspection shows its results."""

import pytest
from django.contrib import admin
from django.forms import CheckboxInput
from django.urls import reverse

from cases.choices import CaseStatus
from cases.models import Answer, Case, ReliabilitySample, SecondMarking
from inspection.choices import InspectionStatus
from inspection.models import Inspection
from reports.publishing import move
from tests.admin_helpers import admin_form_data
from tests.factories import UserFactory


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


# Answers are read-only in admin: they change only through cases.saving.save_answers on the case
# pages. A case's status moves only through completion and QA.


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


def case_change_form(client, case):
    url = reverse("admin:cases_case_change", args=[case.pk])
    page = client.get(url)
    formset = page.context["inline_admin_formsets"][0].formset
    data = form_data(page.context["adminform"].form, formset.management_form, *formset.forms)
    rows = {form.instance.question.code: form.prefix for form in formset.forms}
    return url, data, rows


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
def test_admin_refuses_giving_a_case_to_its_blind_second_marker(
    admin_client_with_reference, reference_inspection
):
    case = Case.objects.get(inspection=reference_inspection, ref="BWD-06")
    case.assigned_inspector = UserFactory(username="ines")
    case.save(update_fields=["assigned_inspector"])
    second = UserFactory(username="ivan", first_name="Ivan", last_name="Inspector")
    sample = ReliabilitySample.objects.create(
        inspection=reference_inspection, share_percent=5, seed=1
    )
    SecondMarking.objects.create(
        sample=sample, case=case, marker=second, first_marker=case.assigned_inspector
    )
    url, data, _ = case_change_form(admin_client_with_reference, case)
    data["assigned_inspector"] = second.pk
    refused = admin_client_with_reference.post(url, data)
    assert refused.status_code == 200
    errors = refused.context["adminform"].form.errors["assigned_inspector"]
    assert errors == [
        "Ivan Inspector marks case BWD-06 second: choose someone else, or give the second "
        "marking to someone else on the double marking page first"
    ]
    assert Case.objects.get(pk=case.pk).assigned_inspector.username == "ines"


@pytest.mark.django_db
def test_answers_are_neither_added_changed_nor_deleted_in_the_admin(
    admin_client_with_reference, reference_inspection
):
    stored = Answer.objects.filter(case__inspection=reference_inspection).first()
    client = admin_client_with_reference
    change = reverse("admin:cases_answer_change", args=[stored.pk])
    assert client.post(change, {"value": "na"}).status_code == 403
    assert client.get(reverse("admin:cases_answer_add")).status_code == 403
    delete = reverse("admin:cases_answer_delete", args=[stored.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Answer.objects.get(pk=stored.pk).value == stored.value


@pytest.mark.django_db
def test_a_stale_inspection_form_never_undoes_a_lifecycle_move(
    admin_client_with_reference, admin_user, reference_inspection
):
    """The form was loaded in fieldwork; the inspection moved on before it was posted."""
    inspection = reference_inspection
    Inspection.objects.filter(pk=inspection.pk).update(status=InspectionStatus.FIELDWORK)
    url = reverse("admin:inspection_inspection_change", args=[inspection.pk])
    data = admin_form_data(admin_client_with_reference.get(url))
    move(Inspection.objects.get(pk=inspection.pk), InspectionStatus.MODERATION, admin_user)
    data["fieldwork_start"] = "03/04/2023"
    assert admin_client_with_reference.post(url, data).status_code == 302
    stored = Inspection.objects.get(pk=inspection.pk)
    assert stored.status == InspectionStatus.MODERATION  # not written back to fieldwork
    assert stored.fieldwork_start.isoformat() == "2023-04-03"
