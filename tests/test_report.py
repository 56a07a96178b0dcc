"""The inspection report page: the published numbers, drill-downs, breakdowns, access, queries."""

import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Answer, Case
from inspection.framework.rating_engine import Count
from inspection.framework.spec import load_framework_spec
from inspection.models import ManagerScope, Question
from reports.breakdowns import ATTRIBUTES, MIN_RELEVANT_CASES, Cell, Reason, build_breakdown
from tests import reference_numbers as ref
from tests.case_helpers import team_member
from tests.factories import CaseFactory, InspectionFactory, UserFactory, answer_everything
from tests.page_text import page_text, texts_by_id

RATING_LABELS = {
    "outstanding": "Outstanding",
    "good": "Good",
    "requires_improvement": "Requires improvement",
    "inadequate": "Inadequate",
    None: "Not rated",
}
# The key question driving each case-rated standard's rating in the reference inspection.
LOWEST = {"2.1.1", "2.2.3", "2.3.3", "2.4.2", "2.5.3"}


def report_url(inspection):
    return reverse("reports:report", args=[inspection.pk])


def drilldown_url(inspection, code):
    return reverse("reports:drilldown", args=[inspection.pk, code])


def row_id(code: str) -> str:
    return "q-" + code.replace(".", "-").lower()


def figures(row_text: str, code: str) -> tuple[int, int]:
    """(percentage, relevant cases) from the end of a figures row, with its 95% interval."""
    found = re.search(
        rf" (\d+)%(?: yes for {re.escape(code)}: see the cases)? (\d+) \d+% to \d+%$", row_text
    )
    assert found, row_text
    return int(found[1]), int(found[2])


def half_up(yes: int, relevant: int) -> int:
    return int((Decimal(100 * yes) / relevant).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def manager_of(inspection, username="morgan"):
    manager = UserFactory(username=username)
    ManagerScope.objects.create(user=manager, region=inspection.pdu.region)
    return manager


def publish(inspection):
    type(inspection).objects.filter(pk=inspection.pk).update(status="published")
    inspection.refresh_from_db()


@pytest.fixture
def reference_page(client, admin_user, reference_inspection):
    client.force_login(admin_user)
    response = client.get(report_url(reference_inspection))
    assert response.status_code == 200
    html = response.content.decode()
    return texts_by_id(html), html


# --- The reference inspection's numbers --------------------------------------------------------


@pytest.mark.django_db
def test_every_rating_score_and_overall_rating(reference_page):
    texts, _ = reference_page
    for code, rating in ref.RATINGS.items():
        assert texts[f"standard-{code.replace('.', '-')}-rating"] == RATING_LABELS[rating], code
    assert texts["score"] == f"{ref.SCORE}/{ref.MAX_SCORE}" == "10/27"
    assert texts["overall-rating"] == RATING_LABELS[ref.OVERALL]


@pytest.mark.django_db
def test_every_key_question_percentage_relevant_cases_and_interval(reference_page):
    texts, _ = reference_page
    for code, (_yes, relevant, percent) in ref.KEY_QUESTIONS.items():
        assert figures(texts[row_id(code)], code) == (percent, relevant), code
    assert texts[row_id("2.2.3")].endswith("52% yes for 2.2.3: see the cases 21 32% to 72%")


@pytest.mark.django_db
def test_the_lowest_key_question_is_marked_as_driving_the_rating(reference_page):
    texts, _ = reference_page
    for code in ref.KEY_QUESTIONS:
        marked = "Lowest: drives the rating" in texts[row_id(code)]
        assert marked == (code in LOWEST), code


@pytest.mark.django_db
def test_every_listed_prompt_finding_in_words(reference_page, framework):
    texts, _ = reference_page
    wording = {
        q.code: q for q in Question.objects.filter(code__in=ref.PROMPTS, framework=framework)
    }
    for code, (yes, relevant) in ref.PROMPTS.items():
        row = texts[row_id(code)]
        question = wording[code]
        assert question.finding_subject, code  # every finding the report states has its wording
        if yes * 2 < relevant:
            sentence = f"{question.finding_subject} {question.finding_not_met} in {relevant - yes}"
        else:
            sentence = f"{question.finding_subject} {question.finding_met} in {yes}"
        assert f"{sentence} out of {relevant} relevant cases." in row, code
        assert figures(row, code) == (half_up(yes, relevant), relevant), code
    # The report's own sentence, word for word apart from the numeral.
    assert (
        "Child safeguarding information sharing did not take place in 9 out of 17 relevant cases."
        in texts[row_id("2.2.3.d")]
    )
    for code, percent in ref.PROMPT_PERCENTS.items():
        assert figures(texts[row_id(code)], code)[0] == percent
    assert texts[row_id("2.2.3.d")].startswith(
        "2.2.3.d Child safeguarding information sharing did not take place in 9 out of 17"
    )


@pytest.mark.django_db
def test_outcomes_are_shown_but_not_rated(reference_page):
    texts, html = reference_page
    assert texts["standard-2-6-rating"] == "Not rated"
    assert "43%" in texts[row_id("2.6.1")]
    assert "Lowest" not in texts[row_id("2.6.1")]
    assert "We do not currently rate the Outcomes standard" in page_text(html)


@pytest.mark.django_db
def test_rating_sentences_follow_the_report(reference_page):
    text = page_text(reference_page[1])
    assert (
        "Blackburn with Darwen PDU is rated as 'Good' for planning as the lowest score of the "
        "three questions was 67 per cent." in text
    )
    assert "rated as 'Inadequate' for court work as its key question scored 44 per cent." in text


@pytest.mark.django_db
def test_domain1_strengths_areas_and_the_limiting_rule(reference_page, reference_bundle_data):
    text = page_text(reference_page[1])
    standards = reference_bundle_data["report"]["parts"]["standards"]
    for code in reference_bundle_data["domain1"]:
        first = standards[code][0]  # the standard's own strengths and areas
        lines = [i["text"] for i in first["strengths"] + first["areas"] if "text" in i]
        assert lines, code
        for line in lines:
            if "{" not in line:  # those citing a figure: tests/test_report_coverage.py
                assert " ".join(line.split()) in text, code
    assert "this rules out a rating of 'Good' or 'Outstanding' for leadership" in text


@pytest.mark.django_db
def test_recommendations_grouped_by_addressee_and_numbered_on(reference_page):
    html = reference_page[1]
    text = page_text(html)
    pdu = text.index("Blackburn with Darwen PDU should:")
    region = text.index("North West region should:")
    national = text.index("HM Prison and Probation Service (HMPPS) should:")
    assert pdu < region < national
    assert text.index("improve the quality of court reports to inform sentencing") < region
    assert 'start="6"' in html and 'start="8"' in html


@pytest.mark.django_db
def test_pdu_and_region_names_link_to_their_dashboards(reference_page, reference_inspection):
    html = reference_page[1]
    pdu = reference_inspection.pdu
    assert f'href="{reverse("reports:pdu", args=[pdu.pk])}"' in html
    assert f'href="{reverse("reports:region", args=[pdu.region_id])}"' in html


# --- Drill-down and access ---------------------------------------------------------------------


@pytest.mark.django_db
def test_team_member_drills_down_to_the_cases_behind_a_percentage(client, reference_inspection):
    client.force_login(team_member(reference_inspection, "ines"))
    report = client.get(report_url(reference_inspection)).content.decode()
    assert f'href="{drilldown_url(reference_inspection, "2.2.3.d")}"' in report

    answer = Answer.objects.get(case__ref="BWD-01", question__code="2.2.3")
    response = client.get(drilldown_url(reference_inspection, "2.2.3"))
    assert response.status_code == 200
    html = response.content.decode()
    text = page_text(html)
    assert "17 relevant" not in text and "The 21 relevant cases" in text
    cases = Case.objects.filter(inspection=reference_inspection)
    for case in cases:
        assert f'href="{reverse("cases:detail", args=[case.pk])}"' in html
    assert " ".join(answer.note.split()) in text
    assert "21 (11 yes, 10 no)" in text


@pytest.mark.django_db
def test_drill_down_lists_only_relevant_cases(client, reference_inspection):
    client.force_login(team_member(reference_inspection, "ines"))
    html = client.get(drilldown_url(reference_inspection, "2.2.3.d")).content.decode()
    na_refs = Answer.objects.filter(
        case__inspection=reference_inspection, question__code="2.2.3.d", value="na"
    ).values_list("case__ref", flat=True)
    assert na_refs  # some cases had no child safeguarding concerns
    for case_ref in na_refs:
        assert f">{case_ref}<" not in html
    assert "17 (8 yes, 9 no)" in page_text(html)
    court = client.get(drilldown_url(reference_inspection, "2.1.1")).content.decode()
    assert "The 9 relevant cases" in page_text(court)


@pytest.mark.django_db
def test_manager_reads_the_published_report_without_drill_downs(client, reference_inspection):
    publish(reference_inspection)
    client.force_login(manager_of(reference_inspection))
    response = client.get(report_url(reference_inspection))
    assert response.status_code == 200
    html = response.content.decode()
    assert "/report/questions/" not in html
    assert reverse("cases:list", args=[reference_inspection.pk]) not in html
    assert reverse("exports:pdf", args=[reference_inspection.pk]) in html
    assert reverse("exports:csv", args=[reference_inspection.pk]) not in html
    assert "10/27" in html
    assert client.get(drilldown_url(reference_inspection, "2.2.3")).status_code == 404


@pytest.mark.django_db
def test_manager_cannot_see_an_unpublished_report(client, reference_inspection):
    client.force_login(manager_of(reference_inspection))
    assert client.get(report_url(reference_inspection)).status_code == 404
    assert client.get(drilldown_url(reference_inspection, "2.2.3")).status_code == 404


@pytest.mark.django_db
def test_inspector_of_another_inspection_gets_404(client, reference_inspection):
    other = InspectionFactory()
    client.force_login(team_member(other, "otto"))
    assert client.get(report_url(reference_inspection)).status_code == 404
    assert client.get(drilldown_url(reference_inspection, "2.2.3")).status_code == 404


@pytest.mark.django_db
def test_unknown_question_code_is_404(client, admin_user, reference_inspection):
    client.force_login(admin_user)
    assert client.get(drilldown_url(reference_inspection, "9.9.9")).status_code == 404


@pytest.mark.django_db
def test_signed_out_visitors_are_sent_to_sign_in(client, reference_inspection):
    response = client.get(report_url(reference_inspection))
    assert response.status_code == 302 and "/login/" in response.url


# --- Breakdowns and small numbers --------------------------------------------------------------


@pytest.mark.django_db
def test_small_groups_are_suppressed_and_the_rule_is_stated(client, admin_user):
    inspection = InspectionFactory()
    men = CaseFactory.create_batch(6, inspection=inspection, gender="male")
    women = CaseFactory.create_batch(3, inspection=inspection, gender="female")
    answer_everything(men + women, lambda case, q: "no" if case in men[:2] else "yes")
    client.force_login(admin_user)
    html = client.get(report_url(inspection)).content.decode()
    text = page_text(html)
    assert f"Groups with fewer than {MIN_RELEVANT_CASES} relevant cases are not shown" in text
    gender = texts_by_id(html)["breakdown-gender"]
    assert gender == "By gender"
    table = text[text.index("By gender") : text.index("By ethnicity")]
    assert "Male Female" in table
    engaging = "2.2.1 Does assessment focus sufficiently on engaging the person on probation?"
    # The men are hidden too: the key question's total less the men would give the women away.
    assert f"{engaging} Hidden to protect a group of fewer than 5 Fewer than 5" in table
    assert "of 3" not in table and "of 6" not in table


def test_suppressed_breakdown_cells_keep_no_count():
    hidden = Cell.of(Count(4, 4), Reason.FEWER_THAN_MINIMUM)
    assert hidden.suppressed and hidden.count is None
    shown = Cell.of(Count(3, 5), None)
    assert not shown.suppressed and shown.count == Count(3, 5)


@pytest.mark.django_db
def test_breakdown_columns_are_the_groups_present_in_order(framework):
    spec = load_framework_spec(framework)
    kqs = [kq for s in spec.standards for kq in s.key_questions]
    rosh = next(a for a in ATTRIBUTES if a.field == "rosh")
    counts = {("2.2.1", "high"): Count(5, 6), ("2.2.1", "low"): Count(2, 5)}
    breakdown = build_breakdown(rosh, kqs, counts)
    assert breakdown.group_labels == ("Low", "High")
    row = next(r for r in breakdown.rows if r.question.code == "2.2.1")
    assert [c.count for c in row.cells] == [Count(2, 5), Count(5, 6)]
    other = next(r for r in breakdown.rows if r.question.code == "2.2.2")
    assert all(c.count is None and c.reason == Reason.FEWER_THAN_MINIMUM for c in other.cells)


@pytest.mark.django_db
def test_breakdowns_match_the_case_attributes(client, admin_user, reference_inspection):
    client.force_login(admin_user)
    text = page_text(client.get(report_url(reference_inspection)).content.decode())
    disability = text[text.index("By disability") : text.index("By risk of serious harm")]
    disabled = Case.objects.filter(inspection=reference_inspection, disability=True)
    yes = Answer.objects.filter(case__in=disabled, question__code="2.2.3", value="yes").count()
    safe = "2.2.3 Does assessment focus sufficiently on keeping other people safe?"
    percent = half_up(yes, disabled.count())
    assert f"{safe} {percent}% {yes} of {disabled.count()}" in disability


# --- Query counts -------------------------------------------------------------------------------


def build_inspection(n_cases: int):
    inspection = InspectionFactory()
    cases = CaseFactory.create_batch(n_cases, inspection=inspection)
    answer_everything(cases, lambda case, q: "no" if cases.index(case) % 3 == 0 else "yes")
    return inspection


def queries_for_get(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_report_query_count_is_the_same_for_5_and_50_cases(client, admin_user):
    small, large = build_inspection(5), build_inspection(50)
    client.force_login(admin_user)
    client.get(report_url(small))  # warm the session
    small_queries = queries_for_get(client, report_url(small))
    large_queries = queries_for_get(client, report_url(large))
    assert small_queries == large_queries
    print(f"report page: {small_queries} queries for 5 and for 50 cases")


@pytest.mark.django_db
def test_drilldown_query_count_is_the_same_for_5_and_50_cases(client, admin_user):
    small, large = build_inspection(5), build_inspection(50)
    client.force_login(admin_user)
    client.get(drilldown_url(small, "2.2.1"))
    assert queries_for_get(client, drilldown_url(small, "2.2.1")) == queries_for_get(
        client, drilldown_url(large, "2.2.1")
    )


# --- Navigation ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_case_list_links_to_the_report_and_header_to_dashboards(client, reference_inspection):
    client.force_login(team_member(reference_inspection, "ines"))
    html = client.get(reverse("cases:list", args=[reference_inspection.pk])).content.decode()
    assert f'href="{report_url(reference_inspection)}"' in html
    assert f'href="{reverse("reports:national")}"' in html
    report = client.get(report_url(reference_inspection)).content.decode()
    assert 'aria-current="page">Report</a>' in report


@pytest.mark.django_db
def test_an_inspection_without_answers_reports_nothing_rated(client, admin_user):
    inspection = InspectionFactory()
    CaseFactory(inspection=inspection)
    client.force_login(admin_user)
    html = client.get(report_url(inspection)).content.decode()
    texts = texts_by_id(html)
    assert texts["score"] == "Not available until every standard is rated (out of 27)"
    assert texts["overall-rating"] == "Not yet rated"
    assert texts[row_id("2.2.1")].endswith("No relevant cases 0 Not available")
    assert "none of the cases inspected was relevant" in texts[row_id("2.2.1.a")]
