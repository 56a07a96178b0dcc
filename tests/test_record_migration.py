"""Reports migration 0002 ties the records already stored to their publication events: each to
the latest publication of its inspection at or before it, the first stored keeping an event two
claim; a record with no such event stays untied. verify_published notes an untied record of an
inspection published before its events were kept (a legacy record), and names any other as a
record that stands for no publication."""

import copy
import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from bundles.importer import import_bundle
from inspection.choices import InspectionStatus
from inspection.models import AuditEntry, Inspection
from reports import plain_data, publication
from reports.models import PublishedReport
from reports.publishing import move
from reports.report_model import build_report
from tests.lock_helpers import verify_output
from tests.record_helpers import insert_record, publish_as_before

BEFORE = [("reports", "0001_published_report")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def published_before_events_were_kept(bundle_data) -> tuple[Inspection, int]:
    """An inspection published before lifecycle events were kept (none), and the record
    `verify_published --store-missing` stored for it later, as reports 0001's code did."""
    inspection = import_bundle(copy.deepcopy(bundle_data))
    Inspection.objects.filter(pk=inspection.pk).update(status=InspectionStatus.PUBLISHED)
    inspection.status = InspectionStatus.PUBLISHED
    report = build_report(inspection)
    record = insert_record(
        inspection, plain_data.dump(report), timezone.now(), publication.headline_of(report)
    )
    return inspection, record


@pytest.mark.django_db(transaction=True)
def test_existing_records_are_tied_to_their_publications(
    reference_inspection, lead, reference_bundle_data
):
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
        older, legacy = published_before_events_were_kept(reference_bundle_data)
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    tied = dict(PublishedReport.objects.values_list("pk", "event_id"))
    assert tied == {first: first_event.pk, second: second_event.pk, forged: None, legacy: None}
    assert publication.latest_record(reference_inspection.pk).pk == second
    assert publication.report_for(reference_inspection).score == 10
    assert publication.latest_record(older.pk).pk == legacy
    # Each record has its audit entry, so none can be stored again should it go missing.
    audited = AuditEntry.objects.filter(subject="Published record")
    assert audited.count() == 4

    def name(pk):
        return publication.record_name(PublishedReport.objects.get(pk=pk))

    # The forged record, left untied, stands for no publication: verify names it. The record of
    # the inspection published before events were kept is a legacy record: a note says so.
    out, error = verify_output()
    assert error == "1 published inspection(s) differ from their record"
    assert out.splitlines() == [
        f"Inspection {reference_inspection.pk} ({reference_inspection}): DIFFERS",
        f"  {name(forged)} is tied to no publication event and stands for none: the "
        "inspection's lifecycle events show no publication it could record (only an inspection "
        "published before its events were kept has a record tied to none)",
        f"  note: {name(first)} was stored before the checksum chain",
        f"  note: {name(second)} was stored before the checksum chain",
        f"  note: {name(second)} was stored before case digests were kept: its figures are "
        "checked, its cases are not",
        f"Inspection {older.pk} ({older}): as published",
        f"  note: {name(legacy)} is tied to no publication event (a legacy record: the "
        "inspection was published before its lifecycle events were kept)",
        f"  note: {name(legacy)} was stored before the checksum chain",
        f"  note: {name(legacy)} was stored before case digests were kept: its figures are "
        "checked, its cases are not",
    ]
