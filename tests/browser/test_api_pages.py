"""The read API's pages in Chromium: making a token (its key shown once), using it, revoking it,
and the API's documentation page; axe on each, and the site's CSP refuses nothing on them."""

import pytest
from playwright.sync_api import expect

from api.models import ApiToken
from tests.browser.conftest import assert_accessible, log_in

pytestmark = pytest.mark.django_db(transaction=True)


def csp_reports(page) -> list[str]:
    """Console messages of anything the Content-Security-Policy blocked, collected from now."""
    blocked = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return blocked


def test_create_use_and_revoke_a_token(page, lead):
    blocked = csp_reports(page)
    log_in(page, "lead")
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", name="API tokens", level=1)).to_be_visible()
    expect(page.get_by_text("You have no tokens.")).to_be_visible()
    assert_accessible(page, "api-tokens-empty")

    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_role("link", name="Enter a name for the token")).to_be_visible()
    assert_accessible(page, "api-tokens-error")

    page.get_by_label("Token name").fill("Monthly figures")
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_role("heading", name="Token created")).to_be_visible()
    key = page.get_by_test_id("new-key").inner_text().strip()
    assert_accessible(page, "api-tokens-created")
    url = "/api/v1/inspections/"
    response = page.request.get(url, headers={"Authorization": f"Bearer {key}"})
    assert response.status == 200
    assert response.json()["count"] == 1

    page.goto("/account/api-tokens/")
    assert key not in page.content()  # shown once only
    expect(page.get_by_role("cell", name="Monthly figures", exact=True)).to_be_visible()
    page.get_by_role("link", name="Revoke Monthly figures").click()
    expect(page.get_by_role("heading", name="Revoke token “Monthly figures”")).to_be_visible()
    assert_accessible(page, "api-token-revoke")
    page.get_by_role("button", name="Revoke token").click()
    expect(page.get_by_text("Token “Monthly figures” revoked")).to_be_visible()
    expect(page.get_by_role("cell", name="Revoked")).to_be_visible()
    assert_accessible(page, "api-tokens-revoked")
    assert ApiToken.objects.get().revoked_at is not None
    response = page.request.get(url, headers={"Authorization": f"Bearer {key}"})
    assert response.status == 401
    assert not blocked, blocked


def test_the_docs_page(page, lead):
    blocked = csp_reports(page)
    log_in(page, "lead")
    page.goto("/api/docs/")
    expect(page.get_by_role("heading", name="Case inspection read API", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="GET /api/v1/inspections/", exact=True)).to_be_visible()
    assert_accessible(page, "api-docs")
    page.get_by_role("link", name="OpenAPI 3 schema").click()
    page.wait_for_load_state()
    assert '"openapi"' in page.content()
    assert not blocked, blocked
