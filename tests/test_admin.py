"""Django admin: every model's list and change pages work; an inspection shows its results."""

import pytest
from django.contrib import admin
from django.urls import reverse

from cases.models import Answer, Case


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
