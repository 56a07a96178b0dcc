from django.conf import settings
from rest_framework.throttling import UserRateThrottle


class PerUserRateThrottle(UserRateThrottle):
    """Each user's requests, all tokens together, per settings.API_THROTTLE_RATE (read per
    request, not frozen at import as DRF's DEFAULT_THROTTLE_RATES is). Counts live in the
    default cache."""

    scope = "api_user"

    def get_rate(self):
        return settings.API_THROTTLE_RATE
