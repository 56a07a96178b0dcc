"""An action plan in Chromium: the PDU's manager writes and submits it, the lead returns it with a
comment, the manager changes it and submits again, the lead accepts it; axe on every page."""

import pytest
from playwright.sync_api import expect

from inspection.choices import Addressee, InspectionStatus, PlanState
from inspection.models import ManagerScope
from reports.models import ActionPlan
from reports.publishing import move
from tests.browser.conftest import PASSWORD, assert_accessible, log_in
from tests.case_helpers import lead_in_moderation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_manager_writes_lead_returns_manager_resubmits_lead_accepts(new_page, reference_inspection):
    lead_user = lead_in_moderation(reference_inspection)
    move(reference_inspection, InspectionStatus.PUBLISHED, lead_user)
    pat = UserFactory(username="pat", first_name="Pat", last_name="Manager", password=PASSWORD)
    ManagerScope.objects.create(user=pat, pdu=reference_inspection.pdu)
    first = reference_inspection.recommendations.filter(addressee=Addressee.PDU).order_by("order")[
        0
    ]
    pk = reference_inspection.pk

    manager = new_page()
    log_in(manager, "pat")
    # From the home page's "Action plans you write" (the report page links them too).
    manager.get_by_role("list", name="Action plans you write").get_by_role("link").click()
    expect(manager.get_by_role("heading", name="Action plans", level=1)).to_be_visible()
    assert_accessible(manager, "action-plans")
    manager.get_by_role("link", name=first.text[:40]).click()
    expect(manager.get_by_role("heading", name="Action plan for recommendation 1")).to_be_visible()
    assert_accessible(manager, "action-plan-draft")

    # A due date that does not exist is named, and nothing is added.
    manager.get_by_label("What will be done").fill("Train every practitioner in risk assessment")
    manager.get_by_label("Owner").fill("Head of PDU")
    due = manager.get_by_role("group", name="Due date")
    due.get_by_label("Day").fill("31")
    due.get_by_label("Month").fill("2")
    due.get_by_label("Year").fill("2031")
    manager.get_by_role("button", name="Add action").click()
    expect(manager.locator(".govuk-error-summary")).to_contain_text(
        "Enter the due date as a real date"
    )
    assert_accessible(manager, "action-plan-error")
    due = manager.get_by_role("group", name="Due date")
    due.get_by_label("Month").fill("3")
    manager.get_by_role("button", name="Add action").click()
    expect(manager.get_by_text("Action added")).to_be_visible()
    expect(manager.get_by_role("cell", name="31 March 2031")).to_be_visible()
    manager.get_by_role("button", name="Submit the plan to the lead inspector").click()
    expect(manager.get_by_text("Plan submitted to the lead inspector")).to_be_visible()
    expect(manager.locator("#plan-state")).to_have_text("Submitted")

    lead = new_page()
    log_in(lead, "lead")
    lead.goto(f"/inspections/{pk}/action-plans/")
    lead.get_by_role("link", name=first.text[:40]).click()
    assert_accessible(lead, "action-plan-review")
    lead.get_by_label("Return it").check()
    lead.get_by_role("button", name="Save decision").click()
    expect(lead.locator(".govuk-error-summary")).to_contain_text("a returned plan needs a comment")
    lead.get_by_label("Return it").check()
    lead.get_by_label("Comment").fill("Say how you will check the training made a difference.")
    lead.get_by_role("button", name="Save decision").click()
    expect(lead.get_by_text("Decision saved")).to_be_visible()
    expect(lead.locator("#plan-state")).to_have_text("Returned")

    manager.reload()
    expect(manager.locator("#plan-state")).to_have_text("Returned")
    expect(manager.locator("#plan-reviews")).to_contain_text("Say how you will check the training")
    manager.get_by_role("link", name="Change action 1").click()
    assert_accessible(manager, "action-edit")
    manager.get_by_label("What will be done").fill(
        "Train every practitioner in risk assessment, then audit 10 cases each quarter"
    )
    manager.get_by_role("button", name="Save action").click()
    expect(manager.get_by_text("Action saved")).to_be_visible()
    manager.get_by_role("button", name="Submit the plan to the lead inspector").click()
    expect(manager.locator("#plan-state")).to_have_text("Submitted")

    lead.reload()
    lead.get_by_label("Accept the plan").check()
    lead.get_by_role("button", name="Save decision").click()
    expect(lead.locator("#plan-state")).to_have_text("Accepted")
    assert_accessible(lead, "action-plan-accepted")
    plan = ActionPlan.objects.get(recommendation=first)
    assert plan.state == PlanState.ACCEPTED
    assert [r.outcome for r in plan.reviews.order_by("at")] == ["returned", "accepted"]
    assert plan.actions.get().what.endswith("audit 10 cases each quarter")
