"""The error pages in Chromium with DEBUG off (the live server's setting): 400, 404, 403, 500 and a
form sent without its CSRF cookie each show the service's page, and axe finds nothing on any."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in
from tests.case_helpers import PASSWORD
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.urls("tests.error_urls")]


def test_every_error_page_is_the_services_and_accessible(new_page, settings):
    settings.DEBUG = False
    UserFactory(username="ines", first_name="Ines", last_name="Inspector", password=PASSWORD)
    page = new_page()
    for path, status, heading in (
        ("/bad/", 400, "Your request could not be read"),
        ("/no-such-page/", 404, "Page not found"),
        ("/refused/", 403, "You cannot do this"),
        ("/broken/", 500, "Sorry, there is a problem with the service"),
    ):
        response = page.goto(path)
        assert response.status == status
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(page.get_by_role("link", name="Go to your work")).to_be_visible()
        assert_accessible(page, f"error-{status}")

    # Signed in, a page that is not there keeps the account's navigation.
    log_in(page, "ines")
    assert page.goto("/inspections/999999/report/").status == 404
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert_accessible(page, "error-404-signed-in")

    # The sign-in form sent after its CSRF cookie has gone.
    page = new_page()
    page.goto("/login/")
    page.context.clear_cookies()
    page.get_by_label("Username").fill("ines")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your change was not sent")
    assert_accessible(page, "error-csrf")
