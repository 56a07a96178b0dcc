"""Answers posted after the session expired are kept, and saved once the person signs in again."""

import secrets

from django.contrib.auth.views import redirect_to_login
from django.http import QueryDict

SESSION_KEY = "pending_saves"
MAX_PENDING = 5


def stash_and_sign_in(request):
    """Keep the POST in the (new, anonymous) session and send the person to sign in.

    Django keeps session data across log-in (it only changes the key), so the answers survive.
    """
    token = secrets.token_urlsafe(12)
    pending = request.session.get(SESSION_KEY, {})
    pending = dict(list(pending.items())[-(MAX_PENDING - 1) :])
    pending[token] = {"path": request.path, "post": request.POST.urlencode()}
    request.session[SESSION_KEY] = pending
    return redirect_to_login(f"{request.path}?resume={token}")


def take_pending(request, token: str) -> QueryDict | None:
    """The stashed POST for this page, removed from the session; None if there is none."""
    pending = request.session.get(SESSION_KEY, {})
    entry = pending.pop(token, None)
    if entry is None or entry["path"] != request.path:
        return None
    request.session[SESSION_KEY] = pending
    return QueryDict(entry["post"])
