from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from .views import session, sign_in

urlpatterns = [
    path("login/", sign_in.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("session/keep-alive/", session.keep_alive, name="keep_alive"),
    path("admin/", admin.site.urls),
    path("", include("cases.home_urls")),
    path("", include("inspection.app_urls")),
    path("", include("cases.urls")),
    path("", include("reports.urls")),
    path("", include("reports.export_urls")),
]
