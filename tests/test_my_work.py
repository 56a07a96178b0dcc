"""An inspector's own work: the home page, a case's check-your-answers page, completion offering
the next case, the lead correcting a case's attributes, and the print view."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.choices import CaseStatus
from cases.models import Answer, Case, QAOutcome
from cases.qa import QuestionVerdict, review_case
from inspection.choices import AuditKind, InspectionStatus
from inspection.models import AuditEntry, ManagerScope
from reports.publishing import move
from tests.case_helpers import answer, case_in_progress, team_member
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def assign(user, *cases):
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(assigned_inspector=user)


def ref(inspection, reference):
    return Case.objects.get(inspection=inspection, ref=reference)


def returned(case, reviewer, comment="Look again at 2.2.3 please"):
    question = answer(case, "2.2.3").question
    review_case(
        case,
        reviewer,
        [QuestionVerdict(question.id, "2.2.3", False, "Victim concerns were analysed.")],
        comment,
        QAOutcome.RETURNED,
    )
    return case


# Home page ------------------------------------------------------------------------------------


def test_home_lists_my_cases_by_status_returned_first_with_the_qa_comments(
    client, reference_inspection, lead
):
    ines = team_member(reference_inspection, "ines")
    mine = [ref(reference_inspection, r) for r in ("BWD-02", "BWD-04", "BWD-06")]
    assign(ines, *mine)
    case_in_progress(reference_inspection, "BWD-02")
    returned(ref(reference_inspection, "BWD-04"), lead)
    assign(lead, ref(reference_inspection, "BWD-08"))  # someone else's

    client.force_login(ines)
    page = client.get("/").content.decode()
    assert "Cases assigned to you" in page
    returned_at = page.index('id="cases-returned"')
    assert returned_at < page.index('id="cases-in_progress"') < page.index('id="cases-complete"')
    assert page.index("Case BWD-04") > returned_at
    assert "Look again at 2.2.3 please" in page
    assert "2.2.3: Victim concerns were analysed." in page
    for case in mine:
        # The case's name opens the one-page view, where an inspector answers it; its overview
        # (sections, history) is the second link.
        answer_link = f'href="{reverse("cases:answer", args=[case.pk])}">Case {case.ref}</a>'
        assert answer_link in page
        assert reverse("cases:detail", args=[case.pk]) in page
    assert "Case BWD-08" not in page
    # Leads and managers keep the inspections list; inspectors have it too, below.
    assert reverse("cases:list", args=[reference_inspection.pk]) in page


def test_home_queries_do_not_grow_with_cases(client, reference_inspection, lead):
    ines = team_member(reference_inspection, "ines")
    client.force_login(ines)
    assign(ines, ref(reference_inspection, "BWD-04"))
    returned(ref(reference_inspection, "BWD-04"), lead)
    client.get("/")
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    others = ["BWD-05", "BWD-06", "BWD-07", "BWD-08", "BWD-09"]
    assign(ines, *[ref(reference_inspection, r) for r in others])
    returned(ref(reference_inspection, "BWD-06"), lead)
    returned(ref(reference_inspection, "BWD-08"), lead)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/").content.decode()
    assert page.count('href="/cases/') >= 6
    assert len(many) == len(few)


def test_a_manager_sees_no_cases_and_keeps_the_inspections_list(client, published):
    manager = UserFactory(username="morgan")
    ManagerScope.objects.create(user=manager, region=published.pdu.region)
    client.force_login(manager)
    page = client.get("/?ref=BWD").content.decode()
    assert "Cases assigned to you" not in page
    assert "0 cases matching “BWD”" in page
    assert reverse("reports:report", args=[published.pk]) in page


def test_search_finds_only_cases_the_person_may_see(client, reference_inspection):
    ines = team_member(reference_inspection, "ines")
    outsider = UserFactory(username="olly")
    client.force_login(ines)
    page = client.get("/", {"ref": "bwd-1"}).content.decode()
    assert "10 cases matching “bwd-1”" in page  # BWD-10 to BWD-19
    assert reverse("cases:detail", args=[ref(reference_inspection, "BWD-12").pk]) in page
    client.force_login(outsider)
    page = client.get("/", {"ref": "BWD-12"}).content.decode()
    assert "0 cases matching" in page
    assert "BWD-12</a>" not in page


def test_search_names_bad_input(client, reference_inspection):
    client.force_login(team_member(reference_inspection, "ines"))
    response = client.get("/", {"ref": "BWD\x00"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "The case reference contains a control character (U+0000)" in page
    response = client.get("/", {"ref": "B" * 31})
    assert response.status_code == 400
    assert "30 characters or fewer" in response.content.decode()


# Check your answers -----------------------------------------------------------------------------


def check_url(case):
    return reverse("cases:check_case", args=[case.pk])


def test_check_page_reads_back_every_section_with_change_links(client, reference_inspection):
    client.force_login(team_member(reference_inspection, "ines"))
    case = case_in_progress(reference_inspection)  # court work, not released
    Answer.objects.filter(case=case, question__code="2.2.1").update(note="Saw the OASys.")
    page = client.get(check_url(case)).content.decode()
    assert "Check your answers" in page
    assert "2.2 Assessment" in page
    assert "Saw the OASys." in page
    section = reverse("cases:section", args=[case.pk, "2.2"])
    assert f'href="{section}#q2-2-1-value-group"' in page
    assert '<span class="govuk-visually-hidden"> 2.2.1 Does assessment focus' in page
    assert "Resettlement" in page and "Does not apply to this case" in page
    assert "Mark complete" in page
    assert "govuk-error-summary" not in page  # no problems


def test_check_page_problems_link_to_the_question_and_completion_is_refused(
    client, reference_inspection
):
    client.force_login(team_member(reference_inspection, "ines"))
    case = case_in_progress(reference_inspection)
    case.answers.filter(question__code="2.3.2").update(value="")
    page = client.get(check_url(case)).content.decode()
    link = reverse("cases:section", args=[case.pk, "2.3"]) + "#q2-3-2-value-group"
    assert f'<a href="{link}">Answer key question 2.3.2 yes, no or not applicable' in page
    response = client.post(check_url(case))
    assert response.status_code == 400
    assert "<title>Error: " in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.IN_PROGRESS


def test_completing_from_the_check_page_offers_my_next_case(client, reference_inspection):
    ines = team_member(reference_inspection, "ines")
    client.force_login(ines)
    case = case_in_progress(reference_inspection, "BWD-05")
    later = case_in_progress(reference_inspection, "BWD-09")
    finished = ref(reference_inspection, "BWD-07")  # complete: not offered
    earlier = case_in_progress(reference_inspection, "BWD-03")
    assign(ines, case, later, finished, earlier)
    response = client.post(check_url(case))
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:completed", args=[case.pk])
    assert Case.objects.get(pk=case.pk).status == CaseStatus.COMPLETE
    page = client.get(response["Location"]).content.decode()
    assert "Case BWD-05 marked as complete" in page
    assert reverse("cases:detail", args=[later.pk]) in page
    assert "Go to case BWD-09" in page

    later.status = CaseStatus.COMPLETE
    later.save()
    page = client.get(response["Location"]).content.decode()
    assert "Go to case BWD-03" in page  # wraps round to the first not finished
    Case.objects.filter(pk=earlier.pk).update(status=CaseStatus.COMPLETE)
    page = client.get(response["Location"]).content.decode()
    assert "No other case in this inspection is waiting for you" in page


def test_the_case_page_completes_to_the_same_confirmation(client, reference_inspection):
    client.force_login(team_member(reference_inspection, "ines"))
    case = case_in_progress(reference_inspection)
    detail = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Check your answers and mark complete" in detail
    response = client.post(reverse("cases:complete", args=[case.pk]))
    assert response["Location"] == reverse("cases:completed", args=[case.pk])


@pytest.mark.parametrize(
    ("who", "get", "post"),
    [
        ("inspector", 200, 302),
        ("lead", 200, 302),
        ("other_inspector", 404, 404),
        ("manager", 404, 404),
    ],
)
def test_check_page_access_by_role(client, reference_inspection, who, get, post):
    case = case_in_progress(reference_inspection)
    users = {
        "inspector": lambda: team_member(reference_inspection, "ines"),
        "lead": lambda: _lead(reference_inspection),
        "other_inspector": lambda: UserFactory(username="otto"),
        "manager": lambda: _manager(reference_inspection),
    }
    client.force_login(users[who]())
    assert client.get(check_url(case)).status_code == get
    assert client.post(check_url(case)).status_code == post


def _lead(inspection):
    user = UserFactory(username="lee")
    inspection.lead_inspector = user
    inspection.save()
    return user


def _manager(inspection):
    user = UserFactory(username="morgan")
    ManagerScope.objects.create(user=user, region=inspection.pdu.region)
    return user


def test_anonymous_is_sent_to_sign_in(client, reference_inspection):
    case = case_in_progress(reference_inspection)
    for name in ("cases:check_case", "cases:print", "cases:attributes", "cases:completed"):
        response = client.get(reverse(name, args=[case.pk]))
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_published_case_is_read_only_on_the_check_page(client, published, lead):
    client.force_login(lead)
    case = ref(published, "BWD-01")
    page = client.get(check_url(case)).content.decode()
    assert "Mark complete" not in page
    assert ">Change<" not in page
    assert client.post(check_url(case)).status_code == 404


# Inspection-wide check answers ---------------------------------------------------------------


def test_check_answers_defaults_to_my_cases_with_a_filter_for_all(client, reference_inspection):
    ines = team_member(reference_inspection, "ines")
    mine, theirs = case_in_progress(reference_inspection), ref(reference_inspection, "BWD-06")
    Case.objects.filter(pk=mine.pk).update(assigned_inspector=ines)
    Answer.objects.filter(case__in=[mine, theirs], question__code="2.3.2").update(value="")
    client.force_login(ines)
    url = reverse("cases:check_answers", args=[reference_inspection.pk])
    page = client.get(url).content.decode()
    assert "Case BWD-02" in page and "Case BWD-06" not in page
    page = client.get(url, {"whose": "all"}).content.decode()
    assert "Case BWD-02" in page and "Case BWD-06" in page
    response = client.get(url, {"whose": "nobody"})
    assert response.status_code == 400
    assert "Choose whose cases to show from the list" in response.content.decode()


# Correcting a case's attributes --------------------------------------------------------------


def attributes(case, **changes):
    data = {
        "sentence_type": case.sentence_type,
        "court_work": str(case.court_work),
        "resettlement": str(case.resettlement),
        "rosh": case.rosh,
        "gender": case.gender,
        "ethnicity": case.ethnicity,
        "disability": str(case.disability),
        "age_band": case.age_band,
        "practitioners": str(case.practitioners),
    }
    return {**data, **changes}


def test_lead_corrects_rosh_audited(client, reference_inspection, lead):
    case = ref(reference_inspection, "BWD-02")
    new_rosh = "very_high" if case.rosh != "very_high" else "low"
    client.force_login(lead)
    url = reverse("cases:attributes", args=[case.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, attributes(case, rosh=new_rosh))
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).rosh == new_rosh
    entry = AuditEntry.objects.get(case_id=case.pk, kind=AuditKind.CASE_DETAILS)
    assert entry.subject == "RoSH level" and entry.user == lead


def test_released_from_custody_rechecks_a_complete_case(client, reference_inspection, lead):
    case = ref(reference_inspection, "BWD-02")  # complete, not released
    assert case.status == CaseStatus.COMPLETE and not case.resettlement
    client.force_login(lead)
    client.post(reverse("cases:attributes", args=[case.pk]), attributes(case, resettlement="True"))
    case.refresh_from_db()
    assert case.resettlement
    assert case.status == CaseStatus.IN_PROGRESS  # resettlement now asked, and unanswered


def test_attribute_errors_are_named_and_nothing_changes(client, reference_inspection, lead):
    case = ref(reference_inspection, "BWD-02")
    client.force_login(lead)
    response = client.post(
        reverse("cases:attributes", args=[case.pk]),
        attributes(case, rosh="extreme", practitioners="lots", court_work="maybe"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose the rosh level from the list" in page
    assert "Choose yes or no for pre-sentence work by the pdu" in page
    assert "allocated practitioners" in page
    assert not AuditEntry.objects.filter(case_id=case.pk, kind=AuditKind.CASE_DETAILS).exists()


def test_only_the_lead_corrects_attributes_and_not_once_published(
    client, reference_inspection, lead
):
    case = ref(reference_inspection, "BWD-02")
    url = reverse("cases:attributes", args=[case.pk])
    client.force_login(team_member(reference_inspection, "ines"))
    assert client.get(url).status_code == 404
    move(reference_inspection, InspectionStatus.PUBLISHED, lead)
    client.force_login(lead)
    assert client.get(url).status_code == 404  # published
    assert client.post(url, attributes(case, rosh="low")).status_code == 404


def test_inspector_may_not_correct_attributes(client, reference_inspection):
    case = ref(reference_inspection, "BWD-02")
    client.force_login(team_member(reference_inspection, "ines"))
    url = reverse("cases:attributes", args=[case.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, attributes(case, rosh="low")).status_code == 404
    detail = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert url not in detail


# Print view ------------------------------------------------------------------------------------


def test_print_view_has_every_answer_and_note_and_no_navigation(client, reference_inspection):
    client.force_login(team_member(reference_inspection, "ines"))
    case = case_in_progress(reference_inspection)
    Answer.objects.filter(case=case, question__code="2.5.1").update(note="Reviewed monthly.")
    page = client.get(reverse("cases:print", args=[case.pk])).content.decode()
    assert "Reviewed monthly." in page
    assert "2.2.1 <span" in page
    assert "css/print.css" in page
    assert "govuk-header" not in page and "govuk-back-link" not in page
    client.force_login(UserFactory(username="otto"))
    assert client.get(reverse("cases:print", args=[case.pk])).status_code == 404


# Section pages show the case -------------------------------------------------------------------


def test_section_page_shows_the_case_attributes(client, reference_inspection):
    client.force_login(team_member(reference_inspection, "ines"))
    case = case_in_progress(reference_inspection)
    page = client.get(reverse("cases:section", args=[case.pk, "2.2"])).content.decode()
    assert 'class="app-case-facts' in page
    assert f"<dt>RoSH</dt><dd>{case.get_rosh_display()}</dd>" in page
