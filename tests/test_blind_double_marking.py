"""The second marker gets nothing of the first marker's answers, notes or history from any URL
before both are done: every URL of the site (the permission matrix's walk) and the read API,
for a case whose first marking writes a marker into every note. Once both are done, the same
walk finds it (so the test can fail)."""

import pytest
from django.test import Client

from api.tokens import create_token
from cases.case_data import framework_sections
from cases.choices import CaseStatus
from cases.double_marking import save_second_marks
from cases.models import Answer, Case, SecondMarking
from cases.qa import key_questions_to_review
from cases.workflow import mark_complete
from inspection.choices import InspectionStatus
from inspection.models import PDU
from reports.dashboards import pdu_dashboard, region_dashboard
from tests import test_permission_matrix
from tests.case_helpers import team_member
from tests.test_permission_matrix import EXPECTED, url_for

pytestmark = pytest.mark.django_db
world = test_permission_matrix.world  # the matrix's inspection, team and roles

SECRET = "FIRST-MARKERS-OWN-WORDS"
BLIND_REF = "BWD-01"
# The second marker's own page of the blind case: its facts and key questions, no answers.
OWN_PAGE = "cases:second_mark"


@pytest.fixture
def blind(world, django_user_model):
    """BWD-01 first marked (in progress) by `first`, second marked by the matrix's `inspector`."""
    world.status = InspectionStatus.FIELDWORK
    world.save()
    first = team_member(world, "first", "Fay", "First")
    second = django_user_model.objects.get(username="inspector")
    case = Case.objects.get(inspection=world, ref=BLIND_REF)
    case.assigned_inspector, case.status = first, CaseStatus.IN_PROGRESS
    case.save()
    Answer.objects.filter(case=case).update(note=SECRET)
    # The world's marking of the case (done), made blind again: not submitted, first marker's.
    SecondMarking.objects.filter(case=case).update(
        marker=second, first_marker=first, submitted_at=None, unblinded_at=None
    )
    return SecondMarking.objects.select_related("case", "marker", "first_marker").get(case=case)


def _seen(client, method, url) -> tuple[int, bytes]:
    response = getattr(client, method)(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, body


def test_nothing_of_the_first_marking_reaches_the_second_marker_by_any_url(blind, world):
    client = Client()
    client.force_login(blind.marker)
    case_pk = blind.case.pk
    leaks, open_case_urls = [], []
    for name, (method, _) in EXPECTED.items():
        if name == "logout":
            continue
        url = url_for(name, world, case_ref=BLIND_REF)
        status, body = _seen(client, method, url)
        if SECRET.encode() in body:
            leaks.append(f"{name} {url}")
        if f"/cases/{case_pk}/" in url and name != OWN_PAGE and status not in (403, 404):
            open_case_urls.append(f"{name} {url}: {status}")
    assert not leaks, leaks
    assert not open_case_urls, open_case_urls
    for name in ("reports:drilldown", "exports:xlsx", "exports:csv", "reports:report"):
        assert client.get(url_for(name, world)).status_code == 403, name  # not leaving it out
    own = client.get(url_for(OWN_PAGE, world, case_ref=BLIND_REF))
    assert own.status_code == 200 and BLIND_REF in own.content.decode()
    # The case list leaves it out, so no filter on status or inspector says what it is.
    for query in ({}, {"status": "in_progress"}, {"inspector": blind.first_marker.pk}):
        listed = client.get(url_for("cases:list", world), query).content.decode()
        assert f"case-{case_pk}-hint" not in listed and "Second marking of BWD-01" in listed
    # Found by searching only as their second marking, not how far its first marking has got.
    found = client.get("/", {"ref": BLIND_REF}).content.decode()
    assert f"/cases/{case_pk}/second-mark/" in found and f'href="/cases/{case_pk}/"' not in found

    _, key = create_token(blind.marker, "walk")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.get(f"/api/v1/cases/{case_pk}/answers/").status_code == 404
    listed = api.get(f"/api/v1/inspections/{world.pk}/cases/").json()
    refs = [row["ref"] for row in listed.get("results", listed)]
    assert BLIND_REF not in refs and "BWD-02" in refs
    other = Case.objects.get(inspection=world, ref="BWD-02")
    assert api.get(f"/api/v1/cases/{other.pk}/answers/").status_code == 200


def test_once_both_are_done_the_second_marker_sees_the_first_marking(blind, world):
    case = blind.case
    codes = [q.code for q in key_questions_to_review(case)]
    save_second_marks(blind, dict.fromkeys(codes, "yes"), blind.marker, submit=True)
    client = Client()
    client.force_login(blind.marker)
    assert client.get(url_for("cases:print", world, case_ref=BLIND_REF)).status_code == 404
    _, sections = framework_sections(world)
    problems, _ = mark_complete(case, sections, by=blind.first_marker)
    assert problems == []
    page = client.get(url_for("cases:print", world, case_ref=BLIND_REF))
    assert page.status_code == 200 and SECRET in page.content.decode()
    assert client.get(url_for("exports:csv", world)).status_code == 200


def test_the_first_marker_and_others_are_not_blinded(blind, world, django_user_model):
    for user in (blind.first_marker, django_user_model.objects.get(username="lead")):
        client = Client()
        client.force_login(user)
        page = client.get(url_for("cases:print", world, case_ref=BLIND_REF))
        assert page.status_code == 200 and SECRET in page.content.decode()
        assert client.get(url_for(OWN_PAGE, world, case_ref=BLIND_REF)).status_code == 404


def test_the_dashboards_leave_out_an_inspection_the_viewer_is_blind_in(blind, world):
    """Its live key-question counts hold the first marking's answers: less the cases the
    second marker may open, they would give it away."""
    pdu = world.pdu or PDU.objects.filter(region=world.region_of).first()

    def counted(user) -> set[int]:
        pdu_page = {s.inspection.pk for s in pdu_dashboard(user, pdu).history}
        region_page = region_dashboard(user, pdu.region, {})
        return pdu_page | {s.inspection.pk for s in region_page.rows}

    assert world.pk not in counted(blind.marker)
    assert world.pk in counted(blind.first_marker)  # not blind: the same page counts it
    save_second_marks(blind, dict.fromkeys(codes_of(blind.case), "yes"), blind.marker, submit=True)
    _, sections = framework_sections(world)
    mark_complete(blind.case, sections, by=blind.first_marker)
    assert world.pk in counted(blind.marker)  # both done


def codes_of(case) -> list[str]:
    return [q.code for q in key_questions_to_review(case)]
