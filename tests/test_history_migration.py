"""cases 0005 copies django-simple-history's records into the audit trail before dropping them."""

import datetime
import importlib.util
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from inspection.models import AuditEntry

BEFORE = [("cases", "0004_database_locks"), ("inspection", "0010_audit_entry")]
AFTER = [("cases", "0005_history_to_audit_trail")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_answer_and_case_history_is_copied_into_the_trail():
    apps = migrate(BEFORE)
    try:
        User = apps.get_model("auth", "User")
        fay = User.objects.create(username="fay", first_name="Fay", last_name="First")
        region = apps.get_model("inspection", "Region").objects.create(name="North West")
        pdu = apps.get_model("inspection", "PDU").objects.create(region=region, name="Bolton")
        framework = apps.get_model("inspection", "Framework").objects.get(code="hmip-pdu-2021")
        inspection = apps.get_model("inspection", "Inspection").objects.create(
            pdu=pdu, framework=framework, fieldwork_start=datetime.date(2024, 3, 4)
        )
        case_fields = {
            "inspection": inspection,
            "sentence_type": "licence",
            "start_date": datetime.date(2023, 9, 5),
            "gender": "male",
            "ethnicity": "white",
            "age_band": "26-35",
            "rosh": "medium",
        }
        case = apps.get_model("cases", "Case").objects.create(ref="BOL-01", **case_fields)
        question = apps.get_model("inspection", "Question").objects.get(
            framework=framework, code="2.2.1"
        )
        HistoricalAnswer = apps.get_model("cases", "HistoricalAnswer")
        HistoricalCase = apps.get_model("cases", "HistoricalCase")
        start = timezone.now() - datetime.timedelta(days=1)
        records = [
            ("+", "", "", 1, None, None),  # created blank: not a change
            ("~", "yes", "Good engagement", 2, fay, None),
            ("~", "no", "Missed the risk", 3, fay, "QA found a misread"),
        ]
        for minutes, (kind, value, note, version, user, reason) in enumerate(records):
            HistoricalAnswer.objects.create(
                id=1,
                case_id=case.pk,
                question_id=question.pk,
                value=value,
                note=note,
                version=version,
                updated_at=start,
                history_date=start + datetime.timedelta(minutes=minutes),
                history_type=kind,
                history_user=user,
                history_change_reason=reason,
            )
        for minutes, inspector, kind in [(10, None, "~"), (11, fay, "~"), (12, fay, "-")]:
            HistoricalCase.objects.create(
                id=case.pk,
                ref="BOL-01",
                assigned_inspector=inspector,
                status="in_progress",
                history_date=start + datetime.timedelta(minutes=minutes),
                history_type=kind,
                history_user=fay,
                **{k: v for k, v in case_fields.items() if k != "inspection"},
                inspection_id=inspection.pk,
            )
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    trail = AuditEntry.objects.filter(inspection_id=inspection.pk).order_by("at", "id")
    assert [
        (e.kind, e.case_ref, e.subject, e.old_value, e.new_value, e.new_note, e.version)
        for e in trail
    ] == [
        ("answer", "BOL-01", "2.2.1", "", "Yes", "Good engagement", 2),
        ("answer", "BOL-01", "2.2.1", "Yes", "No", "Missed the risk", 3),
        ("case_details", "BOL-01", "Assigned inspector", "", "Fay First", "", None),
        ("case_details", "BOL-01", "Case", "", "Removed", "", None),
    ]
    assert [(e.user_name, e.reason) for e in trail][1] == ("Fay First", "QA found a misread")
    assert trail[1].old_note == "Good engagement"
    with connection.cursor() as cursor:
        assert "cases_historicalanswer" not in connection.introspection.table_names(cursor)


def test_the_migrations_run_without_django_simple_history():
    """0001 is frozen with plain models (its history tables only live until 0005), so the
    dependency is gone: the migration test above ran without the package installed."""
    assert importlib.util.find_spec("simple_history") is None
    migration = Path(__file__).resolve().parent.parent / "cases/migrations/0001_initial.py"
    source = migration.read_text()
    assert "simple_history" not in source.replace("django-simple-history's", "")
