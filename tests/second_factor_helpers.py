"""Test helpers for two-factor sign-in: a confirmed TOTP device, its current code, and a test
client's session marked verified (as the code step would), for tests that log in with
force_login as a lead or an admin."""

import time

from django.contrib.auth import SESSION_KEY
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def give_second_factor(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)
    return device


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the app would show now (or `steps_ahead` 30-second steps later), computed from
    the device's key as an authenticator app does."""
    app = TOTP(device.bin_key, device.step, device.t0, device.digits)
    app.time = time.time() + steps_ahead * device.step
    return f"{app.token():0{device.digits}d}"


def unused_code_for(device: TOTPDevice) -> str:
    """A code django-otp will take now. Each time step's code works once (django-otp keeps the
    last step used), and tests sign in again faster than a person could: a person would wait
    for the app's next code, so the device is set back as if they had."""
    device.refresh_from_db()
    now_step = (int(time.time()) - device.t0) // device.step
    if device.last_t >= now_step:
        TOTPDevice.objects.filter(pk=device.pk).update(last_t=now_step - 1)
    return code_for(device)


def verify_session(client, user) -> None:
    """Mark the client's session verified by the user's (test) device."""
    session = client.session
    if session.get(SESSION_KEY) is None:
        return
    session[DEVICE_ID_SESSION_KEY] = give_second_factor(user).persistent_id
    session.save()
