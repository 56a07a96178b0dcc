"""Region and national comparators: over every PDU's latest published inspection, whoever looks.

A manager scoped to one PDU must not see their own PDU passed off as "national"; nor may an
unpublished inspection, or one the user cannot see by name, leak into what the pages list.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Answer
from inspection.framework.rating_engine import Count
from inspection.models import Region
from reports.dashboards import Inclusion, national_overview, pdu_dashboard, region_dashboard
from tests.case_helpers import team_member
from tests.factories import PDUFactory, RegionFactory
from tests.page_text import page_text, texts_by_id
from tests.test_dashboards import ENGAGING, inspect, manager_for

CODE = "2.2.1"  # applies to every case, so each inspection's count is easy to state


def pooled_from_answers(inspections) -> Count:
    """The pooled 2.2.1 count worked out from the answers, independently of the dashboards."""
    answers = Answer.objects.filter(
        case__inspection__in=inspections, question__code=CODE, value__in=["yes", "no"]
    )
    return Count(answers.filter(value="yes").count(), answers.count())


def comparison(dashboard):
    return next(c for c in dashboard.comparisons if c.question.code == CODE)


@pytest.fixture
def country(db):
    """Two regions; Mine is one PDU of North, which also has a draft that must never count."""
    north, south = RegionFactory(name="North"), RegionFactory(name="South")
    mine_pdu = PDUFactory(region=north, name="Mine")
    made = {
        # An older published inspection of Mine, all no: superseded, so it never counts.
        "mine_before": inspect(mine_pdu, cases=6, no_cases=6, start=datetime.date(2021, 4, 1)),
        "mine": inspect(mine_pdu, cases=5, no_cases=1),  # 4 of 5
        "neighbour": inspect(PDUFactory(region=north, name="Neighbourton"), cases=10, no_cases=10),
        "draft": inspect(PDUFactory(region=north, name="Drafton"), cases=8, status="moderation"),
        "far": inspect(PDUFactory(region=south, name="Farley"), cases=5, no_cases=0),  # 5 of 5
    }
    made.update(north=north, south=south)
    return made


@pytest.mark.django_db
def test_national_for_a_manager_of_one_pdu_is_every_published_pdu(client, country):
    mine = country["mine"]
    manager = manager_for(pdu=mine.pdu)
    region = pooled_from_answers([mine, country["neighbour"]])
    national = pooled_from_answers([mine, country["neighbour"], country["far"]])
    assert (region, national) == (Count(4, 15), Count(9, 20))

    found = comparison(pdu_dashboard(manager, mine.pdu))
    assert (found.pdu, found.region, found.national) == (Count(4, 5), region, national)
    assert found.national != found.pdu  # the old "national": this PDU alone

    client.force_login(manager)
    html = client.get(reverse("reports:pdu", args=[mine.pdu.pk])).content.decode()
    assert texts_by_id(html)["q-2-2-1"] == f"{ENGAGING} 80% 4 of 5 27% 4 of 15 45% 9 of 20"
    text = page_text(html)
    assert "the North region average is over 2 published inspections of 2 PDUs in 1 region" in text
    assert "the national average is over 3 published inspections of 3 PDUs in 2 regions" in text
    # Averages only: no other PDU or inspection is named or linked.
    for other in ("neighbour", "draft", "far"):
        assert country[other].pdu.name not in html
        assert reverse("reports:report", args=[country[other].pk]) not in html
    assert "Includes 2 inspections of 1 PDU in 1 region." in text  # Mine's own, both listed


@pytest.mark.django_db
def test_region_average_is_over_every_published_pdu_but_lists_only_visible_ones(client, country):
    mine = country["mine"]
    manager = manager_for(pdu=mine.pdu)
    dashboard = region_dashboard(manager, country["north"], {})
    assert [s.inspection for s in dashboard.rows] == [mine]
    average = dashboard.averages[[kq.code for kq in dashboard.key_questions].index(CODE)]
    assert average == pooled_from_answers([mine, country["neighbour"]]) == Count(4, 15)

    client.force_login(manager)
    html = client.get(reverse("reports:region", args=[country["north"].pk])).content.decode()
    text = page_text(html)
    assert "27% 4 of 15" in text[text.index("Region average") :]
    assert texts_by_id(html)["region-average-inclusion"].startswith(
        "The region average is over 2 published inspections of 2 PDUs in 1 region:"
    )
    assert "Neighbourton" not in html and "Drafton" not in html


@pytest.mark.django_db
def test_national_overview_is_the_same_whoever_looks(client, admin_user, country):
    regions = list(Region.objects.order_by("name"))
    manager = manager_for(pdu=country["mine"].pdu)
    inspector = team_member(country["draft"], "ines")
    views = [national_overview(user, regions) for user in (admin_user, manager, inspector)]
    for view in views:
        assert (view.averages, view.distribution, view.regions, view.inclusion) == (
            views[0].averages,
            views[0].distribution,
            views[0].regions,
            views[0].inclusion,
        )
    overview = views[0]
    assert {q.code: count for q, count in overview.averages}[CODE] == Count(9, 20)
    assert [(line.region.name, line.pdus) for line in overview.regions] == [
        ("North", 2),  # Mine and Neighbourton: the draft's PDU has nothing published
        ("South", 1),
    ]
    client.force_login(manager)
    html = client.get(reverse("reports:national")).content.decode()
    text = page_text(html)
    assert "Includes 3 inspections of 3 PDUs in 2 regions." in text
    assert f"{ENGAGING} 45% 9 of 20" in text
    for name in ("Mine", "Neighbourton", "Drafton", "Farley"):
        assert name not in html


@pytest.mark.django_db
def test_an_unpublished_inspection_never_enters_the_comparators(client, admin_user, country):
    draft = country["draft"]
    # Its own team sees it as "this PDU", but it is not in the averages beside it.
    found = comparison(pdu_dashboard(team_member(draft, "ines"), draft.pdu))
    assert (found.pdu, found.region, found.national) == (Count(8, 8), Count(4, 15), Count(9, 20))
    # Nor for an admin, who sees every inspection: they are listed, never averaged.
    found = comparison(pdu_dashboard(admin_user, country["mine"].pdu))
    assert (found.region, found.national) == (Count(4, 15), Count(9, 20))
    dashboard = region_dashboard(admin_user, country["north"], {})
    assert draft in [s.inspection for s in dashboard.rows]
    assert dashboard.average_inclusion.inspections == 2
    client.force_login(admin_user)
    text = page_text(client.get(reverse("reports:national")).content.decode())
    assert f"{ENGAGING} 45% 9 of 20" in text


@pytest.mark.django_db
def test_no_published_inspection_means_no_average(client, db):
    region = RegionFactory(name="Quiet")
    draft = inspect(PDUFactory(region=region, name="Drafton"), status="fieldwork")
    client.force_login(team_member(draft, "ines"))
    pdu = page_text(client.get(reverse("reports:pdu", args=[draft.pdu.pk])).content.decode())
    assert "no inspection in Quiet region is published yet, so there is no region average" in pdu
    assert "no inspection is published yet, so there is no national average" in pdu
    region_page = client.get(reverse("reports:region", args=[region.pk])).content.decode()
    assert texts_by_id(region_page)["region-average-inclusion"].startswith(
        "No inspection in this region is published yet"
    )
    national = page_text(client.get(reverse("reports:national")).content.decode())
    assert "No inspection has been published yet." in national


def queries(client, url) -> int:
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_comparator_queries_do_not_grow_with_published_inspections_out_of_scope(client):
    """The national set grows (other PDUs, other regions, drafts); the manager's queries do not."""
    region = RegionFactory(name="Counted")
    mine = inspect(PDUFactory(region=region), cases=5)
    client.force_login(manager_for(pdu=mine.pdu))
    urls = [
        reverse("reports:pdu", args=[mine.pdu.pk]),
        reverse("reports:region", args=[region.pk]) + "?sort=2.2.3",
        reverse("reports:national"),
    ]
    before = [queries(client, url) for url in urls]
    for index in range(6):
        where = region if index % 2 else RegionFactory()
        inspect(PDUFactory(region=where), cases=5, domain1="good")
        inspect(PDUFactory(region=where), cases=5, status="fieldwork")
    after = [queries(client, url) for url in urls]
    assert before == after
    print(f"dashboards (pdu, region, national), manager of one PDU: {before} queries")


def test_published_phrase():
    assert Inclusion(0, 0, 0, 0).published_phrase == "no published inspections"
    assert Inclusion(1, 1, 1, 0).published_phrase == "1 published inspection of 1 PDU in 1 region"
    three = Inclusion(3, 3, 2, 0).published_phrase
    assert three == "3 published inspections of 3 PDUs in 2 regions"
