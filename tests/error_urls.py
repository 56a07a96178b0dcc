"""The app's URLs and two that fail, for the error pages' tests (tests/test_error_pages.py):
a view with a bug, one refusing its visitor, and one given a request it cannot take."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from inspection.urls import urlpatterns as app_urlpatterns


@login_not_required
def broken(request):
    raise RuntimeError("a bug: this message must not reach the page")


@login_not_required
def refused(request):
    raise PermissionDenied("a reason that must not reach the page")


@login_not_required
def bad(request):
    raise SuspiciousOperation("a detail that must not reach the page")


urlpatterns = [
    path("bad/", bad),
    path("broken/", broken),
    path("refused/", refused),
    *app_urlpatterns,
]
