"""Two-factor sign-in in the browser: set up an app from the key the page shows, sign out, sign
in with a code and with a recovery code; an admin without one is sent to set it up. axe-core
checks each page."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, assert_accessible
from tests.factories import InspectionFactory, UserFactory
from tests.second_factor_helpers import unused_code_for

pytestmark = pytest.mark.django_db(transaction=True)


def password_step(page, username):
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def code_step(page, code):
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    page.get_by_label("Code", exact=True).fill(code)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def code_from_key(secret_text: str) -> str:
    """What an authenticator app shows for the key typed from the page."""
    key = secret_text.replace(" ", "")
    app = TOTP(b32decode(key + "=" * (-len(key) % 8)))
    return f"{app.token():06d}"


def test_a_lead_sets_up_an_app_then_signs_in_with_a_code_and_a_recovery_code(page):
    lead = UserFactory(username="lena", password=PASSWORD)
    InspectionFactory(lead_inspector=lead)

    password_step(page, "lena")
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    expect(page.get_by_text("Admins and lead inspectors must sign in")).to_be_visible()
    expect(page.get_by_role("img", name="QR code to add to an authenticator app")).to_be_visible()
    page.goto("/")  # no other page until it is set up
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    assert_accessible(page, "two-factor-set-up")

    page.get_by_label("Code from your app").fill("000000")
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_role("alert")).to_be_visible()  # the error summary
    assert_accessible(page, "two-factor-set-up-error")

    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Code from your app").fill(code_from_key(secret))
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_role("heading", name="Two-factor sign-in is on")).to_be_visible()
    codes = re.findall(r"[a-z0-9]{5}-[a-z0-9]{5}", page.locator("#recovery-codes").inner_text())
    assert len(codes) == 10
    assert_accessible(page, "recovery-codes")
    page.get_by_role("link", name="Continue").click()
    expect(page.get_by_role("heading", name="Your inspections")).to_be_visible()

    sign_out(page)
    password_step(page, "lena")
    assert_accessible(page, "sign-in-code")
    code_step(page, unused_code_for(TOTPDevice.objects.get(user=lead)))
    expect(page.get_by_role("heading", name="Your inspections")).to_be_visible()

    sign_out(page)
    password_step(page, "lena")
    code_step(page, codes[3])
    expect(page.get_by_role("heading", name="Your inspections")).to_be_visible()
    expect(page.get_by_text("You signed in with a recovery code")).to_be_visible()
    assert_accessible(page, "signed-in-with-recovery-code")

    sign_out(page)
    password_step(page, "lena")
    code_step(page, codes[3])  # used once already
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("has been used")
    assert_accessible(page, "sign-in-code-error")


def test_an_admin_without_a_second_factor_is_sent_to_set_one_up(page):
    UserFactory(username="ada", password=PASSWORD, is_staff=True, is_superuser=True)
    page.goto("/admin/")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    page.goto("/admin/inspection/inspection/")
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    assert "/account/two-factor/" in page.url


def test_password_reset_pages_are_accessible(page):
    page.goto("/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    assert_accessible(page, "password-reset")
    page.get_by_role("button", name="Send link").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter your email address")
    assert_accessible(page, "password-reset-error")
    page.get_by_label("Email").fill("someone@example.org")
    page.get_by_role("button", name="Send link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    assert_accessible(page, "password-reset-sent")
