"""Dashboards across framework versions: published inspections under hmip-pdu-2021 and 2023.

The 2023 framework renumbers the case questions (2021's assessment 2.2.1 is 2023's 2.1.1) and maps
each to its 2021 code; 2021's court-work question 2.1.1 has no 2023 key question. 2021 scores out
of 27, 2023 out of 21, so their scores and overall ratings are never put side by side.
"""

import datetime

import pytest
from django.urls import reverse

from cases.models import Answer, Case
from inspection.choices import InspectionStatus
from inspection.framework.rating_engine import Count
from inspection.models import Region
from reports.dashboards import national_overview, pdu_dashboard, region_dashboard
from reports.like_with_like import NOT_COMPARABLE
from reports.publishing import move
from tests.case_helpers import team_member
from tests.factories import PDUFactory, RegionFactory
from tests.page_text import page_text, texts_by_id
from tests.report_helpers import write_required_parts
from tests.test_dashboards import inspect

OLD, NEW = "hmip-pdu-2021", "hmip-pdu-2023"
ENDED = (
    "Not comparable with later inspections: the framework changed from hmip-pdu-2021 to "
    "hmip-pdu-2023 and this question has no equivalent."
)


def published(pdu, framework, start, cases, no_cases):
    """Inspected under `framework`, then published by its lead through the lifecycle."""
    inspection = inspect(
        pdu,
        cases=cases,
        no_cases=no_cases,
        start=start,
        status=InspectionStatus.MODERATION,
        domain1="good",
        framework=framework,
    )
    Answer.objects.filter(case__inspection=inspection, value="no").update(note="Seen on file.")
    Case.objects.filter(inspection=inspection).update(status="complete")
    lead = team_member(inspection, f"lead{inspection.pk}")
    inspection.lead_inspector = lead
    inspection.save(update_fields=["lead_inspector"])
    write_required_parts(inspection, lead)
    move(inspection, InspectionStatus.PUBLISHED, lead)
    assert inspection.published_reports.count() == 1
    return inspection


def counted(inspection, code) -> Count:
    """A question's count worked out from the answers, independently of the dashboards."""
    answers = Answer.objects.filter(
        case__inspection=inspection, question__code=code, value__in=["yes", "no"]
    )
    return Count(answers.filter(value="yes").count(), answers.count())


@pytest.fixture
def country(db):
    north, south = RegionFactory(name="North"), RegionFactory(name="South")
    changeling = PDUFactory(region=north, name="Changeling")
    oldfield = PDUFactory(region=north, name="Oldfield")
    made = {
        "before": published(changeling, OLD, datetime.date(2022, 5, 2), cases=5, no_cases=1),
        "after": published(changeling, NEW, datetime.date(2024, 5, 6), cases=4, no_cases=0),
        "oldfield": published(oldfield, OLD, datetime.date(2023, 3, 6), cases=5, no_cases=0),
        "newtown": published(
            PDUFactory(region=south, name="Newtown"), NEW, datetime.date(2024, 2, 5), 5, 2
        ),
    }
    made.update(north=north, south=south)
    return made


def row(rows, code, framework=""):
    return next(r for r in rows if r.code == code and r.framework == framework)


@pytest.mark.django_db
def test_a_mapped_question_continues_across_the_framework_change(client, admin_user, country):
    before, after = country["before"], country["after"]
    dashboard = pdu_dashboard(admin_user, after.pdu)
    assessment = row(dashboard.key_question_trend, "2.1.1")  # 2023's code
    assert assessment.cells == (counted(before, "2.2.1"), counted(after, "2.1.1"))
    assert assessment.cells == (Count(4, 5), Count(4, 4)) and assessment.note == ""
    # 2023's 2.2.1 is planning: never joined to 2021's 2.2.1, which is assessment.
    assert row(dashboard.key_question_trend, "2.2.1").cells[0] == counted(before, "2.3.1")

    client.force_login(admin_user)
    text = page_text(client.get(reverse("reports:pdu", args=[after.pdu.pk])).content.decode())
    trend = text[text.index("Key questions at each inspection") :]
    assert "2.1.1 Does assessment focus sufficiently on engaging" in trend
    assert "80% 4 of 5 100% 4 of 4" in trend


@pytest.mark.django_db
def test_an_unmapped_question_says_so_and_shows_no_figure(client, admin_user, country):
    before, after = country["before"], country["after"]
    dashboard = pdu_dashboard(admin_user, after.pdu)
    court = row(dashboard.key_question_trend, "2.1.1", framework=OLD)
    assert court.cells == (counted(before, "2.1.1"), NOT_COMPARABLE)
    assert court.note == ENDED
    court_standard = row(dashboard.rating_trend, "2.1", framework=OLD)
    assert court_standard.cells[1] is NOT_COMPARABLE
    assert court_standard.note == ENDED.replace("this question", "this standard")

    client.force_login(admin_user)
    html = client.get(reverse("reports:pdu", args=[after.pdu.pk])).content.decode()
    text = page_text(html)
    trend = text[text.index("Key questions at each inspection") :]
    court_line = trend[trend.index("(hmip-pdu-2021)") :]
    court_line = court_line[: court_line.index("has no equivalent.") + len("has no equivalent.")]
    assert court_line.endswith(ENDED)
    assert trend[trend.index(ENDED) + len(ENDED) :].split()[:4] == [
        f"{counted(before, '2.1.1').percent}%",
        str(counted(before, "2.1.1").yes),
        "of",
        str(counted(before, "2.1.1").relevant),
    ]
    after_court = trend[trend.index(ENDED) + len(ENDED) :]
    assert after_court.split("Not comparable")[0].count("%") == 1  # one figure, then none


@pytest.mark.django_db
def test_scores_out_of_27_and_21_are_not_compared(client, admin_user, country):
    before, after = country["before"], country["after"]
    dashboard = pdu_dashboard(admin_user, after.pdu)
    assert [comparable for _, comparable in dashboard.score_cells] == [False, True]
    # The chart draws the 2023 score alone: no bar for the 2021 score on a 21-point axis.
    assert [r.label for r in dashboard.score_chart.rows] == ["May 2024"]
    assert "Score out of 21" in dashboard.score_chart.title
    client.force_login(admin_user)
    html = client.get(reverse("reports:pdu", args=[after.pdu.pk])).content.decode()
    note = texts_by_id(html)["score-not-comparable"]
    assert note == (
        "Scores and overall ratings of 1 inspection under another framework (hmip-pdu-2021) "
        "are left out of this comparison, not comparable: different scoring: hmip-pdu-2023 "
        "scores out of 21, hmip-pdu-2021 out of 27."
    )
    old_score, new_score = (s.score for s in dashboard.history)
    assert (
        f"Score {old_score}/27 Different scoring: not comparable {new_score}/21 Overall rating"
        in page_text(html)
    )
    assert before.published_reports.get().headline  # published, read from its record


@pytest.mark.django_db
def test_region_compares_mapped_questions_and_leaves_out_scores(client, admin_user, country):
    dashboard = region_dashboard(admin_user, country["north"], {})
    assert dashboard.framework.code == NEW  # the newest inspection's
    by_pdu = {f.summary.inspection.pdu.name: f for f in dashboard.figures}
    codes = [kq.code for kq in dashboard.key_questions]
    oldfield = by_pdu["Oldfield"]
    assert oldfield.counts[codes.index("2.1.1")] == counted(country["oldfield"], "2.2.1")
    standards = [s.code for s in dashboard.standards]
    assert oldfield.ratings[standards.index("1.1")] is NOT_COMPARABLE  # judged, other framework
    assert oldfield.ratings[standards.index("2.1")] == "outstanding"  # 2021's 2.2, mapped
    assert not oldfield.score_comparable and by_pdu["Changeling"].score_comparable
    assert [r.label for r in dashboard.score_chart.rows] == ["Changeling"]
    average = dashboard.averages[codes.index("2.1.1")]
    mapped = counted(country["after"], "2.1.1"), counted(country["oldfield"], "2.2.1")
    assert average == Count(sum(c.yes for c in mapped), sum(c.relevant for c in mapped))
    assert dashboard.average_left_out == (0,) * len(codes)

    client.force_login(admin_user)
    html = client.get(reverse("reports:region", args=[country["north"].pk])).content.decode()
    assert "hmip-pdu-2021" in texts_by_id(html)["frameworks-shown"]
    assert "hmip-pdu-2021 out of 27" in texts_by_id(html)["score-not-comparable"]


@pytest.mark.django_db
def test_averages_leave_out_inspections_with_no_equivalent_and_say_how_many(
    client, admin_user, country
):
    oldfield = country["oldfield"]
    dashboard = pdu_dashboard(admin_user, oldfield.pdu)  # its latest is under 2021
    court = next(c for c in dashboard.comparisons if c.question.code == "2.1.1")
    # North's latest: Oldfield (2021) and Changeling (2023, no court-work key question).
    assert court.region == counted(oldfield, "2.1.1") and court.region_left_out == 1
    assert court.national_left_out == 2  # Changeling and Newtown
    engaging = next(c for c in dashboard.comparisons if c.question.code == "2.2.1")
    assert engaging.region_left_out == engaging.national_left_out == 0
    expected = counted(oldfield, "2.2.1")
    for inspection in (country["after"], country["newtown"]):
        other = counted(inspection, "2.1.1")
        expected = Count(expected.yes + other.yes, expected.relevant + other.relevant)
    assert engaging.national == expected

    client.force_login(admin_user)
    html = client.get(reverse("reports:pdu", args=[oldfield.pdu.pk])).content.decode()
    assert texts_by_id(html)["q-2-1-1"].endswith(
        "Leaves out 2 inspections under a framework with no equivalent question"
    )


@pytest.mark.django_db
def test_national_pools_only_comparable_figures(client, admin_user, country):
    overview = national_overview(admin_user, list(Region.objects.order_by("name")))
    assert overview.framework.code == NEW
    overall = next(r for r in overview.distribution if r.label == "Overall")
    assert overall.left_out == 1 and sum(overall.counts) == 2  # Oldfield scores out of 27
    judged = next(r for r in overview.distribution if r.label == "1.1")
    assert judged.left_out == 1
    assessment = next(r for r in overview.distribution if r.label == "2.1")
    assert assessment.left_out == 0 and sum(assessment.counts) == 3
    north = next(line for line in overview.regions if line.region.name == "North")
    assert (north.pdus, north.left_out, sum(north.overall)) == (2, 1, 1)

    client.force_login(admin_user)
    html = client.get(reverse("reports:national")).content.decode()
    assert "1 scored differently, not counted in the ratings" in page_text(html)
    assert "hmip-pdu-2021 out of 27" in texts_by_id(html)["score-not-comparable"]
