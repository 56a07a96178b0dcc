"""Reports migration 0002 ties the records already stored to their publication events: each to
the latest publication of its inspection at or before it, the first stored keeping an event two
claim; a record with no such event stays untied, and verify_published says so."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from inspection.choices import InspectionStatus
from inspection.lifecycle import move
from inspection.models import AuditEntry, Inspection, InspectionEvent
from reports import plain_data, publication
from reports.models import PublishedReport
from reports.report_model import build_report
from tests.lock_helpers import verify_output

BEFORE = [("reports", "0001_published_report")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def insert_record(inspection, results, published_at, headline):
    """A record as reports 0001 stored it (no event, digests or chain)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO reports_publishedreport (inspection_id, published_at, results, checksum,"
            " headline) VALUES (%s, %s, %s, %s, %s) RETURNING id",
            [
                inspection.pk,
                published_at,
                plain_data.canonical_json(results),
                plain_data.checksum(results),
                plain_data.canonical_json(headline),
            ],
        )
        return cursor.fetchone()[0]


def publish_as_before(inspection, user) -> tuple[InspectionEvent, int]:
    """Publish as reports 0001's code did: the event, the record, then the status."""
    event = InspectionEvent.objects.create(
        inspection=inspection, from_status="moderation", to_status="published", by=user
    )
    inspection.status = InspectionStatus.PUBLISHED  # the record states what is published
    report = build_report(inspection)
    record = insert_record(
        inspection, plain_data.dump(report), timezone.now(), publication.headline_of(report)
    )
    Inspection.objects.filter(pk=inspection.pk).update(status=InspectionStatus.PUBLISHED)
    return event, record


@pytest.mark.django_db(transaction=True)
def test_existing_records_are_tied_to_their_publications(reference_inspection, lead):
    migrate(BEFORE)
    try:
        first_event, first = publish_as_before(reference_inspection, lead)
        move(reference_inspection, InspectionStatus.MODERATION, lead, reason="A correction")
        # A raw INSERT dated ten years on went in while it was re-opened...
        results, headline = PublishedReport.objects.values_list("results", "headline").get(pk=first)
        forged = insert_record(
            reference_inspection,
            {**results, "score": 27},
            timezone.now() + datetime.timedelta(days=3650),
            headline,
        )
        # ...and it was published again.
        second_event, second = publish_as_before(reference_inspection, lead)
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    tied = dict(PublishedReport.objects.values_list("pk", "event_id"))
    assert tied == {first: first_event.pk, second: second_event.pk, forged: None}
    assert publication.latest_record(reference_inspection.pk).pk == second
    assert publication.report_for(reference_inspection).score == 10
    # Each record has its audit entry, so none can be stored again should it go missing.
    audited = AuditEntry.objects.filter(
        inspection_id=reference_inspection.pk, subject="Published record"
    )
    assert audited.count() == 3

    out, error = verify_output()
    assert error == ""

    def name(pk):
        return publication.record_name(PublishedReport.objects.get(pk=pk))

    assert [line for line in out.splitlines() if "note:" in line] == [
        f"  note: {name(forged)} is tied to no publication event (a legacy record)",
        f"  note: {name(forged)} was stored before the checksum chain",
        f"  note: {name(first)} was stored before the checksum chain",
        f"  note: {name(second)} was stored before the checksum chain",
        f"  note: {name(second)} was stored before case digests were kept: its figures are "
        "checked, its cases are not",
    ]
