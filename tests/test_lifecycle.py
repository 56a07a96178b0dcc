"""Publishing is refused with reasons; a published inspection cannot be changed by any path."""

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from cases.choices import CaseStatus
from cases.models import Answer, Case
from inspection import lifecycle
from inspection.choices import InspectionStatus
from inspection.lifecycle import TransitionRefused
from inspection.models import Domain1Judgement, Inspection, InspectionEvent, Recommendation
from reports import publishing
from reports.publishing import move
from tests.case_helpers import form_fields, team_member
from tests.page_text import page_text


@pytest.mark.django_db
def test_publishing_lists_every_reason_it_is_refused(reference_inspection, lead):
    Case.objects.filter(ref__in=["BWD-03", "BWD-07"]).update(status=CaseStatus.IN_PROGRESS)
    Domain1Judgement.objects.filter(standard__code="1.3").update(rating="")
    Domain1Judgement.objects.filter(standard__code="1.1").update(rating="good")
    with pytest.raises(TransitionRefused) as refused:
        move(reference_inspection, InspectionStatus.PUBLISHED, lead)
    reasons = refused.value.reasons
    assert "2 cases are not complete: BWD-03, BWD-07" in reasons
    assert "Standards rated by judgement not yet rated: 1.3" in reasons
    assert any(r.startswith("Limiting rule broken: 1.1 cannot be rated good") for r in reasons)
    reference_inspection.refresh_from_db()
    assert reference_inspection.status == InspectionStatus.MODERATION


def test_a_bare_status_move_never_publishes(reference_inspection, lead):
    """Publishing is the report layer's service: the lifecycle's primitive, called without it,
    refuses, even for an inspection nothing stops (its checks and record are not skipped)."""
    assert publishing.publish_blockers(reference_inspection) == []
    with pytest.raises(TransitionRefused) as refused:
        lifecycle.move(reference_inspection, InspectionStatus.PUBLISHED, lead)
    assert refused.value.reasons == [lifecycle.PUBLISH_ELSEWHERE]
    reference_inspection.refresh_from_db()
    assert reference_inspection.status == InspectionStatus.MODERATION
    assert not InspectionEvent.objects.filter(to_status=InspectionStatus.PUBLISHED).exists()
    publishing.publish(reference_inspection, lead)
    assert reference_inspection.status == InspectionStatus.PUBLISHED


@pytest.mark.django_db
def test_the_status_page_does_not_publish_in_one_click(client, reference_inspection, lead):
    client.force_login(lead)
    url = reverse("inspection:status", args=[reference_inspection.pk])
    page = client.get(url).content.decode()
    publish_page = reverse("reports:publish", args=[reference_inspection.pk])
    assert f'href="{publish_page}"' in page and 'value="published"' not in page
    response = client.post(url, {"to_status": "published"})
    assert response.status_code == 400
    assert "Publish: use its own page, which asks you to confirm" in response.content.decode()
    reference_inspection.refresh_from_db()
    assert reference_inspection.status == InspectionStatus.MODERATION
    assert not InspectionEvent.objects.exists()


@pytest.mark.django_db
def test_a_move_back_is_one_button_and_says_where_it_went(client, reference_inspection, lead):
    client.force_login(lead)
    url = reverse("inspection:status", args=[reference_inspection.pk])
    response = client.post(url, {"to_status": "fieldwork"}, follow=True)
    assert "The inspection has moved back to fieldwork" in response.content.decode()
    reference_inspection.refresh_from_db()
    assert reference_inspection.status == InspectionStatus.FIELDWORK


@pytest.mark.django_db
def test_reopening_says_what_it_does_and_needs_a_reason_which_is_recorded(client, published, lead):
    client.force_login(lead)
    status = reverse("inspection:status", args=[published.pk])
    reopen = reverse("inspection:reopen", args=[published.pk])
    assert f'href="{reopen}"' in client.get(status).content.decode()
    assert client.post(status, {"to_status": "moderation", "reason": "x"}).status_code == 400
    page = page_text(client.get(reopen).content.decode())
    assert "its cases, ratings, written report and recommendations can be changed again" in page
    assert "the record stored when it was published is kept, unchanged" in page
    response = client.post(reopen, {"reason": "  "})
    assert response.status_code == 400
    assert "Give a reason for re-opening a published inspection" in response.content.decode()
    assert not InspectionEvent.objects.filter(from_status="published").exists()
    response = client.post(reopen, {"reason": "Factual accuracy check found an error"}, follow=True)
    assert "The inspection is re-opened: it is in moderation again" in response.content.decode()
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


# --- Django admin: the lifecycle only through lifecycle.move --------------------------------------


def admin_action(client, action, *inspections, **more):
    return client.post(
        reverse("admin:inspection_inspection_changelist"),
        {"action": action, "_selected_action": [i.pk for i in inspections], **more},
        follow=True,
    )


@pytest.mark.django_db
def test_admin_publish_asks_first_listing_what_stops_each_then_refuses_with_every_reason(
    client, admin_user, reference_inspection, lead
):
    Case.objects.filter(ref__in=["BWD-03", "BWD-07"]).update(status=CaseStatus.IN_PROGRESS)
    client.force_login(admin_user)
    # The action first shows what publishing does and what still stops it; nothing moves.
    asked = page_text(admin_action(client, "publish", reference_inspection).content.decode())
    assert "Publishing stores the record of each inspection's results" in asked
    assert "It cannot be published yet: Cases 2 cases are not complete: BWD-03, BWD-07" in asked
    assert "I have read the report and want to publish it" in asked
    # Sent without the box ticked: asked again, with the reason.
    unticked = admin_action(client, "publish", reference_inspection, post="yes")
    assert "Confirm that you have read the report and want to publish it" in page_text(
        unticked.content.decode()
    )
    assert not InspectionEvent.objects.exists()

    text = admin_action(
        client, "publish", reference_inspection, post="yes", confirm="on"
    ).content.decode()
    assert "not moved to published: 2 cases are not complete: BWD-03, BWD-07" in text
    reference_inspection.refresh_from_db()
    assert reference_inspection.status == InspectionStatus.MODERATION
    assert not InspectionEvent.objects.exists()

    Case.objects.filter(ref__in=["BWD-03", "BWD-07"]).update(status=CaseStatus.SIGNED_OFF)
    asked = page_text(admin_action(client, "publish", reference_inspection).content.decode())
    assert "Nothing stops it: it will be published." in asked
    assert not InspectionEvent.objects.exists()
    text = admin_action(
        client, "publish", reference_inspection, post="yes", confirm="on"
    ).content.decode()
    assert f"{reference_inspection} is now published" in text
    event = InspectionEvent.objects.get()
    assert (event.from_status, event.to_status, event.by) == ("moderation", "published", admin_user)


@pytest.mark.django_db
def test_admin_moves_each_selected_inspection_or_says_why_not(client, admin_user, lead):
    from tests.factories import InspectionFactory

    planning = InspectionFactory(status=InspectionStatus.PLANNING)
    fieldwork = InspectionFactory(status=InspectionStatus.FIELDWORK)
    client.force_login(admin_user)
    text = admin_action(client, "move_to_fieldwork", planning, fieldwork).content.decode()
    assert f"{planning} has moved to fieldwork" in text
    assert "An inspection in fieldwork cannot move to fieldwork" in text
    assert text.count("has moved to fieldwork") == 1
    text = admin_action(client, "move_to_moderation", planning).content.decode()
    assert f"{planning} has moved to moderation" in text
    planning.refresh_from_db()
    assert planning.status == InspectionStatus.MODERATION
    assert InspectionEvent.objects.filter(inspection=planning).count() == 2


@pytest.mark.django_db
def test_admin_staff_who_do_not_lead_cannot_move_it(client, reference_inspection, lead):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    staff = UserFactory(username="staff", is_staff=True)
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_inspection", "change_inspection"])
    )
    client.force_login(staff)
    text = admin_action(client, "move_to_fieldwork", reference_inspection).content.decode()
    assert "only its lead inspector or an admin may move it" in text
    assert not InspectionEvent.objects.exists()


@pytest.mark.django_db
def test_admin_status_is_read_only_and_a_new_inspection_starts_in_planning(
    client, admin_user, reference_inspection, framework
):
    client.force_login(admin_user)
    change = client.get(
        reverse("admin:inspection_inspection_change", args=[reference_inspection.pk])
    )
    assert 'name="status"' not in change.content.decode()
    assert 'name="framework"' not in change.content.decode()
    add = reverse("admin:inspection_inspection_add")
    assert 'name="status"' not in client.get(add).content.decode()
    inlines = {}
    for prefix in ("sample_windows", "domain1_judgements", "recommendations", "cases"):
        inlines |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    response = client.post(
        add,
        {
            "pdu": reference_inspection.pdu_id,
            "framework": framework.pk,
            "fieldwork_start": "2026-01-05",
            "status": "published",  # ignored: not a field of the form
            **inlines,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Inspection.objects.get(fieldwork_start="2026-01-05")
    assert created.status == InspectionStatus.PLANNING


@pytest.mark.django_db
def test_lifecycle_events_cannot_be_added_changed_or_deleted_in_admin(
    client, admin_user, published
):
    event = InspectionEvent.objects.get(to_status="published")
    client.force_login(admin_user)
    assert client.get(reverse("admin:inspection_inspectionevent_add")).status_code == 403
    assert client.post(reverse("admin:inspection_inspectionevent_add"), {}).status_code == 403
    change = reverse("admin:inspection_inspectionevent_change", args=[event.pk])
    page = client.get(change)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()  # view only
    assert client.post(change, {"reason": "rewritten"}).status_code == 403
    delete = reverse("admin:inspection_inspectionevent_delete", args=[event.pk])
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    response = client.post(
        reverse("admin:inspection_inspectionevent_changelist"),
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)  # no delete action offered: nothing happens
    event.refresh_from_db()
    assert event.reason == "" and InspectionEvent.objects.count() == 1


@pytest.mark.django_db
def test_admin_says_plainly_why_an_inspection_with_events_cannot_be_deleted(client, admin_user):
    from tests.factories import InspectionFactory

    planning = InspectionFactory(status=InspectionStatus.PLANNING)
    move(planning, InspectionStatus.FIELDWORK, admin_user)
    move(planning, InspectionStatus.PLANNING, admin_user)
    client.force_login(admin_user)
    delete = reverse("admin:inspection_inspection_delete", args=[planning.pk])
    text = client.get(delete).content.decode()
    assert "lifecycle events, which are kept for good: it cannot be deleted" in text
    client.post(delete, {"post": "yes"})
    assert Inspection.objects.filter(pk=planning.pk).exists()


@pytest.mark.django_db
def test_a_published_inspections_qa_rows_are_read_only_in_admin(
    client, admin_user, reference_inspection, lead
):
    from cases.models import DipSample, QAReview

    case = Case.objects.get(inspection=reference_inspection, ref="BWD-01")
    sample = DipSample.objects.create(inspection=reference_inspection, share_percent=10, seed="s")
    review = QAReview.objects.create(case=case, reviewer=lead, outcome="signed_off")
    move(reference_inspection, InspectionStatus.PUBLISHED, lead)
    client.force_login(admin_user)
    for name, row in (("dipsample", sample), ("qareview", review)):
        change = reverse(f"admin:cases_{name}_change", args=[row.pk])
        assert 'name="_save"' not in client.get(change).content.decode()
        assert client.post(change, {}).status_code == 403
