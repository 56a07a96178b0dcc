"""SQL for the database locks on the cases app's tables (the triggers are inspection/db_locks.py's:
that layer knows no table above its own, so the case's own lookup lives here)."""


def case_inspection(case_id: str) -> str:
    """SQL: the inspection of the case with this id (an SQL expression)."""
    return f"(SELECT inspection_id FROM cases_case WHERE id = {case_id})"
