"""Answers posted after the session expired are kept, and saved once the person signs in again.

Nothing is stored for a request without a session: the sign-in page carries the posted form back
as a signed token, and it reaches the session only after sign-in (inspection/views/sign_in.py).
"""

from inspection.views.sign_in import sign_in_to_keep, take_pending

__all__ = ["stash_and_sign_in", "take_pending"]


def stash_and_sign_in(request):
    """The sign-in page, which brings this POST back to the section once the person signs in."""
    return sign_in_to_keep(request)
