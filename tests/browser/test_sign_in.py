"""Signing in through the browser, with axe-core checking each page."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, assert_accessible, log_in
from tests.factories import UserFactory
from tests.second_factor_helpers import give_second_factor, unused_code_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_in_page_is_accessible_and_names_a_wrong_password(page):
    UserFactory(username="ines", password=PASSWORD)
    page.goto("/")
    assert "/login/" in page.url  # everything is behind log-in
    assert_accessible(page, "login")
    log_in(page, "ines", "wrong password")
    assert page.get_by_role("alert").is_visible()
    assert "Please enter a correct username and password" in page.content()
    assert_accessible(page, "login-error")


def test_inspector_signs_in_and_sees_their_inspections(page, reference_inspection):
    user = UserFactory(username="ines", password=PASSWORD)
    reference_inspection.team.add(user)
    log_in(page, "ines")
    assert page.get_by_role("heading", name="Your inspections").is_visible()
    assert page.get_by_role("cell", name="Blackburn with Darwen").is_visible()
    assert_accessible(page, "home")


def test_admin_signs_in_to_django_admin(page, admin_user, reference_inspection):
    admin_user.set_password(PASSWORD)
    admin_user.save()
    page.goto("/admin/")  # the one sign-in page, then the code from the admin's app
    device = give_second_factor(admin_user)
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Code", exact=True).fill(unused_code_for(device))
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("link", name="Inspections", exact=True).click()
    page.get_by_role("link", name="Blackburn with Darwen PDU").first.click()
    expect(page.locator("body")).to_contain_text("10 out of 27")
    expect(page.locator("body")).to_contain_text("Overall rating: Requires improvement")
