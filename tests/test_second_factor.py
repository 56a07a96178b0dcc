"""Two-factor sign-in and password reset, through the real views (no force_login shortcut)."""

import re
import time

import pytest
from django.conf import settings
from django.core import mail
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from inspection import second_factor
from inspection.choices import AuditKind
from inspection.models import AuditEntry
from inspection.views.sign_in import PASSWORD_CHECKED_FOR, PASSWORD_CHECKED_KEY
from tests.factories import InspectionFactory, UserFactory
from tests.second_factor_helpers import code_for, give_second_factor, unused_code_for

pytestmark = [pytest.mark.django_db, pytest.mark.second_factor]

PASSWORD = "correct-horse-battery"


@pytest.fixture
def lead(db):
    user = UserFactory(username="lena", password=PASSWORD, email="lena@example.org")
    InspectionFactory(lead_inspector=user)
    return user


@pytest.fixture
def inspector(db):
    return UserFactory(username="ines", password=PASSWORD, email="ines@example.org")


def sign_in(client, user, password=PASSWORD):
    return client.post("/login/", {"username": user.username, "password": password})


def enter_code(client, code):
    return client.post("/login/code/", {"code": code})


def signed_in_as(client):
    return client.get("/").status_code == 200


def set_up_app(client, user) -> tuple[TOTPDevice, list[str]]:
    """Through the set-up page, as the person would: the key shown as text, then its code."""
    page = client.get("/account/two-factor/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and 'id="totp-secret"' in html
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert second_factor.secret_of(device) in html
    shown = client.post("/account/two-factor/", {"code": code_for(device)})
    assert shown.status_code == 200
    codes = re.findall(r"<code>([a-z0-9-]+)</code>", shown.content.decode())
    assert len(codes) == second_factor.RECOVERY_CODE_COUNT
    device.refresh_from_db()
    return device, codes


def test_a_lead_without_a_second_factor_is_sent_to_set_one_up(client, lead):
    response = sign_in(client, lead)
    assert response.status_code == 302
    for path in ["/", "/admin/", f"/inspections/{lead.led_inspections.first().pk}/status/"]:
        assert client.get(path)["Location"] == "/account/two-factor/", path
    device, codes = set_up_app(client, lead)
    assert device.confirmed
    assert signed_in_as(client)  # the session that set it up is verified
    entry = AuditEntry.objects.get(kind=AuditKind.ACCOUNT, user=lead)
    assert entry.inspection_id is None and "Second factor added" in entry.subject


def test_an_admin_without_a_second_factor_cannot_reach_django_admin(client):
    admin = UserFactory(username="ada", password=PASSWORD, is_staff=True, is_superuser=True)
    sign_in(client, admin)
    assert client.get("/admin/")["Location"] == "/account/two-factor/"
    assert client.get("/admin/inspection/inspection/")["Location"] == "/account/two-factor/"


def test_an_inspector_is_not_made_to_set_one_up(client, inspector):
    sign_in(client, inspector)
    assert signed_in_as(client)
    page = client.get("/account/two-factor/")
    assert "It is optional for you" in page.content.decode()


def test_wrong_code_then_right_code(client, lead):
    device = give_second_factor(lead)
    password_step = sign_in(client, lead)
    assert password_step["Location"] == "/login/code/"
    assert client.get("/")["Location"].startswith("/login/")  # not signed in yet
    wrong = enter_code(client, "000000" if code_for(device) != "000000" else "111111")
    assert wrong.status_code == 200
    assert "The code is not right" in wrong.content.decode()
    assert client.get("/")["Location"].startswith("/login/")
    right = enter_code(client, code_for(device))
    assert right.status_code == 302
    assert signed_in_as(client)


def test_a_code_works_once(client, lead):
    device = give_second_factor(lead)
    code = code_for(device)
    sign_in(client, lead)
    enter_code(client, code)
    assert signed_in_as(client)
    client.post("/logout/")
    sign_in(client, lead)
    replayed = enter_code(client, code)
    assert replayed.status_code == 200
    assert "has been used" in replayed.content.decode()
    assert not signed_in_as(client)


def test_a_recovery_code_works_once_and_is_stored_hashed(client, lead):
    sign_in(client, lead)
    _device, codes = set_up_app(client, lead)
    stored = set(StaticToken.objects.filter(device__user=lead).values_list("token", flat=True))
    assert not stored & set(codes)
    assert not stored & {code.replace("-", "") for code in codes}
    client.post("/logout/")
    sign_in(client, lead)
    assert enter_code(client, codes[0].upper()).status_code == 302  # as typed, any case
    assert signed_in_as(client)
    assert StaticToken.objects.filter(device__user=lead).count() == len(codes) - 1
    client.post("/logout/")
    sign_in(client, lead)
    assert enter_code(client, codes[0]).status_code == 200
    assert not signed_in_as(client)
    assert AuditEntry.objects.filter(subject__startswith="Recovery code used").count() == 1


def test_failed_codes_lock_the_account_out(client, lead):
    device = give_second_factor(lead)
    right = code_for(device)
    wrong = "000000" if right != "000000" else "111111"
    sign_in(client, lead)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert enter_code(client, wrong).status_code == 200
    locked = enter_code(client, wrong)
    assert locked.status_code == 429
    assert "Sign-in is locked for now" in locked.content.decode()
    # Neither the right code nor the password again gets through.
    enter_code(client, right)
    assert not signed_in_as(client)
    assert sign_in(client, lead).status_code == 429
    assert not signed_in_as(client)


def test_password_failures_and_code_failures_add_up(client, lead):
    device = give_second_factor(lead)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, lead, password="wrong")
    sign_in(client, lead)
    locked = enter_code(client, "000000" if code_for(device) != "000000" else "111111")
    assert locked.status_code == 429


def test_a_lead_cannot_turn_it_off_an_inspector_can(client, lead, inspector):
    sign_in(client, lead)
    set_up_app(client, lead)
    client.post("/account/two-factor/", {"remove": "1"})
    assert TOTPDevice.objects.filter(user=lead, confirmed=True).exists()
    with pytest.raises(second_factor.SecondFactorError):
        second_factor.remove_second_factor(lead)

    client.post("/logout/")
    sign_in(client, inspector)
    set_up_app(client, inspector)
    client.post("/account/two-factor/", {"remove": "1"})
    assert not TOTPDevice.objects.filter(user=inspector).exists()
    assert AuditEntry.objects.filter(user=inspector, subject__startswith="Second factor removed")


def test_new_recovery_codes_replace_the_old(client, lead):
    sign_in(client, lead)
    _device, old_codes = set_up_app(client, lead)
    page = client.post("/account/two-factor/", {"recovery_codes": "1"})
    new_codes = re.findall(r"<code>([a-z0-9-]+)</code>", page.content.decode())
    assert len(new_codes) == second_factor.RECOVERY_CODE_COUNT
    assert page["Cache-Control"] == "no-store"
    client.post("/logout/")
    sign_in(client, lead)
    assert enter_code(client, old_codes[0]).status_code == 200
    assert enter_code(client, new_codes[0]).status_code == 302
    assert AuditEntry.objects.filter(user=lead, subject__startswith="Recovery codes replaced")


def reset_link(client, email) -> str:
    mail.outbox.clear()
    response = client.post("/password-reset/", {"email": email})
    assert response["Location"] == "/password-reset/sent/"
    assert len(mail.outbox) == 1
    return re.search(r"http://testserver(/password-reset/\S+/)", mail.outbox[0].body).group(1)


def test_password_reset_by_email_keeps_the_second_factor(client, lead):
    device = give_second_factor(lead)
    link = reset_link(client, lead.email)
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-new-long-password", "new_password2": "a-new-long-password"},
    )
    assert done["Location"] == "/password-reset/done/"
    assert not signed_in_as(client)  # a reset never signs in
    assert (
        sign_in(client, lead, "a-new-long-password")["Location"] == "/login/code/"
    )  # the code is still asked for
    assert enter_code(client, unused_code_for(device)).status_code == 302
    assert signed_in_as(client)
    assert AuditEntry.objects.filter(user=lead, subject__startswith="Password reset")
    # The link works once.
    assert "This link does not work" in client.get(link, follow=True).content.decode()


def test_an_unknown_address_gets_the_same_page_and_no_mail(client, lead):
    response = client.post("/password-reset/", {"email": "nobody@example.org"})
    assert response["Location"] == "/password-reset/sent/"
    assert mail.outbox == []
    bad = client.post("/password-reset/", {"email": "not an address"})
    assert "Enter an email address in the correct format" in bad.content.decode()


def test_a_locked_out_user_cannot_get_in_by_resetting_the_password(client, inspector):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, inspector, password="wrong")
    link = reset_link(client, inspector.email)
    form = client.get(link, follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-new-long-password", "new_password2": "a-new-long-password"},
    )
    locked = sign_in(client, inspector, password="a-new-long-password")
    assert locked.status_code == 429
    assert not signed_in_as(client)


def test_a_session_signed_in_without_a_code_is_asked_for_one(client, lead):
    """A session that is signed in but not verified (from before two-factor sign-in, say)
    goes to the code step once its user has a second factor."""
    device = give_second_factor(lead)
    client.force_login(lead)  # not verified: this module is marked second_factor
    assert client.get("/")["Location"] == "/login/code/"
    assert enter_code(client, code_for(device)).status_code == 302
    assert signed_in_as(client)


def test_the_code_step_waits_ten_minutes_at_most(client, lead):
    device = give_second_factor(lead)
    sign_in(client, lead)
    session = client.session  # as if the password had been entered ten minutes ago
    session[PASSWORD_CHECKED_KEY] = {
        **session[PASSWORD_CHECKED_KEY],
        "at": time.time() - PASSWORD_CHECKED_FOR - 1,
    }
    session.save()
    late = enter_code(client, code_for(device))
    assert late["Location"] == "/login/"
    assert not signed_in_as(client)


def test_new_recovery_codes_after_signing_in_with_one_keep_the_session(client, lead):
    sign_in(client, lead)
    _device, codes = set_up_app(client, lead)
    client.post("/logout/")
    sign_in(client, lead)
    enter_code(client, codes[0])
    assert client.post("/account/two-factor/", {"recovery_codes": "1"}).status_code == 200
    assert signed_in_as(client)
