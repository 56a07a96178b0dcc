"""Making and revoking API tokens: the only writes the API app makes, each checked and in one
transaction with its audit entry (AuditKind.ACCOUNT, of no inspection): a key that reads
inspections is a way in, so who made or revoked one, and when, is kept for good."""

import logging
import secrets

from django.db import transaction
from django.utils import timezone

from inspection import audit

from .models import ApiToken, key_digest

logger = logging.getLogger(__name__)

# How often a token's "last used" is written: a busy client must not turn every read into a write.
LAST_USED_RESOLUTION_SECONDS = 60


def create_token(user, name: str) -> tuple[ApiToken, str]:
    """A new token for `user` and its key (shown once: only its hash is kept)."""
    key = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name.strip(), key_hash=key_digest(key))
        audit.record_account(user, "API token created", new=f"{token.name} (token {token.pk})")
    logger.info("API token %s (%s) created by user %s", token.pk, token.name, user.pk)
    return token, key


def revoke_token(user, token: ApiToken) -> ApiToken:
    """Revoke one of `user`'s own tokens; revoking one already revoked changes nothing."""
    if token.user_id != user.pk:
        raise PermissionError("A token can only be revoked by its owner")
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit.record_account(user, "API token revoked", new=f"{token.name} (token {token.pk})")
            logger.info("API token %s (%s) revoked by user %s", token.pk, token.name, user.pk)
    return token


def authenticate_key(key: str) -> ApiToken | None:
    """The active token with this key, its use noted; None for an unknown or revoked key."""
    token = ApiToken.objects.active().select_related("user").filter(key_hash=key_digest(key))
    token = token.first()
    if token is None:
        return None
    now = timezone.now()
    if (
        token.last_used_at is None
        or (now - token.last_used_at).total_seconds() >= LAST_USED_RESOLUTION_SECONDS
    ):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
