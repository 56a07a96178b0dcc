"""The database refuses inserting, changing or deleting the rows of a published inspection in the
cases app's tables, as inspection migration 0009 does for the inspection app's own (see
inspection/db_locks.py). History tables are left alone: the audit trail keeps its entries."""

from django.db import migrations

from cases import db_locks as case_locks
from inspection import db_locks


def _review_inspection(review_id: str) -> str:
    return case_locks.case_inspection(
        f"(SELECT case_id FROM cases_qareview WHERE id = {review_id})"
    )


LOCKS = [
    db_locks.published_lock("cases_case", lambda row: [f"{row}.inspection_id"]),
    db_locks.published_lock(
        "cases_answer", lambda row: [case_locks.case_inspection(f"{row}.case_id")]
    ),
    db_locks.published_lock("cases_dipsample", lambda row: [f"{row}.inspection_id"]),
    # A sampled case is locked through its sample and through the case itself.
    db_locks.published_lock(
        "cases_dipsample_cases",
        lambda row: [
            f"(SELECT inspection_id FROM cases_dipsample WHERE id = {row}.dipsample_id)",
            case_locks.case_inspection(f"{row}.case_id"),
        ],
    ),
    db_locks.published_lock(
        "cases_qareview", lambda row: [case_locks.case_inspection(f"{row}.case_id")]
    ),
    db_locks.published_lock(
        "cases_qaquestionreview", lambda row: [_review_inspection(f"{row}.review_id")]
    ),
]


def forwards(apps, schema_editor):
    db_locks.create(schema_editor, LOCKS)


def backwards(apps, schema_editor):
    db_locks.drop(schema_editor, LOCKS)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_answer_counts_covering_index"),
        ("inspection", "0009_database_locks"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
