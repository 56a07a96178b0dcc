"""Writing the audit trail. Every service that changes an inspection or its cases records here,
inside the same transaction as the change, so a change and its entry commit or fail together.

Entries are append-only (the database refuses UPDATE and DELETE: inspection/models/audit.py);
reading them is inspection/views/audit.py and the per-case history page.
"""

from collections.abc import Iterable

from django.db import transaction

from .choices import AuditKind
from .models import AuditEntry

__all__ = ["AuditKind", "entry", "name_of", "record", "record_account", "record_many"]

BATCH_SIZE = 1000


def _within_column(text: str, field_name: str) -> str:
    """`text` cut to fit the entry's column, keeping its start (what it is about) and ending
    with an ellipsis where it was cut. A subject is made from framework wording (an evidence
    question's, up to 500 characters) and names of people (up to 301), too long for a column
    that is searched and listed; the whole wording is in the framework anyway."""
    limit = AuditEntry._meta.get_field(field_name).max_length
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def name_of(user) -> str:
    """The name an entry keeps for its author, readable after the account is gone."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def entry(
    inspection_id: int,
    kind: str,
    *,
    by,
    subject: str = "",
    old: str = "",
    new: str = "",
    case=None,
    old_note: str = "",
    new_note: str = "",
    version: int | None = None,
    reason: str = "",
    at=None,
) -> AuditEntry:
    """An unsaved entry. `case` is anything with `pk` and `ref` (this layer knows no Case);
    `by` is the user who made the change, or None for the system (an import, say). Every entry
    is made here, so a subject of any length is cut to its column here, and only here."""
    fields = {"at": at} if at is not None else {}
    return AuditEntry(
        inspection_id=inspection_id,
        case_id=case.pk if case is not None else None,
        case_ref=_within_column(case.ref, "case_ref") if case is not None else "",
        kind=kind,
        subject=_within_column(subject, "subject"),
        old_value=old,
        new_value=new,
        old_note=old_note,
        new_note=new_note,
        version=version,
        user=by,
        user_name=_within_column(name_of(by), "user_name"),
        reason=reason.strip(),
        **fields,
    )


def _inside_the_change():
    # An entry written outside the change's transaction could survive a change that rolled back
    # (or be lost while the change stays): refuse, so a service that forgot atomic() fails loudly.
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Audit entries are written inside the transaction of their change")


def record(inspection_id: int, kind: str, *, by, **fields) -> AuditEntry:
    _inside_the_change()
    written = entry(inspection_id, kind, by=by, **fields)
    written.save(force_insert=True)
    return written


def record_account(user, what: str, *, old: str = "", new: str = "") -> AuditEntry:
    """A change to a person's own sign-in or access (second factor, password, API tokens): of
    no inspection, its subject what changed and whose."""
    return record(
        None, AuditKind.ACCOUNT, by=user, subject=f"{what}: {user.get_username()}", old=old, new=new
    )


def record_many(entries: Iterable[AuditEntry]) -> list[AuditEntry]:
    """Bulk insert (an import writes one entry per answer)."""
    _inside_the_change()
    return AuditEntry.objects.bulk_create(list(entries), batch_size=BATCH_SIZE)
