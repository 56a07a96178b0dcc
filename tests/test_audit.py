"""The audit trail's table: append-only in the database itself, and outliving what it describes."""

import pytest
from django.db import IntegrityError, connection, transaction

from inspection import audit
from inspection.choices import AuditKind
from inspection.models import AuditEntry
from tests.factories import InspectionFactory, UserFactory


@pytest.fixture
def written(db):
    inspection = InspectionFactory()
    user = UserFactory(first_name="Ada", last_name="Admin")
    with transaction.atomic():
        entry = audit.record(
            inspection.pk, AuditKind.TEAM, by=user, subject="Ines Inspector", new="On the team"
        )
    return entry


def refused(change):
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        change()


@pytest.mark.django_db
def test_the_orm_cannot_change_or_delete_an_entry(written):
    def save_changed():
        written.new_value = "Off the team"
        written.save()

    refused(save_changed)
    refused(lambda: AuditEntry.objects.filter(pk=written.pk).update(reason="tidied"))
    refused(lambda: AuditEntry.objects.filter(pk=written.pk).update(user=None, reason="x"))
    refused(written.delete)
    refused(AuditEntry.objects.all().delete)
    stored = AuditEntry.objects.get(pk=written.pk)
    assert (stored.new_value, stored.reason, stored.user_name) == ("On the team", "", "Ada Admin")


@pytest.mark.django_db
def test_raw_sql_cannot_change_or_delete_an_entry(written):
    table = AuditEntry._meta.db_table

    def execute(sql):
        def run():
            with connection.cursor() as cursor:
                cursor.execute(sql, [written.pk])

        return run

    refused(execute(f"UPDATE {table} SET new_value = 'forged' WHERE id = %s"))
    refused(execute(f"UPDATE {table} SET user_id = NULL, subject = 'x' WHERE id = %s"))
    refused(execute(f"DELETE FROM {table} WHERE id = %s"))
    assert AuditEntry.objects.get(pk=written.pk).new_value == "On the team"


@pytest.mark.django_db
def test_deleting_a_person_keeps_their_entries_and_name(written):
    written.user.delete()  # on_delete=SET_NULL: the one UPDATE the triggers let through
    stored = AuditEntry.objects.get(pk=written.pk)
    assert (stored.user_id, stored.user_name, stored.who) == (None, "Ada Admin", "Ada Admin")


@pytest.mark.django_db
def test_deleting_an_inspection_keeps_its_trail(written):
    inspection_id = written.inspection_id
    written.inspection.delete()
    assert AuditEntry.objects.filter(inspection_id=inspection_id).count() == 1


@pytest.mark.django_db
def test_the_triggers_are_in_place():
    """A later migration that rebuilds the table (SQLite does, to alter it) must recreate them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal "
            "ORDER BY tgname",
            [AuditEntry._meta.db_table],
        )
        assert [row[0] for row in cursor.fetchall()] == [
            "append_only_inspection_auditentry_truncate",  # inspection 0023
            "inspection_auditentry_append_only",
        ]


@pytest.mark.django_db(transaction=True)
def test_an_entry_outside_a_transaction_is_refused():
    inspection = InspectionFactory()
    with pytest.raises(RuntimeError, match="inside the transaction"):
        audit.record(inspection.pk, AuditKind.TEAM, by=None, subject="x")
    assert not AuditEntry.objects.exists()
