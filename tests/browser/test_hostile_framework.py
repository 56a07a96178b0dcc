"""A framework whose names and wordings hold markup, in Chromium: every page shows the markup as
text (no element made of it, no script run), and axe finds nothing."""

import pytest
from django.urls import reverse
from django.utils.text import slugify
from playwright.sync_api import expect

from bundles.importer import import_bundle
from inspection.framework.loader import load_framework
from inspection.team import set_lead
from tests.browser.conftest import assert_accessible, log_in
from tests.case_helpers import team_member
from tests.test_hostile_frameworks import MARKUP, pdu_2021, with_markup

pytestmark = pytest.mark.django_db(transaction=True)


def test_markup_in_a_framework_is_shown_as_text(page, reference_bundle):
    load_framework(with_markup(pdu_2021()))
    inspection = import_bundle(reference_bundle)
    lead = team_member(inspection, "lee", "Lee", "Lead")
    set_lead(inspection, lead, by=None)
    case = inspection.cases.get(ref="BWD-01")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    log_in(page, "lee")
    slug = slugify("survey of people on probation" + MARKUP)
    for url, shown in (
        (reverse("reports:evidence_source", args=[inspection.pk, slug]), "legend"),
        (reverse("reports:domain1_edit", args=[inspection.pk, "1.1"]), "legend"),
        (reverse("cases:section", args=[case.pk, "2.1"]), "h1"),
        (reverse("reports:write_standard", args=[inspection.pk, "1.1"]), "h1"),
    ):
        page.goto(url)
        expect(page.locator(shown).first).to_contain_text(MARKUP.strip())
        assert page.locator("main b, main script").count() == 0, url
        assert_accessible(page, f"markup-{url.strip('/').replace('/', '-')}")
    assert dialogs == []
