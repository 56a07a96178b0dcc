"""The code step of signing in, setting up a second factor, and password reset by e-mail."""

import time

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.contrib import messages
from django.contrib.auth import get_user_model, user_login_failed
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.cache import add_never_cache_headers
from django.views.decorators.debug import sensitive_post_parameters

from .. import access
from .. import second_factor as factors
from ..second_factor_forms import (
    ConfirmAppForm,
    PasswordResetForm,
    SetPasswordForm,
    SignInCodeForm,
)
from .sign_in import PASSWORD_CHECKED_FOR, PASSWORD_CHECKED_KEY, finish_sign_in

WRONG_CODE = (
    "The code is not right, or has been used: enter the code your app shows now, "
    "or an unused recovery code"
)


def _never_cached(response):
    add_never_cache_headers(response)
    return response


@login_not_required
@sensitive_post_parameters("code")
def sign_in_code(request):
    """The second step: a code from the app or a recovery code. Each wrong code counts as a
    failed sign-in for django-axes, so the lock-out covers the code as it does the password."""
    checked = request.session.get(PASSWORD_CHECKED_KEY)
    if request.user.is_authenticated:  # signed in before (say, a session from before 2FA)
        user, backend, success_url, token = request.user, None, reverse_lazy("home"), ""
    elif checked and time.time() - checked.get("at", 0) <= PASSWORD_CHECKED_FOR:
        user = get_user_model().objects.filter(pk=checked["user"], is_active=True).first()
        backend, success_url, token = checked["backend"], checked["next"], checked["pending"]
    else:
        request.session.pop(PASSWORD_CHECKED_KEY, None)
        return redirect("login")
    if user is None or not factors.has_second_factor(user):
        request.session.pop(PASSWORD_CHECKED_KEY, None)
        return redirect("login")
    credentials = {"username": user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        request.session.pop(PASSWORD_CHECKED_KEY, None)
        return get_lockout_response(request, credentials=credentials)
    form = SignInCodeForm(request.POST or None)
    if form.is_valid():
        device = factors.verify_code(user, form.cleaned_data["code"])
        if device is not None:
            request.session.pop(PASSWORD_CHECKED_KEY, None)
            if not request.user.is_authenticated:
                auth_login(request, user, backend=backend)  # axes clears the failures here
            factors.otp_login(request, device)
            if device.persistent_id.startswith("otp_static"):
                messages.warning(
                    request,
                    "You signed in with a recovery code: it cannot be used again. "
                    "If you have lost your app, set it up again on your two-factor page.",
                )
            return finish_sign_in(request, str(success_url), token)
        form.add_error("code", WRONG_CODE)
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if AxesProxyHandler.is_locked(request, credentials):
            request.session.pop(PASSWORD_CHECKED_KEY, None)
            return get_lockout_response(request, credentials=credentials)
    return _never_cached(render(request, "registration/login_code.html", {"form": form}))


def two_factor(request):
    """One's own second factor: set it up (QR code and the key as text), see that it is on,
    replace the recovery codes or (if not an admin or lead) remove it."""
    user = request.user
    device = factors.app_device(user)
    required = access.must_use_second_factor(user)
    context = {"required": required, "device": device}
    if device is not None:
        if request.method == "POST":
            if not user.is_verified():  # middleware sends them to the code step first
                return redirect("login_code")
            try:
                if "recovery_codes" in request.POST:
                    codes = factors.regenerate_recovery_codes(user)
                    return _show_codes(request, codes, "New recovery codes")
                if "remove" in request.POST:
                    factors.remove_second_factor(user)
                    messages.success(request, "Two-factor sign-in is off")
                    return redirect("two_factor")
            except factors.SecondFactorError as error:
                messages.error(request, str(error))
                return redirect("two_factor")
        context["recovery_left"] = factors.recovery_codes_left(user)
        return _never_cached(render(request, "registration/two_factor.html", context))
    pending = factors.start_app_set_up(user)
    form = ConfirmAppForm(request.POST or None)
    if form.is_valid():
        try:
            codes = factors.confirm_app(user, pending, form.cleaned_data["code"])
        except factors.SecondFactorError as error:
            form.add_error("code", str(error))
        else:
            pending.refresh_from_db()
            factors.otp_login(request, pending)
            return _show_codes(request, codes, "Two-factor sign-in is on")
    context.update(
        form=form,
        qr_code=factors.qr_code_svg(pending),
        secret=factors.secret_of(pending),
    )
    return _never_cached(render(request, "registration/two_factor_set_up.html", context))


def _show_codes(request, codes, heading):
    """Recovery codes are shown once, in this response only (never kept, never sent again)."""
    response = render(
        request, "registration/recovery_codes.html", {"codes": codes, "heading": heading}
    )
    response["Cache-Control"] = "no-store"
    return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Never signs in (post_reset_login stays off): the new password still goes through the
    sign-in page, its lock-out and the code step."""

    form_class = SetPasswordForm
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")
    token_generator = default_token_generator

    def form_valid(self, form):
        factors.reset_password(form)
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        return redirect(self.success_url)


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"
