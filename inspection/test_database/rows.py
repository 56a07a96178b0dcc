"""Table rows as PostgreSQL COPY text: read once, written back in milliseconds. For the test
suite only (base.py: the rows migrate leaves, put back after each flush; tests/reference_rows.py:
the reference inspection, put back for each test that asks for it)."""

from dataclasses import dataclass

from django.db import transaction


@dataclass(frozen=True)
class Table:
    name: str
    key: str | None  # its integer primary key column; None when it has none
    columns: tuple[str, ...]  # named, not by position: a migration test may re-add a column


@dataclass(frozen=True)
class Rows:
    table: Table
    data: bytes  # COPY text


def tables(connection) -> tuple[Table, ...]:
    """Every table of the current schema, by name."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, ("
            "  SELECT a.attname FROM pg_index i"
            "  JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]"
            "  WHERE i.indrelid = c.oid AND i.indisprimary AND i.indnatts = 1"
            "  AND a.atttypid IN ('int2'::regtype, 'int4'::regtype, 'int8'::regtype)),"
            " ARRAY(SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = c.oid"
            "  AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum)"
            " FROM pg_class c WHERE c.relkind = 'r'"
            " AND c.relnamespace = current_schema()::regnamespace ORDER BY c.relname"
        )
        return tuple(Table(name, key, tuple(columns)) for name, key, columns in cursor.fetchall())


def _columns(connection, table: Table) -> str:
    return ", ".join(connection.ops.quote_name(c) for c in table.columns)


def copy_out(connection, table: Table, where: str = "", params=()) -> Rows:
    q = connection.ops.quote_name
    query = f"COPY (SELECT {_columns(connection, table)} FROM {q(table.name)} {where}) TO STDOUT"
    # cursor.cursor: psycopg's own cursor, for COPY.
    with connection.cursor() as cursor, cursor.cursor.copy(query, params or None) as out:
        return Rows(table, b"".join(bytes(block) for block in out))


def copy_in(connection, rows: list[Rows]) -> None:
    """Write `rows` back, in one transaction (a savepoint inside a test's own)."""
    q = connection.ops.quote_name
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        # As pg_restore --disable-triggers: these rows passed the triggers and foreign keys when
        # they were first written; checked row by row again they would cost more than the copy
        # saves. Needs a superuser, as the test runner is (trust authentication as postgres).
        cursor.execute("SET session_replication_role = replica")
        for part in rows:
            if part.data:
                query = f"COPY {q(part.table.name)} ({_columns(connection, part.table)}) FROM STDIN"
                with cursor.cursor.copy(query) as into:
                    into.write(part.data)
        cursor.execute("SET session_replication_role = DEFAULT")
