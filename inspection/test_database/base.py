from django.db.backends.postgresql import base, operations

TRUNCATE_TRIGGER = 1 << 5  # pg_trigger.tgtype's TRUNCATE bit (PostgreSQL's trigger.h)


class DatabaseOperations(operations.DatabaseOperations):
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
    ops_class = DatabaseOperations
