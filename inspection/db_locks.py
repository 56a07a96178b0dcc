"""Locks the database keeps itself: triggers that refuse changes to frozen frameworks, to
published inspections and to lifecycle events, on PostgreSQL and on SQLite.

Django admin, ORM save(), QuerySet.update() and delete(), bulk operations and raw SQL all end up
as row changes, and a BEFORE row trigger sees every one of them. The ORM's signal guards
(inspection/published.py, inspection/framework/frozen.py) run first and say why in words; the
triggers are the backstop for whatever the guards cannot see.

A refusal is an integrity error on both databases (SQLSTATE 23000 on PostgreSQL, RAISE(ABORT)
on SQLite), which Django raises as django.db.IntegrityError.

Migrations call `create` with the locks of their own tables (inspection 0009, cases 0004).

Caveats:
- PostgreSQL's TRUNCATE (Django's flush between transactional tests) fires no row triggers, so
  flushing works. SQLite's flush deletes row by row and is refused while a published inspection
  or a lifecycle event exists: delete the SQLite file instead.
- On SQLite Django alters a table by copying it into a new one: that drops the table's own
  triggers and fails on other triggers that name it. A migration altering a locked table must
  `drop` the locks involved (`naming` finds them) first and `create` them again after, as
  inspection 0011 and cases 0006 do; tests/test_database_locks.py checks, on both databases,
  that every trigger is in place.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import NotSupportedError

OPERATIONS = ("INSERT", "UPDATE", "DELETE")
# An inspection in any of these has used its framework version: the version may not change.
LEFT_PLANNING = ("fieldwork", "moderation", "published")


@dataclass(frozen=True)
class Lock:
    """A trigger on `table` refusing each operation whose condition (SQL over NEW/OLD) holds."""

    name: str
    table: str
    message: str
    insert: str = ""
    update: str = ""
    delete: str = ""

    def conditions(self) -> list[tuple[str, str]]:
        given = (self.insert, self.update, self.delete)
        return [
            (op, condition) for op, condition in zip(OPERATIONS, given, strict=True) if condition
        ]


def published(inspection_id: str) -> str:
    """SQL: the inspection with this id (an SQL expression) is published."""
    return (
        "EXISTS (SELECT 1 FROM inspection_inspection "
        f"WHERE id = {inspection_id} AND status = 'published')"
    )


def case_inspection(case_id: str) -> str:
    return f"(SELECT inspection_id FROM cases_case WHERE id = {case_id})"


def frozen(framework_id: str) -> str:
    """SQL: an inspection using this framework version has left planning."""
    statuses = ", ".join(f"'{status}'" for status in LEFT_PLANNING)
    return (
        "EXISTS (SELECT 1 FROM inspection_inspection "
        f"WHERE framework_id = {framework_id} AND status IN ({statuses}))"
    )


def row_lock(name: str, table: str, message: str, holds: Callable[[str], str]) -> Lock:
    """Refuse inserting a row where `holds(NEW)`, deleting one where `holds(OLD)` and updating
    one where either: moving a row out of a locked parent is refused as much as moving one in."""
    return Lock(
        name,
        table,
        message,
        insert=holds("NEW"),
        update=f"({holds('OLD')}) OR ({holds('NEW')})",
        delete=holds("OLD"),
    )


def published_lock(table: str, inspection_ids: Callable[[str], list[str]]) -> Lock:
    """Lock `table`'s rows of published inspections; `inspection_ids(row)` gives SQL for the
    inspection id(s) a row belongs to (NEW or OLD as `row`)."""
    return row_lock(
        f"published_lock_{table}",
        table,
        f"{table}: this row belongs to a published inspection, which is read-only",
        lambda row: " OR ".join(published(i) for i in inspection_ids(row)),
    )


def frozen_lock(table: str, framework_column: str = "framework_id") -> Lock:
    return row_lock(
        f"frozen_lock_{table}",
        table,
        f"{table}: this framework version is in use by an inspection past planning and is "
        "frozen; copy it to a new version to make changes",
        lambda row: frozen(f"{row}.{framework_column}"),
    )


def _postgresql(lock: Lock) -> list[str]:
    message = lock.message.replace("'", "''")
    checks = "".join(
        f"    IF TG_OP = '{op}' THEN\n"
        f"        IF {condition} THEN\n"
        "            RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation',\n"
        f"                MESSAGE = '{message}';\n"
        "        END IF;\n"
        "    END IF;\n"
        for op, condition in lock.conditions()
    )
    operations = " OR ".join(op for op, _ in lock.conditions())
    return [
        f"CREATE FUNCTION {lock.name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        f"BEGIN\n{checks}"
        "    IF TG_OP = 'DELETE' THEN\n        RETURN OLD;\n    END IF;\n    RETURN NEW;\n"
        "END;\n$$",
        f"CREATE TRIGGER {lock.name} BEFORE {operations} ON {lock.table} "
        f"FOR EACH ROW EXECUTE FUNCTION {lock.name}()",
    ]


def _sqlite(lock: Lock) -> list[str]:
    message = lock.message.replace("'", "''")
    return [
        f"CREATE TRIGGER {lock.name}_{op.lower()} BEFORE {op} ON {lock.table} FOR EACH ROW "
        f"WHEN {condition} BEGIN SELECT RAISE(ABORT, '{message}'); END"
        for op, condition in lock.conditions()
    ]


def naming(locks: list[Lock], tables: list[str]) -> list[Lock]:
    """The locks on any of `tables` or whose SQL names one: those a migration altering these
    tables must `drop` before and `create` after (SQLite copies a table to alter it)."""
    return [
        lock
        for lock in locks
        if any(
            lock.table == table or any(table in sql for _, sql in lock.conditions())
            for table in tables
        )
    ]


def trigger_names(vendor: str, lock: Lock) -> list[str]:
    if vendor == "postgresql":
        return [lock.name]
    return [f"{lock.name}_{op.lower()}" for op, _ in lock.conditions()]


def _vendor(schema_editor) -> str:
    vendor = schema_editor.connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        # Refuse rather than run without the locks.
        raise NotSupportedError("The database locks are written for PostgreSQL and SQLite only")
    return vendor


def create(schema_editor, locks: list[Lock]) -> None:
    vendor = _vendor(schema_editor)
    for lock in locks:
        for statement in _postgresql(lock) if vendor == "postgresql" else _sqlite(lock):
            # No parameters: the SQL is taken as it is, '$$' and all.
            schema_editor.execute(statement, params=None)


def drop(schema_editor, locks: list[Lock]) -> None:
    vendor = _vendor(schema_editor)
    for lock in locks:
        if vendor == "postgresql":
            statements = [
                f"DROP TRIGGER IF EXISTS {lock.name} ON {lock.table}",
                f"DROP FUNCTION IF EXISTS {lock.name}()",
            ]
        else:
            statements = [f"DROP TRIGGER IF EXISTS {name}" for name in trigger_names(vendor, lock)]
        for statement in statements:
            schema_editor.execute(statement, params=None)


def installed_triggers(connection) -> set[str]:
    """The names of the triggers in the database (PostgreSQL: user triggers only)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {name for (name,) in cursor.fetchall()}
