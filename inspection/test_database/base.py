from django.db.backends.postgresql import base, creation, operations

from . import rows

TRUNCATE_TRIGGER = 1 << 5  # pg_trigger.tgtype's TRUNCATE bit (PostgreSQL's trigger.h)


class DatabaseCreation(creation.DatabaseCreation):
    def create_test_db(self, *args, **kwargs):
        """Keep the rows migrate leaves (the shipped frameworks, content types, permissions)."""
        name = super().create_test_db(*args, **kwargs)
        flushed = set(self.connection.introspection.django_table_names(only_existing=True))
        self.connection.migrated_rows = [
            rows.copy_out(self.connection, table)
            for table in rows.tables(self.connection)
            if table.name in flushed  # not django_migrations: the flush leaves it
        ]
        return name


class DatabaseOperations(operations.DatabaseOperations):
    def execute_sql_flush(self, sql_list):
        """After the flush, the rows migrate left, as they were (same ids): post_migrate, which
        the flush sends next, then finds them all there and writes nothing. Loading the shipped
        frameworks again took ~3 s a transactional test, and gave them new ids."""
        super().execute_sql_flush(sql_list)
        migrated = getattr(self.connection, "migrated_rows", None)
        if migrated and sql_list:
            rows.copy_in(self.connection, [part for part in migrated if self._empty(part.table)])

    def _empty(self, table) -> bool:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {self.quote_name(table.name)})")
            return cursor.fetchone()[0]

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        flush = super().sql_flush(
            style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        if not flush:
            return flush
        guards = self._truncate_guards(tables)
        # Django runs these in one transaction: the guards are never off outside the flush.
        return [
            *(f"ALTER TABLE {table} DISABLE TRIGGER {name}" for table, name in guards),
            *flush,
            *(f"ALTER TABLE {table} ENABLE TRIGGER {name}" for table, name in guards),
        ]

    def _truncate_guards(self, tables) -> list[tuple[str, str]]:
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT quote_ident(c.relname), quote_ident(t.tgname) FROM pg_trigger t "
                "JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE NOT t.tgisinternal AND t.tgtype & %s <> 0 AND c.relname = ANY(%s) "
                "ORDER BY 1, 2",
                [TRUNCATE_TRIGGER, list(tables)],
            )
            return cursor.fetchall()


class DatabaseWrapper(base.DatabaseWrapper):
    creation_class = DatabaseCreation
    ops_class = DatabaseOperations
