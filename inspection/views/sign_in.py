"""Sign-in that carries a form posted after the session ended back to the page it came from.

Nothing is stored for an anonymous request (anyone can send one, as often and as large as they
like): the posted form goes back inside the sign-in page as a signed token in a hidden field, and
reaches the session only once the person has signed in, which is also when the session is made.
The token is signed so that the page gets back only what one of its own forms posted, and within
a day; it is not secret (it holds what the person just typed, sent back to them).
"""

import secrets
import time
from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core import signing
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers

from ..second_factor import has_second_factor

PENDING_SALT = "inspection.sign-in.pending"
# The largest form a section posts (every note at its limit, in random CJK characters) makes a
# token of about 0.12 MB; the sign-in form carrying one must stay under Django's 2.5 MB limit.
PENDING_MAX_CHARS = 1_000_000
PENDING_MAX_AGE = 24 * 60 * 60  # seconds: a sign-in page left open overnight still saves
SESSION_KEY = "pending_saves"
# Who passed the password step and still owes a code (views/second_factor.py).
PASSWORD_CHECKED_KEY = "password_checked"
PASSWORD_CHECKED_FOR = 10 * 60  # seconds to enter the code before the password is asked again
MAX_PENDING = 5  # per session: each sign-in adds one, and pages take theirs
NOT_SAVED = (
    "What you typed before signing in could not be saved: it was more than a day old or had "
    "been changed. Check the page and enter it again."
)


def pending_token(path: str, post: QueryDict) -> str | None:
    """The posted form as a signed token, or None if it is too large to carry."""
    fields = post.copy()
    fields.pop("csrfmiddlewaretoken", None)  # the next page has its own
    token = signing.dumps(
        {"path": path, "post": fields.urlencode()}, salt=PENDING_SALT, compress=True
    )
    return token if len(token) <= PENDING_MAX_CHARS else None


def read_pending(token: str) -> dict | None:
    """{"path", "post"} from a token this site signed within PENDING_MAX_AGE; else None."""
    if not token or len(token) > PENDING_MAX_CHARS:
        return None
    try:
        entry = signing.loads(token, salt=PENDING_SALT, max_age=PENDING_MAX_AGE)
    except signing.BadSignature:  # altered, or expired (SignatureExpired is one)
        return None
    if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
        return None
    return entry


def sign_in_to_keep(request):
    """The sign-in page (401) for a POST from someone signed out, carrying what they posted."""
    token = pending_token(request.path, request.POST)
    context = {
        "form": AuthenticationForm(request),
        "next": request.path,
        "pending": token,
        "pending_too_long": token is None,
    }
    response = render(request, "registration/login.html", context, status=401)
    add_never_cache_headers(response)  # it holds case notes: not for shared browser caches
    return response


class SignInView(LoginView):
    """The password step. Someone with a second factor goes on to the code step (SignInCodeView)
    before being signed in; the rest are signed in here."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # A mistyped password must not lose the answers waiting to be saved.
        token = self.request.POST.get("pending", "")
        if read_pending(token) is not None:
            context["pending"] = token
        return context

    def form_valid(self, form):
        user = form.get_user()
        token = self.request.POST.get("pending", "")
        if has_second_factor(user):
            # The password is right: only now is anything kept for this browser (the session
            # key changes again when the code step signs in).
            self.request.session[PASSWORD_CHECKED_KEY] = {
                "user": user.pk,
                "backend": user.backend,
                "next": self.get_success_url(),
                "pending": token,
                "at": time.time(),
            }
            return redirect("login_code")
        auth_login(self.request, user)  # the session is created here
        return finish_sign_in(self.request, self.get_success_url(), token)


def finish_sign_in(request, success_url: str, token: str):
    """After signing in: the page asked for, carrying any form posted before sign-in."""
    response = redirect(success_url)
    if not token:
        return response
    entry = read_pending(token)
    if entry is None or entry["path"] != urlsplit(response.url).path:
        messages.error(request, NOT_SAVED)
        return response
    session = request.session
    key = secrets.token_urlsafe(12)
    pending = dict(list(session.get(SESSION_KEY, {}).items())[-(MAX_PENDING - 1) :])
    pending[key] = entry
    session[SESSION_KEY] = pending
    return redirect(f"{entry['path']}?{urlencode({'resume': key})}")


def take_pending(request, key: str) -> QueryDict | None:
    """The form waiting for this page after sign-in, removed from the session; None if none."""
    pending = request.session.get(SESSION_KEY, {})
    entry = pending.get(key)
    if entry is None or entry["path"] != request.path:
        return None
    del pending[key]
    request.session[SESSION_KEY] = pending
    return QueryDict(entry["post"])
