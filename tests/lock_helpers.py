"""Helpers for tests of what the database itself refuses (inspection/db_locks.py)."""

import io
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from inspection import audit
from inspection.choices import AuditKind
from inspection.models import InspectionEvent


def refused(action, match="published inspection"):
    """The database refuses `action`: run in its own savepoint, as a refusal aborts it."""
    with pytest.raises(IntegrityError, match=match), transaction.atomic():
        action()


def raw(sql: str, params=()):
    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)

    return run


@contextmanager
def triggers_off():
    """What only the tables' owner (or a superuser) can do: write with every trigger off."""
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        try:
            yield
        finally:
            cursor.execute("SET session_replication_role = origin")


def forge_reopening_trace(inspection, reason="Forged by hand"):
    """What an insider must write, by hand, before the database takes an unlock row: the
    re-opening event and its audit entry, both kept for good."""
    InspectionEvent.objects.create(
        inspection=inspection, from_status="published", to_status="moderation", reason=reason
    )
    audit.record(inspection.pk, AuditKind.LIFECYCLE, by=None, subject="Status", reason=reason)


def verify_output(*args) -> tuple[str, str]:
    """verify_published's output, and its error ('' when it passes)."""
    out = io.StringIO()
    try:
        call_command("verify_published", *args, stdout=out)
    except Exception as error:  # CommandError: the output says why
        return out.getvalue(), str(error)
    return out.getvalue(), ""
