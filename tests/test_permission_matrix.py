"""Every URL in the URL configuration, for every role and an anonymous visitor.

The walk covers the whole URL configuration, so a new URL without an entry in EXPECTED fails
this test until someone decides who may use it.
"""

import datetime
import random

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from django.urls import get_resolver, reverse
from django.utils import timezone

from cases.models import (
    Answer,
    Case,
    PracticeExample,
    ReliabilitySample,
    SampleDraw,
    SecondMarking,
)
from cases.sample_draw import ATTRIBUTES
from inspection.choices import InspectionStatus
from inspection.models import PDU, ManagerScope, Recommendation, ReportItem
from reports import report_writing
from reports.models import ActionPlan, PlanAction
from tests.case_helpers import team_member
from tests.region_helpers import region_inspection
from tests.url_helpers import walk

ROLES = ["anonymous", "outsider", "inspector", "lead", "manager", "admin"]
OK, LOGIN, DENIED = "ok", "login", "denied"

# Who gets through, by audience: everyone else signed in is DENIED, anonymous is sent to LOGIN.
AUDIENCES = {
    "public": {"anonymous", "outsider", "inspector", "lead", "manager", "admin"},
    "signed_in": {"outsider", "inspector", "lead", "manager", "admin"},
    "team": {"inspector", "lead", "admin"},
    "lead": {"lead", "admin"},
    # Anyone who may read the inspection: its team, admins, and in-scope managers once published.
    "readers": {"inspector", "lead", "admin", "manager_if_published"},
    "nobody_if_published": {"inspector", "lead", "admin", "not_if_published"},
    "lead_unless_published": {"lead", "admin", "not_if_published"},
    # Action plans exist once an inspection is published: its readers read them, the
    # recommendation's addressee (the matrix's manager, scoped to the region: its URLs use a
    # recommendation to the region) writes, the lead (or an admin) reviews and tags.
    "plan_readers": {"inspector", "lead", "admin", "manager_if_published", "only_if_published"},
    "plan_writers": {"manager_if_published", "only_if_published"},
    "plan_reviewers": {"lead", "admin", "only_if_published"},
    # A second marker's own page of a case they double mark: theirs alone.
    "second_marker": {"inspector"},
}

# url name: (method, audience)
EXPECTED = {
    "home": ("get", "signed_in"),
    "login": ("get", "public"),
    "logout": ("post", "logout"),
    "keep_alive": ("post", "signed_in"),
    # For the load balancer and monitoring: says only whether the database answers and is migrated.
    "health": ("get", "public"),
    # Two-factor sign-in: the code step (anonymous without a checked password is sent back to
    # sign in), one's own second factor, and password reset by e-mail (for the signed out too).
    "login_code": ("get", "signed_in"),
    "two_factor": ("get", "signed_in"),
    "password_reset": ("get", "public"),
    "password_reset_done": ("get", "public"),
    "password_reset_confirm": ("get", "public"),
    "password_reset_complete": ("get", "public"),
    "inspection:status": ("get", "lead"),
    # The confirmation pages of the lifecycle's moves: the lead's (each sends the lead back to
    # the status page when the inspection is not at the stage it moves from).
    "reports:publish": ("get", "lead"),
    "cases:moderate": ("get", "lead"),
    "inspection:reopen": ("get", "lead"),
    "inspection:audit": ("get", "lead"),
    "inspection:audit_csv": ("get", "lead"),
    "reports:domain1": ("get", "lead"),
    "reports:domain1_edit": ("get", "lead"),
    "reports:recommendations": ("get", "lead"),
    "reports:number_check": ("get", "lead"),
    "reports:number_confirm": ("post", "lead_unless_published"),
    "reports:number_withdraw": ("post", "lead_unless_published"),
    "reports:evidence": ("get", "lead"),
    "reports:evidence_csv": ("get", "lead"),
    "reports:evidence_source": ("get", "lead_unless_published"),
    "reports:practice_examples": ("get", "lead"),
    "reports:practice_example_pull": ("get", "lead_unless_published"),
    "cases:practice_example": ("post", "nobody_if_published"),
    "reports:recommendation_edit": ("get", "lead"),
    "reports:recommendation_delete": ("post", "lead_unless_published"),
    # Writing the report: the lead reads every page, and changes nothing once published.
    "reports:write": ("get", "lead"),
    "reports:write_part": ("get", "lead"),
    "reports:write_standard": ("get", "lead"),
    "reports:write_signing": ("get", "lead"),
    "reports:write_isbn": ("get", "lead"),
    "reports:write_rating": ("get", "lead"),
    "reports:write_subsection": ("get", "lead"),
    "reports:write_subsection_remove": ("get", "lead"),
    "reports:write_item_add": ("get", "lead"),
    "reports:write_item": ("get", "lead"),
    "reports:write_item_move": ("post", "lead_unless_published"),
    "reports:write_item_remove": ("get", "lead"),
    "reports:write_facts": ("get", "lead"),
    "reports:write_facts_edit": ("get", "lead"),
    "reports:write_facts_remove": ("get", "lead"),
    "reports:write_footnotes": ("get", "lead"),
    "reports:write_footnotes_edit": ("get", "lead"),
    "reports:write_footnotes_remove": ("get", "lead"),
    "cases:list": ("get", "team"),
    "cases:check_answers": ("get", "team"),
    "cases:qa": ("get", "lead"),
    # Blind double marking: the lead's draw, progress and agreement page and reconciliation;
    # the second marker's page (the world's marking of the case is done, so nothing is blind).
    "cases:double_marking": ("get", "lead"),
    "cases:reconcile": ("get", "lead"),
    "cases:second_marker": ("get", "lead_unless_published"),
    "cases:second_mark": ("get", "second_marker"),
    # QA's queries on a case's answers: its team reads them (the services decide who writes).
    "cases:queries": ("get", "team"),
    "cases:calibration": ("get", "lead"),
    "cases:import": ("get", "lead"),
    # Drawing the sample from a caseload extract, its template, and replacing a drawn case.
    "cases:sample": ("get", "lead"),
    "cases:extract_template": ("get", "lead"),
    "cases:replace": ("get", "lead_unless_published"),
    "reports:sample_facts": ("post", "lead_unless_published"),
    "cases:detail": ("get", "team"),
    "cases:review": ("get", "lead"),
    "cases:complete": ("post", "nobody_if_published"),
    "cases:assign": ("post", "lead_unless_published"),
    "cases:check_case": ("get", "team"),
    "cases:completed": ("get", "team"),
    "cases:attributes": ("get", "lead_unless_published"),
    "cases:print": ("get", "team"),
    "cases:history": ("get", "team"),
    "cases:section": ("get", "team"),
    "cases:autosave": ("post", "nobody_if_published"),
    "cases:answer": ("get", "team"),
    "cases:answer_save": ("post", "nobody_if_published"),
    "reports:report": ("get", "readers"),
    "reports:drilldown": ("get", "team"),
    "reports:pdu": ("get", "signed_in"),
    "reports:region": ("get", "signed_in"),
    "reports:national": ("get", "signed_in"),
    "exports:xlsx": ("get", "team"),
    "exports:figures_csv": ("get", "readers"),
    "exports:csv": ("get", "team"),
    "exports:pdf": ("get", "readers"),
    "reports:action_plans": ("get", "plan_readers"),
    "reports:action_plan": ("get", "plan_readers"),
    "reports:action_add": ("post", "plan_writers"),
    "reports:action_edit": ("get", "plan_writers"),
    "reports:action_remove": ("post", "plan_writers"),
    "reports:plan_submit": ("post", "plan_writers"),
    "reports:plan_progress": ("post", "plan_writers"),
    "reports:plan_review": ("post", "plan_reviewers"),
    "reports:plan_themes": ("post", "plan_reviewers"),
    # The previous inspection's recommendations and their progress: the lead's, taken into the
    # report only while it is not published.
    "reports:previous_recommendations": ("get", "lead"),
}


def all_url_names():
    return {name for name, _, _ in walk(get_resolver().url_patterns)}


def test_every_url_has_an_expectation():
    # The read API answers bearer tokens, not sessions: tests/test_api.py walks its matrix.
    names = {n for n in all_url_names() if not n.startswith(("admin:", "api:"))}
    assert names == set(EXPECTED), (
        f"URLs without an access expectation: {sorted(names - set(EXPECTED))}; "
        f"expectations for URLs that no longer exist: {sorted(set(EXPECTED) - names)}"
    )


@pytest.fixture
def world(reference_inspection, django_user_model):
    lead = team_member(reference_inspection, "lead")
    reference_inspection.lead_inspector = lead
    reference_inspection.save()
    team_member(reference_inspection, "inspector")
    django_user_model.objects.create_user("outsider", password="pw-outsider-1")
    manager = django_user_model.objects.create_user("manager", password="pw-manager-1")
    ManagerScope.objects.create(user=manager, region=reference_inspection.pdu.region)
    django_user_model.objects.create_superuser("admin", "a@example.org", "pw-admin-1")
    offer_a_practice_example(reference_inspection)
    written_report(reference_inspection, lead)
    _a_sample_draw(reference_inspection)
    _a_second_marking(reference_inspection, "BWD-01")
    return reference_inspection


def offer_a_practice_example(inspection) -> None:
    """A candidate practice example, for the lead's page that takes one into the report."""
    answer = Answer.objects.filter(
        case__inspection=inspection, question__standard__isnull=False
    ).first()
    PracticeExample.objects.create(answer=answer)


def written_report(inspection, lead):
    """A sub-section with an item, a fact and a footnote for the report-writing pages' URLs."""
    if not ReportItem.objects.filter(
        subsection__inspection=inspection, subsection__part="standard", list="strengths"
    ).exists():
        standard = inspection.framework.standards.order_by("order").first()
        subsection = report_writing.add_subsection(
            inspection, part="standard", standard=standard, by=lead
        )
        report_writing.add_item(subsection, list="strengths", kind="text", text="A", by=lead)
    report_writing.set_fact(inspection, key="matrix", label="Matrix", value="1", by=lead)
    report_writing.set_footnote(inspection, key="matrix", text="Matrix", by=lead)


def _an_action(recommendation) -> int:
    """An action of the recommendation's plan, for the action pages' URLs (plans exist only once
    published: before, any id, and the page answers 404 for everyone)."""
    if recommendation.inspection.status != InspectionStatus.PUBLISHED:
        return 1
    plan, _ = ActionPlan.objects.get_or_create(recommendation=recommendation)
    action = plan.actions.first() or PlanAction.objects.create(
        plan=plan, what="Matrix", owner="Matrix", due=datetime.date(2031, 1, 1)
    )
    return action.pk


def _a_sample_draw(inspection) -> None:
    """A record of a drawn sample (no rows drawn), for the page taking its figures into the
    report; made with the world, before the matrix publishes it."""
    if not SampleDraw.objects.filter(inspection=inspection).exists():
        SampleDraw.objects.bulk_create(
            [
                SampleDraw(
                    inspection=inspection,
                    seed=1,
                    size=21,
                    algorithm="matrix",
                    extract_rows=21,
                    eligible_rows=21,
                    extract_sha256="0" * 64,
                    extract_counts={a: {} for a in ATTRIBUTES},
                    allocation={"community": {"size": 21, "quota": 21}},
                )
            ]
        )


def _a_second_marking(inspection, ref: str) -> None:
    """The matrix's inspector marked the case second (its lead first); both are done, so the
    inspector is blind to nothing (tests/test_blind_double_marking.py walks a blind one)."""
    users = get_user_model().objects
    now = timezone.now()
    sample = ReliabilitySample.objects.create(inspection=inspection, share_percent=5, seed=1)
    SecondMarking.objects.create(
        sample=sample,
        case=Case.objects.get(inspection=inspection, ref=ref),
        marker=users.get(username="inspector"),
        first_marker=users.get(username="lead"),
        submitted_at=now,
        unblinded_at=now,
    )


def url_for(name, inspection, case_ref="BWD-01", section="2.2", key_question="2.2.1"):
    case = Case.objects.get(inspection=inspection, ref=case_ref)
    recommendation = (
        Recommendation.objects.create(
            inspection=inspection, addressee="pdu", text="Matrix", order=99
        )
        if inspection.status != InspectionStatus.PUBLISHED
        else inspection.recommendations.first()
    )
    if name.startswith(("reports:action_", "reports:plan_")):
        recommendation = inspection.recommendations.filter(addressee="region").first()
    candidates = {
        "inspection_id": inspection.pk,
        "action_id": _an_action(recommendation),
        "case_id": case.pk,
        "section_code": section,
        "pk": recommendation.pk,
        "pdu_id": inspection.pdu_id or PDU.objects.filter(region=inspection.region_of).first().pk,
        "region_id": inspection.region_of.pk,
        "example_id": PracticeExample.objects.filter(answer__case__inspection=inspection)
        .values_list("pk", flat=True)
        .first(),
        "source": "staff-survey",
        "uidb64": "MQ",  # a password-reset link that does not work: the page says so
        "token": "set-password",
    }
    written = ReportItem.objects.filter(
        subsection__inspection=inspection, subsection__part="standard", list="strengths"
    ).select_related("subsection__standard")[0]
    if name.startswith("reports:write_subsection") or name == "reports:write_item_add":
        candidates["pk"] = written.subsection_id
    elif name.startswith("reports:write_item"):
        candidates["pk"] = written.pk
    candidates.update(part="foreword", list="strengths", key="matrix")
    pattern = {n: p for n, p, _ in walk(get_resolver().url_patterns)}[name]
    params = set(pattern.pattern.converters)
    kwargs = {key: candidates[key] for key in params if key in candidates}
    if "code" in params:
        if name == "reports:write_standard":
            kwargs["code"] = written.subsection.standard.code
        elif name == "reports:write_rating":
            kwargs["code"] = "2.2"  # a standard rated from its key questions
        else:
            kwargs["code"] = "1.1" if "domain1" in name else key_question
    return reverse(name, kwargs=kwargs)


def outcome(response) -> str:
    location = response.get("Location", "")
    if response.status_code in (301, 302) and "/login/" in location:
        return LOGIN
    if response.status_code == 401:
        return LOGIN
    if response.status_code in (403, 404):
        return DENIED
    if response.status_code in (200, 302, 400):
        return OK
    return f"unexpected {response.status_code}"


def expected(audience: str, role: str, published: bool) -> str:
    if audience == "logout":
        return LOGIN  # everyone is sent to the sign-in page
    allowed = AUDIENCES[audience]
    if "only_if_published" in allowed and not published:
        return LOGIN if role == "anonymous" else DENIED
    if role in allowed:
        if published and "not_if_published" in allowed and role != "anonymous":
            return DENIED
        return OK
    if role == "manager" and published and "manager_if_published" in allowed:
        return OK
    return LOGIN if role == "anonymous" else DENIED


def client_for(role) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(get_user_model().objects.get(username=role))
    return client


@pytest.fixture
def region_world(world, django_user_model):
    """An inspection of the reference PDU's region, with its own cases, the same team (lead
    and inspector) and the same region-scoped manager."""
    inspection = region_inspection(random.Random(1), world.pdu.region)
    users = django_user_model.objects
    inspection.lead_inspector = users.get(username="lead")
    inspection.save()
    inspection.team.add(users.get(username="inspector"))
    Recommendation.objects.create(inspection=inspection, addressee="region", text="Matrix")
    offer_a_practice_example(inspection)
    written_report(inspection, inspection.lead_inspector)
    _a_sample_draw(inspection)
    _a_second_marking(inspection, "REG-01")
    return inspection


def matrix_mismatches(world, published, **url_parts) -> list[str]:
    """Each role's walk of every URL from the same starting point: what one role's requests
    write (a recommendation added, an answer saved) is rolled back before the next role's. The
    expectations depend on the role and the status alone, and the report, PDF included, is the
    same document for each role that may read it (rendered once: tests/conftest.py)."""
    world.status = InspectionStatus.PUBLISHED if published else InspectionStatus.MODERATION
    world.save()
    mismatches = []
    for role in ROLES:
        with transaction.atomic():
            mismatches += _role_mismatches(role, world, published, url_parts)
            transaction.set_rollback(True)
    return mismatches


def _role_mismatches(role, world, published, url_parts) -> list[str]:
    mismatches = []
    client = client_for(role)
    for name, (method, audience) in EXPECTED.items():
        url = url_for(name, world, **url_parts)
        response = getattr(client, method)(url)
        got, want = outcome(response), expected(audience, role, published)
        if got != want:
            mismatches.append(
                f"{role:<9} {method.upper():<4} {name:<35} {url}: {got}, expected {want}"
            )
        if name == "logout" and role != "anonymous":
            client = client_for(role)  # signed out by that request: sign in again
    return mismatches


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("published", [False, True], ids=["moderation", "published"])
def test_permission_matrix_of_a_region_inspection(region_world, published):
    """The same rules for an inspection of a region: its team and lead as for a PDU's, and a
    manager scoped to the region reads it once published."""
    mismatches = matrix_mismatches(
        region_world, published, case_ref="REG-01", section="3.1", key_question="3.1.1"
    )
    assert not mismatches, "\n" + "\n".join(mismatches)


@pytest.mark.django_db
def test_a_pdu_scoped_manager_never_reads_a_region_inspection(region_world, django_user_model):
    region_world.status = InspectionStatus.PUBLISHED
    region_world.save()
    local = django_user_model.objects.create_user("local", password="pw-local-123")
    ManagerScope.objects.create(user=local, pdu=PDU.objects.get(region=region_world.region))
    client = Client()
    client.force_login(local)
    for name in ("reports:report", "exports:pdf", "exports:figures_csv"):
        assert client.get(reverse(name, args=[region_world.pk])).status_code == 404, name


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("published", [False, True], ids=["moderation", "published"])
def test_permission_matrix(world, published):
    mismatches = matrix_mismatches(world, published)
    assert not mismatches, "\n" + "\n".join(mismatches)


@pytest.mark.django_db
def test_admin_is_for_admins_only(world):
    """Every admin page that needs no object id: admins get it, everyone else a sign-in page."""
    names = [
        name
        for name, _, parameters in walk(get_resolver().url_patterns)
        if name.startswith("admin:")
        and not parameters
        # autocomplete needs query parameters naming a field; logout would end the session.
        and name not in {"admin:logout", "admin:login", "admin:jsi18n", "admin:autocomplete"}
    ]
    assert len(names) > 20
    for role in ROLES:
        client = client_for(role)
        for name in names:
            response = client.get(reverse(name))
            if role == "admin":
                # 403 only where the admin itself allows no adding (django-axes' records).
                allowed = {200, 403} if name.endswith("_add") else {200}
                assert response.status_code in allowed, (name, response.status_code)
            else:
                assert response.status_code == 302, (role, name)
                # Anonymous visitors meet the site's sign-in, signed-in non-admins admin's own.
                assert response["Location"].split("?")[0] in {"/login/", "/admin/login/"}
