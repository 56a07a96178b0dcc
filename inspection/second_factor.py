"""Two-factor sign-in: a TOTP app (django-otp's otp_totp) and one-use recovery codes (otp_static).

Every change to a person's second factor or password goes through a service here, in one
transaction with its audit entry (AuditKind.ACCOUNT, of no inspection). Who must have a second
factor is inspection/access.py's must_use_second_factor.

Recovery codes are shown once and stored hashed: django-otp keeps static tokens as plain text,
so each is kept as an HMAC-SHA256 (keyed by SECRET_KEY) of the code, cut to the column's 16
characters; a code typed at sign-in is hashed the same way before django-otp looks it up (and
deletes it: each works once). Rotating SECRET_KEY therefore voids the recovery codes too.
"""

import hashlib
import hmac
import secrets
from base64 import b32encode

import django_otp
import segno
from django.conf import settings
from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import access, audit

APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
RECOVERY_CODE_COUNT = 10
# Letters and digits that cannot be mistaken for one another when copied from paper.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_CODE_LENGTH = 10  # about 49 bits each


class SecondFactorError(Exception):
    """A change refused; the message says why, for the person."""


def hash_recovery_code(code: str) -> str:
    """What is stored for a recovery code: spaces, dashes and case do not matter when typed."""
    typed = "".join(code.split()).replace("-", "").lower()
    digest = hmac.new(settings.SECRET_KEY.encode(), typed.encode(), hashlib.sha256).hexdigest()
    return digest[: StaticToken._meta.get_field("token").max_length]


def _new_recovery_code() -> str:
    code = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
    return f"{code[:5]}-{code[5:]}"


def app_device(user, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).first()


def has_second_factor(user) -> bool:
    return user.is_authenticated and app_device(user) is not None


def secret_of(device: TOTPDevice) -> str:
    """The key as base32, as authenticator apps take it typed in (in groups of four)."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The otpauth:// URI as an inline SVG: drawn here, so nothing is fetched from elsewhere."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=4, dark="#0b0c0c", light="#ffffff", title="QR code to add to an authenticator app"
    )


def start_app_set_up(user) -> TOTPDevice:
    """The unconfirmed app device this person is setting up (one; a new key each set-up)."""
    with transaction.atomic():
        pending = app_device(user, confirmed=False)
        if pending is None:
            pending = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
        return pending


def _replace_recovery_codes(user) -> list[str]:
    # The same device, new tokens: a session verified by a recovery code stays verified.
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=hash_recovery_code(code)) for code in codes
    )
    return codes


def confirm_app(user, device: TOTPDevice, code: str) -> list[str]:
    """Turn on the app device once a code from it is right; returns the new recovery codes
    (shown once, never again). Refuses a wrong code, leaving nothing changed."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
        if device.confirmed:
            raise SecondFactorError("This app is already set up")
        if not device.verify_token(code.strip()):
            raise SecondFactorError(
                "The code is not right: enter the 6-digit code your app shows now"
            )
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save()
        codes = _replace_recovery_codes(user)
        audit.record_account(user, "Second factor added", new=APP_DEVICE_NAME)
        return codes


def regenerate_recovery_codes(user) -> list[str]:
    with transaction.atomic():
        if not has_second_factor(user):
            raise SecondFactorError("Set up an authenticator app before recovery codes")
        codes = _replace_recovery_codes(user)
        audit.record_account(user, "Recovery codes replaced", new=f"{len(codes)} new codes")
        return codes


def remove_second_factor(user) -> None:
    """Only for someone who may sign in without one (not an admin or a lead)."""
    with transaction.atomic():
        if access.must_use_second_factor(user):
            raise SecondFactorError(
                "Admins and lead inspectors must sign in with a second factor: it cannot be removed"
            )
        removed = [device.name for device in devices_for_user(user, confirmed=None)]
        if not removed:
            raise SecondFactorError("There is no second factor to remove")
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        audit.record_account(user, "Second factor removed", old=", ".join(removed))


def verify_code(user, code: str):
    """The device a sign-in code is right for (the app's, or a recovery code, used up), or None.
    The app's codes work once each (django-otp keeps the last time step used)."""
    typed = "".join(code.split())
    with transaction.atomic():
        app = app_device(user)
        if app is not None and typed.isdigit() and app.verify_token(typed):
            return app
        for device in StaticDevice.objects.filter(user=user, confirmed=True):
            if device.verify_token(hash_recovery_code(typed)):  # deletes the token it matched
                left = device.token_set.count()
                audit.record_account(user, "Recovery code used", new=f"{left} left")
                return device
    return None


def reset_password(form) -> None:
    """Save a SetPasswordForm from a password-reset link. The second factor stays: a reset
    changes only the password, and signing in still asks for a code."""
    with transaction.atomic():
        user = form.save()
        audit.record_account(user, "Password reset by e-mail link")


def enrol_for_demo(user) -> tuple[TOTPDevice, list[str]]:
    """A confirmed app device and recovery codes without a code typed: for setup_demo's
    users only (its secret is printed so a demo user can add it to an app)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=True)
        codes = _replace_recovery_codes(user)
        audit.record_account(user, "Second factor added", new=f"{APP_DEVICE_NAME} (demo)")
        return device, codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def otp_login(request, device) -> None:
    """Mark this session verified by `device` (django-otp keeps its id in the session)."""
    django_otp.login(request, device)
