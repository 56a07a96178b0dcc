"""inspection 0018 moves domain-1 strengths and areas into report items (published inspections
too, past their locks), and 0019 removes the old fields; both run backwards."""

import datetime
import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from inspection import db_locks
from inspection.models import Domain1Judgement, ReportItem, ReportSubsection

BEFORE = [("inspection", "0017_report_text")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def leaves():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def lists(inspection_id):
    items = ReportItem.objects.filter(subsection__inspection_id=inspection_id).order_by(
        "subsection__standard__code", "subsection__order", "list", "order"
    )
    return [(i.subsection.standard.code, i.subsection.heading, i.list, i.text) for i in items]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_lists_move_into_the_first_unheaded_subsection_and_back():
    triggers = db_locks.installed_triggers(connection)
    apps = migrate(BEFORE)
    try:
        region = apps.get_model("inspection", "Region").objects.create(name="North West")
        pdu = apps.get_model("inspection", "PDU").objects.create(region=region, name="Bolton")
        framework = apps.get_model("inspection", "Framework").objects.get(
            code="hmip-pdu-2021", version=1
        )
        Inspection = apps.get_model("inspection", "Inspection")
        inspection = Inspection.objects.create(
            pdu=pdu, framework=framework, fieldwork_start=datetime.date(2024, 3, 4)
        )
        Standard = apps.get_model("inspection", "Standard")
        first, second = Standard.objects.filter(framework=framework, code__in=["1.1", "1.2"])
        Judgement = apps.get_model("inspection", "Domain1Judgement")
        Judgement.objects.create(
            inspection=inspection,
            standard=first,
            rating="good",
            strengths=["Clear vision", "Staff engaged"],
            areas_for_improvement=["Oversight"],
        )
        Judgement.objects.create(inspection=inspection, standard=second, rating="good")
        # A headed sub-section already under 1.1 stays as it is, after the new unheaded one.
        Subsection = apps.get_model("inspection", "ReportSubsection")
        headed = Subsection.objects.create(
            inspection=inspection, part="standard", standard=first, heading="Resettlement", order=0
        )
        apps.get_model("inspection", "ReportItem").objects.create(
            subsection=headed, list="strengths", text="Housing", order=1
        )
        # Published: its rows are locked, which the migration works past and restores.
        Inspection.objects.filter(pk=inspection.pk).update(status="published")
        migrate(leaves())
        assert lists(inspection.pk) == [
            ("1.1", "", "areas", "Oversight"),
            ("1.1", "", "strengths", "Clear vision"),
            ("1.1", "", "strengths", "Staff engaged"),
            ("1.1", "Resettlement", "strengths", "Housing"),
        ]
        assert not ReportSubsection.objects.filter(standard__code="1.2").exists()
        columns = {f.name for f in Domain1Judgement._meta.get_fields()}
        assert "strengths" not in columns and "areas_for_improvement" not in columns
        assert db_locks.installed_triggers(connection) == triggers
        # The locks hold again: the published inspection's report rows cannot change.
        with pytest.raises(Exception, match="published"):
            ReportItem.objects.filter(subsection__inspection_id=inspection.pk).update(text="x")

        apps = migrate(BEFORE)
        # Back before 0018: the row locks of the later migrations (0020, 0022, 0023, 0025,
        # 0028, cases 0007, 0009 and 0010, reports 0002 and 0004) go too, and the ones 0023 and
        # reports 0002 replaced come back.
        # (TRUNCATE guards are left out of the comparison: a lock a backward migration creates
        # again gets its guard from db_locks.create, whatever the migration's age.)
        reopening = importlib.import_module("inspection.migrations.0023_reopening_leaves_its_trace")
        records = importlib.import_module("reports.migrations.0002_record_tied_to_its_publication")
        pdfs = importlib.import_module("reports.migrations.0004_published_pdf")

        def row_triggers(names):
            return {name for name in names if not name.endswith("_truncate")}

        def names(locks):
            return {n for lock in locks for n in db_locks.trigger_names(connection.vendor, lock)}

        later = names(
            lock
            for module in (
                "inspection.migrations.0020_evidence",
                "inspection.migrations.0022_confirmed_numbers",
                "inspection.migrations.0025_report_front_matter",
                "cases.migrations.0007_practice_examples",
                "inspection.migrations.0028_previous_progress",
                "cases.migrations.0009_sample_draw",
                "cases.migrations.0010_double_marking_and_queries",
            )
            for lock in importlib.import_module(module).LOCKS
        )
        later |= names([*reopening.locks(connection.vendor), records.RECORD_LOCK, pdfs.PDF_LOCK])
        restored = names([*reopening.REPLACED, records.OLD_LOCK])
        assert row_triggers(db_locks.installed_triggers(connection)) == row_triggers(
            (triggers - later) | restored
        )
        restored = apps.get_model("inspection", "Domain1Judgement").objects.get(
            inspection_id=inspection.pk, standard__code="1.1"
        )
        assert restored.strengths == ["Clear vision", "Staff engaged"]
        assert restored.areas_for_improvement == ["Oversight"]
    finally:
        migrate(leaves())
