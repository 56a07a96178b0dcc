"""axe-core on dashboards saying a comparison is not possible."""

import datetime

import pytest
from django.apps import apps
from django.urls import reverse

from inspection.framework.loader import load_framework, read_framework_file
from inspection.models import Framework
from tests.browser.conftest import PASSWORD, assert_accessible, log_in
from tests.factories import PDUFactory, RegionFactory, UserFactory
from tests.test_compare_across_versions import ENDED, published

pytestmark = pytest.mark.django_db(transaction=True)


def test_dashboards_saying_a_comparison_is_not_possible_are_accessible(page):
    if not Framework.objects.filter(code="hmip-pdu-2023").exists():  # flushed by an earlier test
        load_framework(read_framework_file("hmip-pdu-2023"), apps.get_model)
    region = RegionFactory(name="North")
    pdu = PDUFactory(region=region, name="Changeling")
    published(pdu, "hmip-pdu-2021", datetime.date(2022, 5, 2), cases=5, no_cases=1)
    published(pdu, "hmip-pdu-2023", datetime.date(2024, 5, 6), cases=4, no_cases=0)
    oldfield = PDUFactory(region=region, name="Oldfield")  # latest still under 2021
    published(oldfield, "hmip-pdu-2021", datetime.date(2023, 3, 6), cases=5, no_cases=0)
    UserFactory(username="ada", password=PASSWORD, is_staff=True, is_superuser=True)
    log_in(page, "ada")

    page.goto(reverse("reports:pdu", args=[pdu.pk]))
    trend = page.get_by_role("region", name="Key questions at each inspection")
    court = trend.get_by_role("row", name="2.1.1 Is the pre-sentence")
    assert ENDED in court.inner_text()
    assert court.get_by_role("cell").last.inner_text() == "Not comparable"
    assert "are left out of this comparison" in page.locator("#score-not-comparable").inner_text()
    assert page.locator("#score-trend-title").count() == 1
    assert page.locator("svg.app-chart__svg").first.locator("rect.app-chart__bar--0").count() == 1
    assert_accessible(page, "pdu-across-versions")
    for url in (reverse("reports:region", args=[region.pk]), reverse("reports:national")):
        page.goto(url)
        assert "hmip-pdu-2021" in page.locator("#frameworks-shown").inner_text()
        assert_accessible(page, f"across-versions-{url.strip('/').replace('/', '-')}")
