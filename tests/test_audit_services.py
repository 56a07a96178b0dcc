"""Each service records its change in the trail; Django admin goes through the same services."""

import pytest
from django.urls import reverse

from cases.models import Answer, Case
from inspection.choices import AuditKind, InspectionStatus
from inspection.framework.versioning import copy_framework
from inspection.models import AuditEntry, Domain1Judgement
from reports.publishing import move
from tests.admin_helpers import admin_form_data
from tests.case_helpers import team_member
from tests.factories import InspectionFactory


@pytest.fixture
def lead(reference_inspection):
    user = team_member(reference_inspection, "lee", "Lee", "Lead")
    reference_inspection.lead_inspector = user
    reference_inspection.save()
    return user


def trail(inspection, kind, **filters):
    entries = AuditEntry.objects.filter(inspection=inspection, kind=kind, **filters)
    return list(
        entries.order_by("at", "id").values_list("user_name", "subject", "old_value", "new_value")
    )


def imported(entries):
    return [e for e in entries if e[0] == ""]


@pytest.mark.django_db
def test_recommendations_added_changed_and_removed_on_the_lead_pages(
    client, reference_inspection, lead
):
    client.force_login(lead)
    url = reverse("reports:recommendations", args=[reference_inspection.pk])
    data = {"addressee": "region", "text": "Share learning", "order": "12"}
    assert client.post(url, data).status_code == 302
    added = reference_inspection.recommendations.get(order=12)
    edit = reverse("reports:recommendation_edit", args=[reference_inspection.pk, added.pk])
    assert client.post(edit, {**data, "text": "Share learning widely"}).status_code == 302
    assert client.post(edit, {**data, "text": "Share learning widely"}).status_code == 302
    delete = reverse("reports:recommendation_delete", args=[reference_inspection.pk, added.pk])
    assert client.post(delete).status_code == 302
    entries = trail(reference_inspection, AuditKind.RECOMMENDATION)
    assert len(imported(entries)) == 9
    subject = "Recommendation 12 (The region)"
    assert entries[9:] == [  # the unchanged second save records nothing
        ("Lee Lead", subject, "", "The region, number 12: Share learning"),
        (
            "Lee Lead",
            subject,
            "The region, number 12: Share learning",
            "The region, number 12: Share learning widely",
        ),
        ("Lee Lead", subject, "The region, number 12: Share learning widely", ""),
    ]


@pytest.mark.django_db
def test_lifecycle_moves_assignment_and_dip_samples_are_recorded(
    client, reference_inspection, lead
):
    inspector = team_member(reference_inspection, "ines", "Ines", "Inspector")
    client.force_login(lead)
    case = Case.objects.get(inspection=reference_inspection, ref="BWD-03")
    client.post(reverse("cases:assign", args=[case.pk]), {"inspector": inspector.pk})
    client.post(reverse("cases:qa", args=[reference_inspection.pk]), {"share_percent": "10"})
    move(reference_inspection, InspectionStatus.MODERATION, lead)

    assert trail(reference_inspection, AuditKind.CASE_DETAILS, case_id=case.pk) == [
        ("Lee Lead", "Assigned inspector", "", "Ines Inspector")
    ]
    assert trail(reference_inspection, AuditKind.QA) == [
        ("Lee Lead", "Dip sample", "", "10% drawn: 3 of 21 complete cases")
    ]
    assert trail(reference_inspection, AuditKind.LIFECYCLE) == [
        ("", "Status", "", "Fieldwork"),
        ("Lee Lead", "Status", "Fieldwork", "Moderation"),
    ]


@pytest.mark.django_db
def test_admin_inspection_page_changes_go_through_the_services(
    client, reference_inspection, lead, admin_user, django_user_model
):
    inspector = team_member(reference_inspection, "ines", "Ines", "Inspector")
    newcomer = django_user_model.objects.create_user("nia", first_name="Nia", last_name="New")
    client.force_login(admin_user)
    url = reverse("admin:inspection_inspection_change", args=[reference_inspection.pk])
    data = admin_form_data(client.get(url))
    data["team"] = [str(lead.pk), str(newcomer.pk)]  # Ines off, Nia on
    data["lead_inspector"] = str(newcomer.pk)
    recommendation = next(k for k, v in data.items() if k.endswith("-text"))
    data[recommendation] = "Rewritten in admin"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    team = trail(reference_inspection, AuditKind.TEAM)
    assert team == [
        ("admin", "Lead inspector", "Lee Lead", "Nia New"),
        ("admin", "Ines Inspector", "On the team", ""),
        ("admin", "Nia New", "", "On the team"),
    ]
    assert set(reference_inspection.team.all()) == {lead, newcomer}
    assert inspector not in reference_inspection.team.all()
    changed = trail(reference_inspection, AuditKind.RECOMMENDATION)[9:]
    assert [(who, new.split(": ", 1)[1]) for who, _, _, new in changed] == [
        ("admin", "Rewritten in admin")
    ]

    # A domain-1 rating the limiting rules refuse is refused here too, and nothing is saved.
    data = admin_form_data(client.get(url))
    rating = next(k for k, v in data.items() if k.endswith("-rating") and k.startswith("domain1"))
    assert Domain1Judgement.objects.get(standard__code="1.1").rating == data[rating]
    data[rating] = "good"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "1.1 cannot be rated good" in response.content.decode().replace("&#x27;", "'")
    assert trail(reference_inspection, AuditKind.DOMAIN1, user_name="admin") == []
    data[rating] = "inadequate"
    assert client.post(url, data).status_code == 302
    assert trail(reference_inspection, AuditKind.DOMAIN1, user_name="admin") == [
        ("admin", "1.1 rating", "Requires improvement", "Inadequate")
    ]


@pytest.mark.django_db
def test_admin_case_changes_and_deletion_are_recorded(client, reference_inspection, admin_user):
    case = Case.objects.get(inspection=reference_inspection, ref="BWD-05")
    client.force_login(admin_user)
    url = reverse("admin:cases_case_change", args=[case.pk])
    data = admin_form_data(client.get(url))
    data.update(rosh="very_high", status="in_progress", practitioners="3")
    assert client.post(url, data).status_code == 302
    assert trail(reference_inspection, AuditKind.CASE_DETAILS, case_id=case.pk) == [
        ("admin", "RoSH level", "Medium", "Very high"),
        ("admin", "Allocated practitioners", "1", "3"),
    ]
    # The status is not the admin's to set: it moves only through completion and QA.
    case.refresh_from_db()
    assert case.status == "complete"

    answers = Answer.objects.filter(case=case).count()
    delete = reverse("admin:cases_case_delete", args=[case.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not Case.objects.filter(pk=case.pk).exists()
    removed = AuditEntry.objects.filter(case_id=case.pk).order_by("-at", "-id").first()
    assert (removed.case_ref, removed.old_value, removed.new_value) == (
        "BWD-05",
        f"Complete, {answers} answers",
        "Removed",
    )
    # Everything recorded about the case is still there, by reference.
    assert AuditEntry.objects.filter(case_id=case.pk, kind=AuditKind.ANSWER).count() == answers


@pytest.mark.django_db
def test_answers_and_qa_records_are_read_only_in_admin(client, reference_inspection, admin_user):
    client.force_login(admin_user)
    answer = Answer.objects.filter(case__inspection=reference_inspection).first()
    url = reverse("admin:cases_answer_change", args=[answer.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="value"' not in page.content.decode()
    assert client.post(url, {"value": "no"}).status_code == 403
    entry = AuditEntry.objects.filter(inspection=reference_inspection).first()
    entry_url = reverse("admin:inspection_auditentry_change", args=[entry.pk])
    assert client.post(entry_url, {"reason": "tidied"}).status_code == 403
    assert client.get(reverse("admin:inspection_auditentry_changelist")).status_code == 200


@pytest.mark.django_db
def test_deleting_an_inspection_in_admin_is_recorded_and_keeps_the_trail(
    client, reference_inspection, admin_user
):
    client.force_login(admin_user)
    pk, name = reference_inspection.pk, str(reference_inspection)
    before = AuditEntry.objects.filter(inspection_id=pk).count()
    delete = reverse("admin:inspection_inspection_delete", args=[pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not Case.objects.filter(inspection_id=pk).exists()
    entries = AuditEntry.objects.filter(inspection_id=pk).order_by("-at", "-id")
    assert entries.count() == before + 1
    assert (entries[0].subject, entries[0].old_value, entries[0].new_value) == (
        "Inspection",
        name,
        "Deleted",
    )


@pytest.mark.django_db
def test_framework_changes_in_admin_are_recorded_for_unpublished_inspections(
    client, reference_inspection, admin_user, framework
):
    # Only a version no inspection past planning uses can change: a copy, with one inspection
    # still in planning on it, and the reference inspection (past planning) on the original.
    version_2 = copy_framework(framework)
    planning = InspectionFactory(framework=version_2, status=InspectionStatus.PLANNING)
    client.force_login(admin_user)
    url = reverse(
        "admin:inspection_question_change", args=[version_2.questions.get(code="2.2.1").pk]
    )
    data = admin_form_data(client.get(url))
    data["text"] = data["text"] + " (reworded)"
    assert client.post(url, data).status_code == 302
    entries = trail(planning, AuditKind.FRAMEWORK)
    assert [(who, subject) for who, subject, _, _ in entries] == [("admin", "Question 2.2.1: Text")]
    assert entries[0][3].endswith(" (reworded)") and not entries[0][2].endswith(" (reworded)")
    assert trail(reference_inspection, AuditKind.FRAMEWORK) == []

    # A band edited inline on the framework's page.
    url = reverse("admin:inspection_framework_change", args=[version_2.pk])
    data = admin_form_data(client.get(url))
    band = next(k for k in data if k.startswith("rating_bands-") and k.endswith("-min_percent"))
    old = data[band]
    data[band] = "99.00"
    assert client.post(url, data).status_code == 302
    subject, before, after = trail(planning, AuditKind.FRAMEWORK)[-1][1:]
    assert subject.startswith("Rating band ") and subject.endswith(": Min percent")
    assert (before, after) == (old, "99.00")
