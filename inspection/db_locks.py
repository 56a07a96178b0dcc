"""Locks the database keeps itself: triggers that refuse changes to frozen frameworks, to
published inspections, to lifecycle events and to the published record, on PostgreSQL and on
SQLite.

Django admin, ORM save(), QuerySet.update() and delete(), bulk operations and raw SQL all end up
as row changes, and a BEFORE row trigger sees every one of them. The ORM's signal guards
(inspection/published.py, inspection/framework/frozen.py) run first and say why in words; the
triggers are the backstop for whatever the guards cannot see.

A refusal is an integrity error on both databases (SQLSTATE 23000 on PostgreSQL, RAISE(ABORT)
on SQLite), which Django raises as django.db.IntegrityError.

Migrations call `create` with the locks of their own tables (inspection 0009, cases 0004).

TRUNCATE fires no row trigger, so on PostgreSQL `create` also gives every lock that refuses some
DELETE a statement-level BEFORE TRUNCATE guard: TRUNCATE is refused while the table holds any row
whose DELETE the lock would refuse (the lock's DELETE condition asked of every row). So the
append-only tables (lifecycle events, the audit trail, the published records) refuse it whenever
they hold a row, and an inspection's own tables (cases, answers, QA, the written report...) while
one of their rows belongs to a published inspection, as each of their rows is locked then and no
longer: TRUNCATE of a table of drafts only loses nothing that a DELETE could not. SQLite has no
TRUNCATE (its DELETE without WHERE fires the row triggers).

Re-opening a published inspection (inspection/lifecycle.py `move`) is the one way past the
published lock on its row, and the database checks that it leaves its trace (inspection migration
0023): the unlock row (inspection_unlock) is refused unless the same transaction has written the
re-opening event (published -> moderation, with a reason) and its audit entry (kind lifecycle,
same reason), and the inspection row then lets only its status change, to moderation, and only
for the transaction that wrote the unlock row. Lifecycle events are refused unless they start
from the inspection's current status, so none can be forged out of order.
- PostgreSQL knows which transaction wrote a row (its xmin); `inspection_written_here(xmin)`
  (created by `create_functions`) says whether it is this one, savepoints included (their rows
  carry their own ids, which pg_current_xact_id() does not give: it asks pg_xact_status whether
  the id, widened to 64 bits from this transaction's, is in progress; a visible row whose writer
  is in progress can only be this transaction's).
- SQLite has no transaction ids, and one writer at a time. Its best honest equivalent: the unlock
  row is refused unless the inspection is still published and its newest event is a re-opening
  with a reason whose reason the inspection's newest lifecycle audit entry repeats, i.e. a
  re-opening is under way and recorded. It cannot tell whether that was this transaction, and the
  inspection row, once unlocked, may change more than its status there. SQLite is for `make run`'s
  demo only; production runs PostgreSQL.

Getting past any of these takes the table owner's rights (DROP TRIGGER, ALTER TABLE ... DISABLE
TRIGGER) or a superuser's (session_replication_role = replica): run the app as a role that owns
no table (README, deployment notes). The test suite's flush between transactional tests uses
TRUNCATE: its database backend (inspection/test_database, chosen by settings_test.py only) turns
the TRUNCATE guards off inside the flush's own transaction, as the owner it is.

Caveats:
- SQLite's flush deletes row by row and is refused while a published inspection or a lifecycle
  event exists: delete the SQLite file instead.
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


def _raise(message: str) -> str:
    message = message.replace("'", "''")
    return (
        "RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation',\n"
        f"                MESSAGE = '{message}';\n"
    )


def _postgresql(lock: Lock) -> list[str]:
    checks = "".join(
        f"    IF TG_OP = '{op}' THEN\n"
        f"        IF {condition} THEN\n"
        f"            {_raise(lock.message)}"
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
        *_postgresql_truncate_guard(lock),
    ]


def truncate_guard_name(lock: Lock) -> str:
    return f"{lock.name}_truncate"


def _postgresql_truncate_guard(lock: Lock) -> list[str]:
    """A statement trigger refusing TRUNCATE while some row is one the lock refuses to DELETE.
    Idempotent (OR REPLACE): `guard_truncate` adds guards to locks created before they existed.
    """
    if not lock.delete:
        return []
    name = truncate_guard_name(lock)
    detail = lock.message.removeprefix(f"{lock.table}: ").replace("this row", "a row")
    # A statement trigger has no OLD row: the DELETE condition, written over OLD, is asked of
    # every row with the table aliased OLD. EXECUTE, as PL/pgSQL would read OLD as its own.
    return [
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        "DECLARE\n    kept boolean;\nBEGIN\n"
        f"    EXECUTE $sql$SELECT EXISTS (SELECT 1 FROM {lock.table} AS OLD "
        f"WHERE {lock.delete})$sql$ INTO kept;\n"
        "    IF kept THEN\n"
        f"        {_raise(f'{lock.table}: TRUNCATE refused; {detail}')}"
        "    END IF;\n    RETURN NULL;\nEND;\n$$",
        f"CREATE OR REPLACE TRIGGER {name} BEFORE TRUNCATE ON {lock.table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()",
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
        return [lock.name, *([truncate_guard_name(lock)] if lock.delete else [])]
    return [f"{lock.name}_{op.lower()}" for op, _ in lock.conditions()]


def vendor(schema_editor) -> str:
    vendor = schema_editor.connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        # Refuse rather than run without the locks.
        raise NotSupportedError("The database locks are written for PostgreSQL and SQLite only")
    return vendor


def create(schema_editor, locks: list[Lock]) -> None:
    on = vendor(schema_editor)
    for lock in locks:
        for statement in _postgresql(lock) if on == "postgresql" else _sqlite(lock):
            # No parameters: the SQL is taken as it is, '$$' and all.
            schema_editor.execute(statement, params=None)


def drop(schema_editor, locks: list[Lock]) -> None:
    on = vendor(schema_editor)
    for lock in locks:
        if on == "postgresql":
            statements = [
                statement
                for name in trigger_names(on, lock)
                for statement in (
                    f"DROP TRIGGER IF EXISTS {name} ON {lock.table}",
                    f"DROP FUNCTION IF EXISTS {name}()",
                )
            ]
        else:
            statements = [f"DROP TRIGGER IF EXISTS {name}" for name in trigger_names(on, lock)]
        for statement in statements:
            schema_editor.execute(statement, params=None)


def guard_truncate(schema_editor, locks: list[Lock]) -> None:
    """Give locks created before TRUNCATE guards existed theirs (PostgreSQL; SQLite has none)."""
    if vendor(schema_editor) == "postgresql":
        for lock in locks:
            for statement in _postgresql_truncate_guard(lock):
                schema_editor.execute(statement, params=None)


def drop_truncate_guards(schema_editor, locks: list[Lock]) -> None:
    if vendor(schema_editor) == "postgresql":
        for lock in locks:
            name = truncate_guard_name(lock)
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {lock.table}", params=None)
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}()", params=None)


# --- Re-opening: written by this transaction ------------------------------------------------

WRITTEN_HERE = "inspection_written_here"
_WRITTEN_HERE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {WRITTEN_HERE}(written xid) RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    top bigint := pg_current_xact_id()::text::bigint;
    -- This transaction's ids (its own, then its savepoints') run on from `top`: the 32-bit xmin
    -- read as the first 64-bit id at or after `top` with those low bits.
    candidate xid8 := (top + (written::text::bigint - top % 4294967296 + 4294967296)
                       % 4294967296)::text::xid8;
BEGIN
    -- A visible row whose writer is still in progress was written by this transaction.
    RETURN pg_xact_status(candidate) = 'in progress';
EXCEPTION WHEN invalid_parameter_value THEN
    RETURN false;  -- "in the future": no id of this transaction
END;
$$"""


def create_functions(schema_editor) -> None:
    """The SQL functions the locks use (PostgreSQL; SQLite's locks use none)."""
    if vendor(schema_editor) == "postgresql":
        schema_editor.execute(_WRITTEN_HERE_FUNCTION, params=None)


def drop_functions(schema_editor) -> None:
    if vendor(schema_editor) == "postgresql":
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {WRITTEN_HERE}(xid)", params=None)


def written_here(row: str) -> str:
    """SQL (PostgreSQL): the row aliased `row` was written by this transaction."""
    return f"{WRITTEN_HERE}({row}.xmin)"


def reopening_recorded(inspection_id: str, on: str) -> str:
    """SQL: the inspection (an SQL expression) is being re-opened with its trace written: the
    re-opening event (published -> moderation, with a reason) and its audit entry (kind
    lifecycle, the same reason). PostgreSQL: both written by this transaction. SQLite (no
    transaction ids): the inspection is still published, its newest event is that re-opening
    and its newest lifecycle audit entry repeats the reason."""
    event = (
        "event.from_status = 'published' AND event.to_status = 'moderation' "
        "AND TRIM(event.reason) <> ''"
    )
    entry = "entry.kind = 'lifecycle' AND entry.reason = event.reason"
    if on == "postgresql":
        return (
            "EXISTS (SELECT 1 FROM inspection_inspectionevent AS event "
            f"WHERE event.inspection_id = {inspection_id} AND {event} "
            f"AND {written_here('event')} AND EXISTS (SELECT 1 FROM inspection_auditentry AS entry "
            f"WHERE entry.inspection_id = {inspection_id} AND {entry} "
            f"AND {written_here('entry')}))"
        )
    newest_event = (
        f"SELECT MAX(id) FROM inspection_inspectionevent WHERE inspection_id = {inspection_id}"
    )
    newest_entry = (
        "SELECT MAX(id) FROM inspection_auditentry "
        f"WHERE inspection_id = {inspection_id} AND kind = 'lifecycle'"
    )
    return (
        f"{published(inspection_id)} AND EXISTS (SELECT 1 FROM inspection_inspectionevent AS event "
        f"WHERE event.id = ({newest_event}) AND {event} AND EXISTS (SELECT 1 FROM "
        f"inspection_auditentry AS entry WHERE entry.id = ({newest_entry}) AND {entry}))"
    )


def keeping_sqlite_triggers(schema_editor, table: str, alter: Callable[[], None]) -> None:
    """Runs `alter`, a schema change to `table`, keeping the triggers that name the table.

    SQLite changes a table (a column added with a default, a column altered) by copying it and
    renaming the copy; the triggers on it do not survive. They are dropped first and made again,
    as they were, after. PostgreSQL alters in place and keeps them."""
    triggers = []
    if schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql LIKE %s",
                [f"%{table}%"],
            )
            triggers = cursor.fetchall()
        for name, _sql in triggers:
            schema_editor.execute(f'DROP TRIGGER "{name}"', None)
    alter()
    for _name, sql in triggers:
        schema_editor.execute(sql, None)


class KeepsSqliteTriggers:
    """For a migration operation (AddField, AlterField...) on a locked table, named by
    `keeps_triggers_of`: it runs through keeping_sqlite_triggers, both ways."""

    keeps_triggers_of: str

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        keeping_sqlite_triggers(
            schema_editor,
            self.keeps_triggers_of,
            lambda: super(KeepsSqliteTriggers, self).database_forwards(
                app_label, schema_editor, from_state, to_state
            ),
        )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        keeping_sqlite_triggers(
            schema_editor,
            self.keeps_triggers_of,
            lambda: super(KeepsSqliteTriggers, self).database_backwards(
                app_label, schema_editor, from_state, to_state
            ),
        )


def installed_triggers(connection) -> set[str]:
    """The names of the triggers in the database (PostgreSQL: user triggers only)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {name for (name,) in cursor.fetchall()}
