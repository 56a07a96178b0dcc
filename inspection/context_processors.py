from django.conf import settings


def session_timeout(request):
    """Seconds until an idle session ends, for the page's sign-out warning."""
    return {
        "session_seconds": settings.SESSION_COOKIE_AGE,
        "session_warning_seconds": settings.SESSION_WARNING_SECONDS,
    }
