"""The test suite's PostgreSQL backend (settings_test.py only): Django's own, except that its
flush between transactional tests may TRUNCATE the tables the database guards.

The guards (inspection/db_locks.py) refuse TRUNCATE of a table holding rows they keep. The flush
turns them off for its own transaction and on again before it commits: ALTER TABLE ... DISABLE
TRIGGER, which only the table's owner (or a superuser) may do, as the test runner is. Nothing
else changes, and no production setting names this backend.
"""
