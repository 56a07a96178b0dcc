"""axe-core on every page a lead inspector, an inspector and a manager can reach, in Chromium."""

import pytest
from django.urls import reverse

from cases.models import Case
from inspection.models import ManagerScope
from tests.browser.conftest import assert_accessible, log_in
from tests.case_helpers import case_in_progress, team_member
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_lead_inspector_pages(page, reference_inspection):
    lead = team_member(reference_inspection, "lee", "Lee", "Lead")
    reference_inspection.lead_inspector = lead
    reference_inspection.save()
    case = case_in_progress(reference_inspection)
    case.answers.filter(question__code="2.4.2").update(value="no", note="")  # a flagged answer
    recommendation = reference_inspection.recommendations.first()
    pk = reference_inspection.pk
    log_in(page, "lee")
    urls = {
        "status": reverse("inspection:status", args=[pk]),
        "case-list": reverse("cases:list", args=[pk]),
        "domain1": reverse("reports:domain1", args=[pk]),
        "domain1-edit": reverse("reports:domain1_edit", args=[pk, "1.1"]),
        "recommendations": reverse("reports:recommendations", args=[pk]),
        "report": reverse("reports:report", args=[pk]),
        "number-check": reverse("reports:number_check", args=[pk]),
        "recommendation-edit": reverse("reports:recommendation_edit", args=[pk, recommendation.pk]),
        "qa": reverse("cases:qa", args=[pk]),
        "qa-review": reverse("cases:review", args=[Case.objects.get(ref="BWD-05").pk]),
        "import": reverse("cases:import", args=[pk]),
        "check-answers": reverse("cases:check_answers", args=[pk]),
        "section-flagged": reverse("cases:section", args=[case.pk, "2.4"]),
        "section-not-applicable": reverse(
            "cases:section", args=[Case.objects.filter(court_work=False).first().pk, "2.1"]
        ),
        "history": reverse("cases:history", args=[case.pk]),
        "audit-trail": reverse("inspection:audit", args=[pk]),
        "audit-trail-filtered": reverse("inspection:audit", args=[pk])
        + f"?case={case.pk}&kind=answer&page=2",
        "case-detail-with-assignment": reverse("cases:detail", args=[case.pk]),
        "answer-case-flagged": reverse("cases:answer", args=[case.pk]),
        "write-overview": reverse("reports:write", args=[pk]),
        "write-standard": reverse("reports:write_standard", args=[pk, "1.1"]),
        "write-facts": reverse("reports:write_facts", args=[pk]),
        "write-standard-case-rated": reverse("reports:write_standard", args=[pk, "2.4"]),
        "write-rating": reverse("reports:write_rating", args=[pk, "2.4"]),
        "write-isbn": reverse("reports:write_isbn", args=[pk]),
        "previous-recommendations": reverse("reports:previous_recommendations", args=[pk]),
    }
    for name, url in urls.items():
        page.goto(url)
        assert_accessible(page, f"lead-{name}")
    # Pages with errors shown.
    page.goto(urls["domain1-edit"])
    page.get_by_role("button", name="Save rating").click()
    assert_accessible(page, "lead-domain1-error")
    page.goto(urls["audit-trail"] + "?kind=nonsense")
    assert_accessible(page, "lead-audit-trail-error")
    page.goto(urls["case-list"] + "?status=complete&inspector=%C2%B2")
    assert_accessible(page, "lead-case-list-filter-error")
    page.goto(urls["qa"])
    page.get_by_label("Share of complete cases to dip-sample").fill("²")
    page.get_by_role("button", name="Draw dip sample").click()
    assert_accessible(page, "lead-qa-share-error")
    page.goto(urls["write-isbn"])
    page.get_by_label("ISBN").fill("978-1-915468-66-5")
    page.get_by_role("button", name="Save ISBN").click()
    assert_accessible(page, "lead-isbn-check-digit-error")
    page.goto(urls["recommendations"])
    page.get_by_label("Recommendation", exact=True).fill("x" * 2001)
    page.get_by_role("button", name="Save recommendation").click()
    assert_accessible(page, "lead-recommendation-too-long")
    page.goto(urls["qa-review"])
    page.get_by_role("button", name="Sign off").click()  # no key question answered
    assert_accessible(page, "lead-qa-review-unanswered")
    page.goto(urls["status"])
    page.get_by_role("button", name="Move to moderation").click()
    assert_accessible(page, "lead-move-to-moderation")
    page.get_by_role("button", name="Move to moderation").click()
    page.get_by_role("button", name="Publish").click()
    assert_accessible(page, "lead-publish-blockers")


def test_manager_pages(page, reference_inspection):
    manager = UserFactory(username="morgan", password="browser-test-password")
    ManagerScope.objects.create(user=manager, region=reference_inspection.pdu.region)
    reference_inspection.status = "published"
    reference_inspection.save()
    log_in(page, "morgan")
    assert_accessible(page, "manager-home")
    for name, url in {
        "report": reverse("reports:report", args=[reference_inspection.pk]),
        "pdu": reverse("reports:pdu", args=[reference_inspection.pdu_id]),
        "region": reverse("reports:region", args=[reference_inspection.pdu.region_id]),
        "national": reverse("reports:national"),
    }.items():
        page.goto(url)
        assert_accessible(page, f"manager-{name}")
