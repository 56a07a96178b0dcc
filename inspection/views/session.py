from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST


@login_not_required
@never_cache
@require_POST
def keep_alive(request):
    """'Stay signed in': any request renews the session (SESSION_SAVE_EVERY_REQUEST)."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False}, status=401)
    return JsonResponse({"signed_in": True, "expires_in": settings.SESSION_COOKIE_AGE})
