"""Action plans after publication: who writes them, the review loop, versions, what is overdue,
themes, reminders, and the next inspection's "Progress on previous recommendations"."""

import datetime
import random

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspection.choices import Addressee, AuditKind, InspectionStatus, PlanProgress, PlanState
from inspection.models import PDU, AuditEntry, ManagerScope, Recommendation
from reports import action_plans as service
from reports import follow_up, previous_progress, recommendations
from reports.follow_up import plan_rows
from reports.models import ActionPlan, PlanAction, ReminderSent, Theme
from reports.publication import differences, report_for
from reports.publishing import move
from tests.case_helpers import team_member
from tests.factories import UserFactory
from tests.region_helpers import publish, published_pdu_inspection

DUE = datetime.date(2031, 1, 31)


def manager(username: str, **scope):
    user = UserFactory(username=username, email=f"{username}@example.org")
    ManagerScope.objects.create(user=user, **scope)
    return user


def recommendation(inspection, addressee: str) -> Recommendation:
    return inspection.recommendations.filter(addressee=addressee).order_by("order", "pk").first()


@pytest.fixture
def published(reference_inspection, lead):
    """The reference inspection with an inspector on its team, published by its lead."""
    team_member(reference_inspection, "inspector")
    move(reference_inspection, InspectionStatus.PUBLISHED, lead)
    return reference_inspection


@pytest.fixture
def people(published):
    pdu = published.pdu
    other_pdu = PDU.objects.create(region=pdu.region, name="Somewhere Else")
    return {
        "pdu_manager": manager("pdu-manager", pdu=pdu),
        "other_pdu_manager": manager("other-manager", pdu=other_pdu),
        "region_manager": manager("region-manager", region=pdu.region),
        "national_manager": manager("national-manager", national=True),
        "inspector": published.team.get(username="inspector"),
        "lead": published.lead_inspector,
    }


def add_action_url(inspection, rec) -> str:
    return reverse("reports:action_add", args=[inspection.pk, rec.pk])


def post_action(user, inspection, rec, **extra):
    client = Client()
    client.force_login(user)
    return client.post(
        add_action_url(inspection, rec),
        {
            "action": "Train every practitioner in risk assessment",
            "owner": "Head of PDU",
            "due_0": "31",
            "due_1": "1",
            "due_2": "2031",
            "version": "1",
            **extra,
        },
    )


@pytest.mark.django_db
def test_a_pdu_manager_writes_their_pdus_plan_and_nothing_else(published, people):
    pdu_rec = recommendation(published, Addressee.PDU)
    region_rec = recommendation(published, Addressee.REGION)
    national_rec = recommendation(published, Addressee.NATIONAL)

    response = post_action(people["pdu_manager"], published, pdu_rec)
    assert response.status_code == 302
    assert PlanAction.objects.filter(plan__recommendation=pdu_rec).count() == 1

    # Not the region's recommendation, nor HMPPS's: refused (403: they read the inspection's
    # plans), and nothing written.
    for rec in (region_rec, national_rec):
        assert post_action(people["pdu_manager"], published, rec).status_code == 403
        assert not ActionPlan.objects.filter(recommendation=rec).exists()
    # Another PDU's manager in the same region writes nothing of this PDU's plan (nor sees it).
    assert post_action(people["other_pdu_manager"], published, pdu_rec).status_code == 404
    # The region's manager writes the region's plan, not the PDU's; HMPPS nationally, HMPPS's.
    assert post_action(people["region_manager"], published, pdu_rec).status_code == 403
    assert post_action(people["region_manager"], published, region_rec).status_code == 302
    assert post_action(people["national_manager"], published, national_rec).status_code == 302
    assert PlanAction.objects.filter(plan__recommendation=pdu_rec).count() == 1


@pytest.mark.django_db
def test_no_inspector_writes_any_plan(published, people):
    inspector, lead = people["inspector"], people["lead"]
    for rec in published.recommendations.all():
        for user in (inspector, lead):
            # Readers of the inspection: refused every write, by page and by service.
            assert post_action(user, published, rec).status_code == 403
            with pytest.raises(PermissionDenied):
                service.add_action(rec, what="x", owner="y", due=DUE, by=user)
            with pytest.raises(PermissionDenied):
                service.record_progress(
                    rec, on=datetime.date.today(), progress="done", text="x", by=user
                )
    assert not ActionPlan.objects.exists()


@pytest.mark.django_db
def test_plans_exist_only_once_published(reference_inspection, lead):
    region_manager = manager("region-manager", region=reference_inspection.pdu.region)
    rec = recommendation(reference_inspection, Addressee.REGION)
    client = Client()
    client.force_login(region_manager)
    assert (
        client.get(reverse("reports:action_plans", args=[reference_inspection.pk])).status_code
        == 404
    )
    with pytest.raises(PermissionDenied):
        service.add_action(rec, what="x", owner="y", due=DUE, by=region_manager)


@pytest.mark.django_db
def test_submit_return_resubmit_accept_audited_and_the_report_unchanged(published, people):
    writer, lead = people["pdu_manager"], people["lead"]
    rec = recommendation(published, Addressee.PDU)
    record_before = report_for(published)

    with pytest.raises(ValidationError, match="at least one action"):
        service.submit(rec, by=writer)
    action = service.add_action(rec, what="Audit risk plans", owner="SPO", due=DUE, by=writer)
    service.submit(rec, by=writer)
    with pytest.raises(ValidationError, match="only while it is a draft or returned"):
        service.add_action(rec, what="More", owner="SPO", due=DUE, by=writer)
    with pytest.raises(ValidationError, match="needs a comment"):
        service.review(rec, outcome=PlanState.RETURNED, comment=" ", by=lead)
    with pytest.raises(PermissionDenied):
        service.review(rec, outcome=PlanState.ACCEPTED, comment="", by=writer)
    service.review(rec, outcome=PlanState.RETURNED, comment="Add dates for training", by=lead)
    service.change_action(action, what="Audit risk plans monthly", by=writer)
    service.submit(rec, by=writer)
    plan = service.review(rec, outcome=PlanState.ACCEPTED, comment="", by=lead)
    assert plan.state == PlanState.ACCEPTED and plan.accepted_at is not None
    # Accepted: the action's status still moves on, its wording no longer.
    service.change_action(action, status=PlanProgress.DONE, by=writer)
    with pytest.raises(ValidationError):
        service.change_action(action, owner="Someone else", by=writer)

    entries = AuditEntry.objects.filter(inspection=published, kind=AuditKind.ACTION_PLAN)
    assert entries.count() == 7  # each change above, refusals none
    assert {e.subject for e in entries} == {
        f"Action plan for recommendation {service.number_of(rec)}"
    }
    assert entries.filter(reason="Add dates for training", new_value="Returned").exists()
    # The published record and report are untouched, and still check against the live rows.
    assert report_for(published) == record_before
    assert differences(published) == []


@pytest.mark.django_db
def test_a_form_from_an_older_version_is_refused_and_changes_nothing(published, people):
    writer = people["pdu_manager"]
    rec = recommendation(published, Addressee.PDU)
    service.add_action(rec, what="First", owner="SPO", due=DUE, by=writer, version=1)
    response = post_action(writer, published, rec, version="1")  # the page before that change
    assert response.status_code == 400
    assert "Someone else changed this action plan" in response.content.decode()
    assert PlanAction.objects.filter(plan__recommendation=rec).count() == 1


@pytest.mark.django_db
def test_bad_input_is_named_and_saves_nothing(published, people):
    writer = people["pdu_manager"]
    rec = recommendation(published, Addressee.PDU)
    response = post_action(writer, published, rec, action="", due_0="31", due_1="2", due_2="2031")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Enter what will be done" in page
    assert "Enter the due date as a real date" in page
    assert not PlanAction.objects.exists()
    client = Client()
    client.force_login(writer)
    future = datetime.date.today() + datetime.timedelta(days=2)
    response = client.post(
        reverse("reports:plan_progress", args=[published.pk, rec.pk]),
        {
            "progress": "in_progress",
            "on_0": str(future.day),
            "on_1": str(future.month),
            "on_2": str(future.year),
            "text": "Begun",
            "version": "1",
        },
    )
    assert response.status_code == 400
    assert "today or in the past" in response.content.decode()


@pytest.mark.django_db
def test_overdue_figures_on_the_dashboards(published, people, monkeypatch):
    writer = people["pdu_manager"]
    recs = list(published.recommendations.all())
    published_on = follow_up.published_on([published.pk])[published.pk]
    due = follow_up.plan_due(published_on)
    pdu_rec = recommendation(published, Addressee.PDU)
    service.add_action(pdu_rec, what="Soon", owner="SPO", due=due, by=writer)
    service.add_action(
        pdu_rec, what="Later", owner="SPO", due=due + datetime.timedelta(days=30), by=writer
    )
    service.submit(pdu_rec, by=writer)

    # The day a plan is due, nothing is overdue yet.
    monkeypatch.setattr(follow_up, "current_date", lambda: due)
    rows = plan_rows([published])
    assert sum(r.overdue for r in rows) == 0
    # The day after: every plan not submitted (8 of 9) and the action due that day.
    monkeypatch.setattr(follow_up, "current_date", lambda: due + datetime.timedelta(days=1))
    client = Client()
    client.force_login(people["region_manager"])
    for url in (
        reverse("reports:pdu", args=[published.pdu_id]),
        reverse("reports:region", args=[published.pdu.region_id]),
        reverse("reports:national"),
    ):
        page = client.get(url).content.decode()
        assert f'id="plans-overdue">{len(recs) - 1}<' in page, url
        assert 'id="actions-overdue">1<' in page, url
    # An action done is no longer overdue.
    service.change_action(PlanAction.objects.get(what="Soon"), status="done", by=writer)
    page = client.get(reverse("reports:pdu", args=[published.pdu_id])).content.decode()
    assert 'id="actions-overdue">0<' in page


@pytest.mark.django_db
def test_themes_are_counted_across_inspections(published, people):
    lead = people["lead"]
    risk = Theme.objects.get(name="Risk of harm")
    court = Theme.objects.get(name="Court work")
    first, second = list(published.recommendations.order_by("order", "pk"))[:2]
    service.set_themes(first, [risk, court], by=lead)
    service.set_themes(second, [risk], by=lead)
    with pytest.raises(PermissionDenied):
        service.set_themes(first, [risk], by=people["pdu_manager"])
    counts = {c.theme.name: (c.recommendations, c.inspections) for c in follow_up.theme_counts()}
    assert counts["Risk of harm"] == (2, 1)
    assert counts["Court work"] == (1, 1)
    assert counts["Diversity"] == (0, 0)
    client = Client()
    client.force_login(people["inspector"])
    page = client.get(reverse("reports:national")).content.decode()
    assert 'Risk of harm</td><td class="govuk-table__cell govuk-table__cell--numeric">2<' in page


@pytest.mark.django_db
def test_reminders_go_once_before_and_once_after_each_due_date(published, people):
    writer = people["pdu_manager"]
    rec = recommendation(published, Addressee.PDU)
    due = follow_up.plan_due(follow_up.published_on([published.pk])[published.pk])
    service.add_action(
        rec, what="Audit", owner="SPO", due=due + datetime.timedelta(days=20), by=writer
    )

    call_command("send_action_plan_reminders", "--today", str(due - datetime.timedelta(days=30)))
    assert mail.outbox == []
    call_command("send_action_plan_reminders", "--today", str(due - datetime.timedelta(days=3)))
    before = len(mail.outbox)
    # One per plan not submitted, to its writers: PDU plans to the PDU's manager only.
    assert before == published.recommendations.count()
    pdu_mail = [m for m in mail.outbox if m.to == ["pdu-manager@example.org"]]
    assert f"/inspections/{published.pk}/action-plans/{rec.pk}/" in pdu_mail[0].body
    assert len(pdu_mail) == published.recommendations.filter(addressee="pdu").count()
    call_command("send_action_plan_reminders", "--today", str(due - datetime.timedelta(days=2)))
    assert len(mail.outbox) == before  # sent once
    call_command("send_action_plan_reminders", "--today", str(due + datetime.timedelta(days=25)))
    overdue = mail.outbox[before:]
    assert len(overdue) == published.recommendations.count() + 1  # every plan, and the action
    assert any("Action is overdue" in m.subject for m in overdue)
    assert ReminderSent.objects.count() == 2 * published.recommendations.count() + 1


@pytest.mark.django_db
def test_progress_on_previous_recommendations_at_the_next_inspection(published, people):
    writer, lead = people["pdu_manager"], people["lead"]
    rec = recommendation(published, Addressee.PDU)
    service.add_action(rec, what="Audit", owner="SPO", due=DUE, by=writer)
    service.record_progress(
        rec,
        on=datetime.date.today(),
        progress=PlanProgress.IN_PROGRESS,
        text="Half the team trained",
        by=writer,
    )
    nxt = published_pdu_inspection(
        random.Random(3),
        published.pdu.region.name,
        published.pdu.name,
        lead,
        publish_it=False,
        fieldwork_start=published.fieldwork_start + datetime.timedelta(days=700),
    )
    assert nxt.pdu_id == published.pdu_id
    assert previous_progress.previous_inspection(nxt) == published
    nxt.lead_inspector = lead
    nxt.save()

    client = Client()
    client.force_login(lead)
    url = reverse("reports:previous_recommendations", args=[nxt.pk])
    page = client.get(url).content.decode()
    assert "Half the team trained" not in page  # the page lists; the report shows once taken in
    assert client.post(url, {"choice": "take"}).status_code == 302
    report = client.get(reverse("reports:report", args=[nxt.pk])).content.decode()
    assert "Progress on previous recommendations" in report
    assert "Half the team trained" in report
    assert "In progress" in report

    # Later progress changes nothing in the report until the lead takes it in again.
    service.record_progress(
        rec, on=datetime.date.today(), progress=PlanProgress.DONE, text="All trained", by=writer
    )
    assert (
        "All trained" not in client.get(reverse("reports:report", args=[nxt.pk])).content.decode()
    )
    # Published, the copy is part of the record and locked.
    nxt.refresh_from_db()
    publish(nxt, lead)
    assert report_for(nxt).previous_recommendations[0].latest_update == "Half the team trained"
    with pytest.raises(PermissionDenied):
        previous_progress.take_into_report(nxt, by=lead)
    assert differences(nxt) == []


@pytest.mark.django_db
def test_a_recommendation_with_a_plan_is_not_removed_after_reopening(published, people):
    rec = recommendation(published, Addressee.PDU)
    service.add_action(rec, what="Audit", owner="SPO", due=DUE, by=people["pdu_manager"])
    move(published, InspectionStatus.MODERATION, people["lead"], reason="Correct a typo")
    with pytest.raises(ValidationError, match="has an action plan"):
        recommendations.remove(rec, people["lead"])
    assert Recommendation.objects.filter(pk=rec.pk).exists()


@pytest.mark.django_db
def test_plan_pages_take_the_same_queries_however_many_actions(published, people):
    writer = people["pdu_manager"]
    rec = recommendation(published, Addressee.PDU)
    client = Client()
    client.force_login(writer)
    urls = [
        reverse("reports:action_plans", args=[published.pk]),
        reverse("reports:action_plan", args=[published.pk, rec.pk]),
    ]

    def counts():
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    service.add_action(rec, what="First", owner="SPO", due=DUE, by=writer)
    one = counts()
    for n in range(6):
        service.add_action(rec, what=f"More {n}", owner="SPO", due=DUE, by=writer)
    assert counts() == one
    print(f"queries: plans list {one[0]}, plan page {one[1]}")
    assert max(one) <= 30


@pytest.mark.django_db
def test_a_managers_home_page_lists_the_plans_they_write(published, people):
    client = Client()
    client.force_login(people["pdu_manager"])
    page = client.get(reverse("home")).content.decode()
    assert "Action plans you write" in page
    pdu_count = published.recommendations.filter(addressee=Addressee.PDU).count()
    assert f"{pdu_count} recommendations addressed to you" in page
    report = client.get(reverse("reports:report", args=[published.pk])).content.decode()
    assert f'href="{reverse("reports:action_plans", args=[published.pk])}"' in report
    client.force_login(people["inspector"])
    assert "Action plans you write" not in client.get(reverse("home")).content.decode()
