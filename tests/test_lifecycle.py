"""Publishing is refused with reasons; a published inspection cannot be changed by any path."""

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from cases.choices import CaseStatus
from cases.models import Answer, Case
from inspection.choices import InspectionStatus
from inspection.lifecycle import TransitionRefused, move, publish_blockers
from inspection.models import Domain1Judgement, InspectionEvent, Recommendation
from tests.case_helpers import form_fields, team_member


@pytest.fixture
def lead(reference_inspection):
    user = team_member(reference_inspection, "lead", "Lee", "Lead")
    reference_inspection.lead_inspector = user
    reference_inspection.status = InspectionStatus.MODERATION
    reference_inspection.save()
    return user


@pytest.fixture
def published(reference_inspection, lead):
    move(reference_inspection, InspectionStatus.PUBLISHED, lead)
    return reference_inspection


@pytest.mark.django_db
def test_publishing_lists_every_reason_it_is_refused(reference_inspection, lead):
    Case.objects.filter(ref__in=["BWD-03", "BWD-07"]).update(status=CaseStatus.IN_PROGRESS)
    Domain1Judgement.objects.filter(standard__code="1.3").update(rating="")
    Domain1Judgement.objects.filter(standard__code="1.1").update(rating="good")
    with pytest.raises(TransitionRefused) as refused:
        move(reference_inspection, InspectionStatus.PUBLISHED, lead)
    reasons = refused.value.reasons
    assert "2 cases are not complete: BWD-03, BWD-07" in reasons
    assert "Domain-1 standards not yet rated: 1.3" in reasons
    assert any(r.startswith("Limiting rule broken: 1.1 cannot be rated good") for r in reasons)
    reference_inspection.refresh_from_db()
    assert reference_inspection.status == InspectionStatus.MODERATION


@pytest.mark.django_db
def test_publishing_through_the_status_page(client, reference_inspection, lead):
    client.force_login(lead)
    url = reverse("inspection:status", args=[reference_inspection.pk])
    Case.objects.filter(ref="BWD-03").update(status=CaseStatus.RETURNED)
    response = client.post(url, {"to_status": "published"})
    assert response.status_code == 400
    assert "1 case is not complete: BWD-03" in response.content.decode()
    Case.objects.filter(ref="BWD-03").update(status=CaseStatus.SIGNED_OFF)
    assert publish_blockers(reference_inspection) == []
    assert client.post(url, {"to_status": "published"}).status_code == 302
    reference_inspection.refresh_from_db()
    assert reference_inspection.status == InspectionStatus.PUBLISHED
    assert InspectionEvent.objects.get(to_status="published").by == lead


@pytest.mark.django_db
def test_reopening_needs_a_reason_which_is_recorded(client, published, lead):
    client.force_login(lead)
    url = reverse("inspection:status", args=[published.pk])
    response = client.post(url, {"to_status": "moderation"})
    assert response.status_code == 400
    assert "Give a reason for re-opening a published inspection" in response.content.decode()
    client.post(url, {"to_status": "moderation", "reason": "Factual accuracy check found an error"})
    event = InspectionEvent.objects.get(from_status="published")
    assert (event.to_status, event.reason, event.by) == (
        "moderation",
        "Factual accuracy check found an error",
        lead,
    )


@pytest.mark.django_db
def test_inspectors_cannot_move_an_inspection(client, reference_inspection, lead):
    inspector = team_member(reference_inspection, "ines")
    client.force_login(inspector)
    url = reverse("inspection:status", args=[reference_inspection.pk])
    assert client.post(url, {"to_status": "published"}).status_code == 404


def snapshot(inspection):
    return (
        list(Answer.objects.filter(case__inspection=inspection).values_list("id", "value", "note")),
        list(Case.objects.filter(inspection=inspection).values_list("id", "status", "ref")),
        list(inspection.domain1_judgements.values_list("id", "rating")),
        list(inspection.recommendations.values_list("id", "text")),
    )


@pytest.mark.django_db
def test_published_inspection_cannot_be_changed_through_pages(client, published, lead):
    before = snapshot(published)
    case = Case.objects.get(inspection=published, ref="BWD-01")
    client.force_login(lead)
    section = reverse("cases:section", args=[case.pk, "2.2"])
    data = {**form_fields(case, "2.2.1", "na", "changed"), "reason": "try"}
    assert client.post(section, data).status_code == 302  # told it is read-only
    page = client.get(section)
    assert "read-only" in page.content.decode()
    assert "data-autosave-url" not in page.content.decode()
    assert client.post(reverse("cases:autosave", args=[case.pk, "2.2"]), data).status_code == 403
    assert client.post(reverse("cases:complete", args=[case.pk])).status_code == 404
    domain1 = reverse("reports:domain1_edit", args=[published.pk, "1.2"])
    assert client.post(domain1, {"rating": "outstanding"}).status_code == 403
    recommendations = reverse("reports:recommendations", args=[published.pk])
    assert (
        client.post(recommendations, {"addressee": "pdu", "text": "x", "order": 1}).status_code
        == 403
    )
    recommendation = published.recommendations.first()
    delete = reverse("reports:recommendation_delete", args=[published.pk, recommendation.pk])
    assert client.post(delete).status_code == 403
    assert (
        client.post(reverse("cases:qa", args=[published.pk]), {"share_percent": "20"}).status_code
        == 403
    )
    csv = b"ref,sentence_type,start_date,court_work,resettlement,gender,ethnicity,disability,"
    csv += b"age_band,rosh\n"
    csv += b"NEW-1,licence,2022-08-30,no,yes,male,white,no,26-35,low\n"
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("sample.csv", csv, content_type="text/csv")
    assert (
        client.post(reverse("cases:import", args=[published.pk]), {"file": upload}).status_code
        == 403
    )
    assert snapshot(published) == before


@pytest.mark.django_db
def test_published_inspection_cannot_be_changed_through_admin(client, published, admin_user):
    before = snapshot(published)
    client.force_login(admin_user)
    change = reverse("admin:inspection_inspection_change", args=[published.pk])
    page = client.get(change)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()  # shown read-only
    case = Case.objects.get(inspection=published, ref="BWD-02")
    response = client.post(reverse("admin:cases_case_change", args=[case.pk]), {"ref": "X"})
    assert response.status_code == 403
    answer = Answer.objects.filter(case=case).first()
    assert (
        client.post(
            reverse("admin:cases_answer_delete", args=[answer.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    # The changelist's bulk delete action is refused too.
    response = client.post(
        reverse("admin:cases_case_changelist"),
        {"action": "delete_selected", "_selected_action": [case.pk], "post": "yes"},
    )
    assert response.status_code == 403
    import_url = reverse("admin:inspection_inspection_import_cases", args=[published.pk])
    assert client.get(import_url).status_code == 302
    assert snapshot(published) == before
    assert site._registry  # admin registered


@pytest.mark.django_db
def test_published_inspection_cannot_be_changed_through_the_orm(published):
    case = Case.objects.get(inspection=published, ref="BWD-01")
    answer = Answer.objects.filter(case=case).first()

    def change_year():
        published.fieldwork_start = published.fieldwork_start.replace(year=2020)
        published.save()

    attempts = [
        case.save,
        answer.delete,
        lambda: Recommendation.objects.create(inspection=published, addressee="pdu", text="new"),
        change_year,
        published.team.clear,
    ]
    for attempt in attempts:
        # Each in its own savepoint: a refused delete marks its transaction for rollback.
        with pytest.raises(PermissionDenied), transaction.atomic():
            attempt()
    assert Answer.objects.filter(pk=answer.pk).exists()
