from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp.admin import OTPAdminSite

from . import operations
from .views import second_factor, session, sign_in

# Django admin asks for a session verified by a second factor, not only a staff log-in, and
# signs in through the one sign-in page (password, then code), not a form of its own.
admin.site.__class__ = OTPAdminSite


def admin_sign_in(request, extra_context=None):
    next_page = (
        url_has_allowed_host_and_scheme(request.GET.get("next"), allowed_hosts={request.get_host()})
        and request.GET["next"]
    )
    if admin.site.has_permission(request):
        return redirect(next_page or "admin:index")
    return redirect_to_login(next_page or reverse("admin:index"))


admin.site.login = admin_sign_in

urlpatterns = [
    path("login/", sign_in.SignInView.as_view(), name="login"),
    path("login/code/", second_factor.sign_in_code, name="login_code"),
    path("account/two-factor/", second_factor.two_factor, name="two_factor"),
    path("password-reset/", second_factor.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        second_factor.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<slug:uidb64>/<slug:token>/",
        second_factor.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        second_factor.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("session/keep-alive/", session.keep_alive, name="keep_alive"),
    path("admin/", admin.site.urls),
    path("health/", operations.health, name="health"),
    path("", include("cases.home_urls")),
    path("", include("inspection.app_urls")),
    path("", include("cases.urls")),
    path("", include("reports.urls")),
    path("", include("reports.export_urls")),
    path("", include("api.urls")),
]
