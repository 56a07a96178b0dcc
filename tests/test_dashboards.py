"""PDU, region and national dashboards: visibility, pooled averages, trends, sorting, queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspection.choices import RatedBy
from inspection.framework.rating_engine import Count
from inspection.models import Domain1Judgement, Framework, Inspection, ManagerScope, Standard
from reports.charts import bar_chart, stacked_bar_chart
from reports.dashboards import Inclusion
from reports.results import latest_per_pdu, pooled
from reports.sorting import parse_sort, sort_rows
from tests.case_helpers import team_member
from tests.factories import (
    CaseFactory,
    InspectionFactory,
    PDUFactory,
    RegionFactory,
    UserFactory,
    answer_everything,
)
from tests.page_text import page_text, texts_by_id


def inspect(
    pdu,
    *,
    cases=5,
    no_cases=0,
    start=datetime.date(2024, 3, 4),
    status="published",
    domain1=None,
    framework="hmip-pdu-2021",
):
    """An inspection of `pdu` whose first `no_cases` cases say no to everything, the rest yes.

    Domain-1 (judged) standards get the `domain1` rating when given. Everything is written before
    the status is set, since a published inspection is read-only.
    """
    inspection = InspectionFactory(
        pdu=pdu,
        fieldwork_start=start,
        status="fieldwork",
        framework=Framework.objects.newest(framework),
    )
    made = CaseFactory.create_batch(cases, inspection=inspection)
    answer_everything(made, lambda case, q: "no" if made.index(case) < no_cases else "yes")
    if domain1:
        for standard in Standard.objects.filter(
            framework=inspection.framework, domain__rated_by=RatedBy.JUDGEMENT
        ):
            Domain1Judgement.objects.create(
                inspection=inspection, standard=standard, rating=domain1
            )
    Inspection.objects.filter(pk=inspection.pk).update(status=status)
    inspection.status = status
    return inspection


def manager_for(region=None, pdu=None, username="morgan"):
    user = UserFactory(username=username)
    ManagerScope.objects.create(user=user, region=region, pdu=pdu)
    return user


ENGAGING = "2.2.1 Does assessment focus sufficiently on engaging the person on probation?"


def get(client, name, *args, **params):
    response = client.get(reverse(f"reports:{name}", args=args), params)
    assert response.status_code == 200
    return response.content.decode()


# --- What counts --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_manager_sees_only_published_inspections_in_scope(client):
    north, south = RegionFactory(name="North"), RegionFactory(name="South")
    inspect(PDUFactory(region=north, name="Mine"), no_cases=1)
    draft = inspect(PDUFactory(region=north, name="Draft"), no_cases=5, status="fieldwork")
    inspect(PDUFactory(region=south, name="Elsewhere"), no_cases=5)
    client.force_login(manager_for(region=north))

    # National figures are every published inspection's, unnamed (tests/test_comparators.py):
    # Mine's 4 of 5 and Elsewhere's 0 of 5 for 2.2.1, never the draft's.
    national = page_text(get(client, "national"))
    assert "Includes 2 inspections of 2 PDUs in 2 regions." in national
    assert f"{ENGAGING} 40% 4 of 10" in national
    assert "Mine" not in national and "Elsewhere" not in national
    region = page_text(get(client, "region", north.pk))
    assert "Mine" in region and "Draft" not in region
    south_page = page_text(get(client, "region", south.pk))
    assert "no inspections here that you are allowed to see" in south_page
    assert "Elsewhere" not in south_page
    assert "no inspections here that you are allowed to see" in page_text(
        get(client, "pdu", draft.pdu.pk)
    )


@pytest.mark.django_db
def test_inspector_sees_only_their_own_inspections(client):
    region = RegionFactory()
    own = inspect(PDUFactory(region=region, name="Ownbury"), status="fieldwork")
    inspect(PDUFactory(region=region, name="Neighbourton"), status="published")
    client.force_login(team_member(own, "ines"))
    text = page_text(get(client, "region", region.pk))
    assert "Includes 1 inspection of 1 PDU in 1 region. It is not yet published" in text
    assert "Ownbury" in text and "Neighbourton" not in text


@pytest.mark.django_db
def test_unknown_pdu_or_region_is_404(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("reports:pdu", args=[999999])).status_code == 404
    assert client.get(reverse("reports:region", args=[999999])).status_code == 404


# --- Averages pool the counts -------------------------------------------------------------------


@pytest.mark.django_db
def test_region_and_national_averages_pool_the_counts(client, admin_user):
    north, south = RegionFactory(name="North"), RegionFactory(name="South")
    small = inspect(PDUFactory(region=north, name="Small"), cases=5, no_cases=0)  # 5/5
    inspect(PDUFactory(region=north, name="Large"), cases=15, no_cases=15)  # 0/15
    inspect(PDUFactory(region=south, name="Other"), cases=10, no_cases=5)  # 5/10
    client.force_login(admin_user)

    texts = texts_by_id(get(client, "pdu", small.pdu.pk))
    # Pooled: 5 of 20 (25%), not the mean of 100% and 0%; nationally 10 of 30 (33%).
    assert texts["q-2-2-1"].endswith("100% 5 of 5 25% 5 of 20 33% 10 of 30")
    region = page_text(get(client, "region", north.pk))
    assert "25% 5 of 20" in region[region.index("Region average") :]


def test_pooled_sums_yes_and_relevant():
    assert pooled([Count(5, 5), Count(0, 15)]) == Count(5, 20)
    assert pooled([]) == Count(0, 0)


@pytest.mark.django_db
def test_only_each_pdus_latest_inspection_counts_in_comparisons(client, admin_user):
    pdu = PDUFactory(name="Twice")
    old = inspect(pdu, no_cases=5, start=datetime.date(2021, 5, 1))
    new = inspect(pdu, no_cases=0, start=datetime.date(2024, 5, 1))
    assert latest_per_pdu([old, new]) == [new] == latest_per_pdu([new, old])
    client.force_login(admin_user)
    national = page_text(get(client, "national"))
    assert "Includes 1 inspection of 1 PDU in 1 region." in national
    html = get(client, "pdu", pdu.pk)
    text = page_text(html)
    assert "Includes 2 inspections of 1 PDU in 1 region." in text
    assert "Latest inspection: fieldwork from 1 May 2024" in text
    trend = texts_by_id(html)["trend-kq-caption"]
    assert trend.startswith("Key questions at each inspection")
    # The trend shows both inspections, oldest first, each linking to its report.
    ratings = text[text.index("Ratings at each inspection") :]
    assert ratings.index("May 2021") < ratings.index("May 2024")
    assert reverse("reports:report", args=[old.pk]) in html
    assert reverse("reports:report", args=[new.pk]) in html
    kq_trend = text[text.index("Key questions at each inspection") :]
    assert f"{ENGAGING} 0% 0 of 5 100% 5 of 5" in kq_trend


@pytest.mark.django_db
def test_pdu_trend_shows_scores_and_overall_ratings(client, admin_user):
    pdu = PDUFactory()
    inspect(pdu, no_cases=0, domain1="good")
    client.force_login(admin_user)
    html = get(client, "pdu", pdu.pk)
    # Four Good (2 each) and five case standards all yes, so Outstanding (3 each): 23.
    assert texts_by_id(html)["latest-score"] == "23/27"
    assert "Score out of 27 at each inspection" in html
    assert '<svg class="app-chart__svg"' in html and 'role="img"' in html


# --- Region sorting -----------------------------------------------------------------------------


@pytest.fixture
def region_of_three(db):
    # Which cases have court work follows the case factory's sequence: start it at the same
    # place whatever ran before, or the scores (and so the order) depend on the test order.
    CaseFactory.reset_sequence(0)
    region = RegionFactory(name="Sorted")
    for name, no_cases in (("Alpha", 3), ("Bravo", 0), ("Charlie", 1)):
        inspect(PDUFactory(region=region, name=name), no_cases=no_cases, domain1="good")
    inspect(PDUFactory(region=region, name="Delta"), no_cases=0)  # domain 1 not rated: no score
    return region


def sort_header(aria_sort: str, key: str, next_order: str) -> str:
    link = f'<a class="govuk-link app-sort-link" href="?sort={key}&amp;order={next_order}">'
    return f'aria-sort="{aria_sort}">{link}'


def pdu_order(text: str) -> list[str]:
    table = text[text.index("Ratings PDU") : text.index("Key questions: percentage")]
    return sorted(("Alpha", "Bravo", "Charlie", "Delta"), key=table.index)


@pytest.mark.django_db
def test_region_sorts_by_name_by_default(client, admin_user, region_of_three):
    client.force_login(admin_user)
    html = get(client, "region", region_of_three.pk)
    assert pdu_order(page_text(html)) == ["Alpha", "Bravo", "Charlie", "Delta"]
    assert sort_header("ascending", "pdu", "desc") + "PDU" in html
    assert html.count('aria-sort="none"') > 10


@pytest.mark.django_db
def test_region_sorts_by_score_and_key_question_server_side(client, admin_user, region_of_three):
    client.force_login(admin_user)
    html = get(client, "region", region_of_three.pk, sort="score", order="desc")
    # Bravo all yes, Charlie 1 no, Alpha 3 no; Delta has no score so comes last either way.
    assert pdu_order(page_text(html)) == ["Bravo", "Charlie", "Alpha", "Delta"]
    assert sort_header("descending", "score", "asc") + "Score" in html
    html = get(client, "region", region_of_three.pk, sort="score", order="asc")
    assert pdu_order(page_text(html)) == ["Alpha", "Charlie", "Bravo", "Delta"]
    html = get(client, "region", region_of_three.pk, sort="2.2.3", order="asc")
    assert pdu_order(page_text(html))[0] == "Alpha"
    assert sort_header("ascending", "2.2.3", "desc") + "2.2.3" in html
    html = get(client, "region", region_of_three.pk, sort="1.1", order="desc")
    assert pdu_order(page_text(html))[-1] == "Delta"  # not rated comes last


@pytest.mark.django_db
def test_region_ignores_an_unknown_sort_key(client, admin_user, region_of_three):
    client.force_login(admin_user)
    html = get(client, "region", region_of_three.pk, sort="'; drop table", order="sideways")
    assert pdu_order(page_text(html)) == ["Alpha", "Bravo", "Charlie", "Delta"]


def test_sort_order_links_and_aria_sort():
    order = parse_sort({"sort": "score", "order": "desc"}, ["pdu", "score"], "pdu", ["pdu"])
    assert (order.aria_sort("score"), order.aria_sort("pdu")) == ("descending", "none")
    assert order.query_for("score") == "?sort=score&order=asc"
    assert order.query_for("pdu") == "?sort=pdu&order=asc"
    default = parse_sort({}, ["pdu", "score"], "pdu", ["pdu"])
    assert default.query_for("score") == "?sort=score&order=desc"  # figures: best first
    rows = [3, None, 1, 2]
    assert sort_rows(rows, lambda r: r, descending=True) == [3, 2, 1, None]
    assert sort_rows(rows, lambda r: r, descending=False) == [1, 2, 3, None]


# --- National -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_national_lists_every_region_and_the_rating_distribution(client, admin_user):
    north, south = RegionFactory(name="North"), RegionFactory(name="South")
    RegionFactory(name="Empty")
    for pdu_name, no_cases in (("A", 0), ("B", 0)):
        inspect(PDUFactory(region=north, name=pdu_name), no_cases=no_cases, domain1="good")
    inspect(PDUFactory(region=south, name="C"), no_cases=5, domain1="inadequate")
    client.force_login(admin_user)
    text = page_text(get(client, "national"))
    # Region, PDUs, then Outstanding, Good, Requires improvement, Inadequate, Not yet rated.
    assert "Empty 0 0 0 0 0 0" in text
    # North: 4 Good (2 points each) and 5 Outstanding (3 each) make 23, Outstanding overall.
    assert "North 2 2 0 0 0 0" in text
    assert "South 1 0 0 0 1 0" in text
    assert "Overall rating 2 0 0 1 0" in text
    assert "2.2 Assessment 2 0 0 1 0" in text
    assert "How many PDUs have each rating" in text


# --- Queries do not grow ------------------------------------------------------------------------


def queries(client, url) -> int:
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def dashboard_urls(inspection):
    return [
        reverse("reports:pdu", args=[inspection.pdu.pk]),
        reverse("reports:region", args=[inspection.pdu.region_id]) + "?sort=2.2.3",
        reverse("reports:national"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("as_manager", [False, True])
def test_dashboard_queries_are_the_same_for_1_and_6_inspections(client, admin_user, as_manager):
    region = RegionFactory(name="Counted")
    first = inspect(PDUFactory(region=region), cases=5)
    user = manager_for(region=region) if as_manager else admin_user
    client.force_login(user)
    one = [queries(client, url) for url in dashboard_urls(first)]
    for index in range(5):
        other_region = region if index % 2 else RegionFactory()
        inspect(PDUFactory(region=other_region), cases=5, domain1="good")
    inspect(first.pdu, cases=5, start=datetime.date(2020, 1, 1))  # an older one of the same PDU
    six = [queries(client, url) for url in dashboard_urls(first)]
    assert one == six
    print(f"dashboards (pdu, region, national), manager={as_manager}: {one} queries")


@pytest.mark.django_db
def test_dashboard_queries_are_the_same_for_5_and_50_cases(client, admin_user):
    client.force_login(admin_user)
    small = inspect(PDUFactory(region=RegionFactory(name="Small")), cases=5)
    before = [queries(client, url) for url in dashboard_urls(small)]
    large = inspect(PDUFactory(region=RegionFactory(name="Large")), cases=50)
    after = [queries(client, url) for url in dashboard_urls(large)]
    assert before == after


# --- Pure pieces --------------------------------------------------------------------------------


def test_inclusion_sentence():
    assert Inclusion(0, 0, 0, 0).sentence.startswith("There are no inspections")
    assert Inclusion(3, 2, 1, 0).sentence == "Includes 3 inspections of 2 PDUs in 1 region."
    assert Inclusion(3, 2, 1, 2).sentence.endswith(
        "2 of them are not yet published, so their figures may still change."
    )


def test_bar_chart_geometry():
    chart = bar_chart(
        "c", "Title", "Description", [("a", [50, None]), ("b", [100, 0])], ["x", "y"], maximum=100
    )
    a, b = chart.rows
    full = chart.plot_right - chart.plot_left
    assert b.bars[0].width == full and a.bars[0].width == full // 2
    assert a.bars[1].width == 0 and a.bars[1].text == "none"
    assert b.bars[0].text == "100%"
    assert [t.text for t in chart.ticks] == ["0%", "25%", "50%", "75%", "100%"]
    assert len(chart.legend) == 2
    assert a.label_y < b.label_y < chart.height


def test_stacked_chart_parts_are_shares_of_the_row():
    chart = stacked_bar_chart("s", "T", "D", [("1.1", [1, 3, 0])], ["A", "B", "C"], ["a", "b", "c"])
    (row,) = chart.rows
    assert [bar.css_class for bar in row.bars] == ["a", "b"]  # no part for a zero count
    assert row.bars[1].width > 2 * row.bars[0].width
    assert [bar.text for bar in row.bars] == ["1", "3"]
