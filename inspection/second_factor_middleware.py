"""No page but signing in, out and setting up a second factor for a signed-in person whose
session is not verified by one, when they have one or must (admins and lead inspectors)."""

from django.shortcuts import redirect
from django.urls import Resolver404, resolve

from . import access
from .second_factor import has_second_factor

# The pages a session not yet verified may reach (by view name: admin:login is not login).
OPEN_PAGES = {
    "login",
    "login_code",
    "logout",
    "two_factor",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified():
            try:
                name = resolve(request.path_info).view_name
            except Resolver404:
                name = None
            if name not in OPEN_PAGES:
                if has_second_factor(user):
                    return redirect("login_code")
                if access.must_use_second_factor(user):
                    return redirect("two_factor")
        return self.get_response(request)
