"""Published records as earlier code stored them (before reports migration 0002: no event, case
digests or chain), for tests of how records of before are tied, read and verified."""

from django.db import connection
from django.utils import timezone

from inspection.choices import InspectionStatus
from inspection.models import AuditEntry, Inspection, InspectionEvent
from reports import plain_data, publication
from reports.report_model import build_report


def insert_record(inspection, results, published_at, headline, *, event=None) -> int:
    """A record as reports 0001 stored it: its results' checksum alone. Tied to `event` as
    reports 0002 ties such a record (left out: for a database migrated back before 0002)."""
    columns = ["inspection_id", "published_at", "results", "checksum", "headline"]
    values = [
        inspection.pk,
        published_at,
        plain_data.canonical_json(results),
        plain_data.checksum(results),
        plain_data.canonical_json(headline),
    ]
    if event is not None:
        columns.append("event_id")
        values.append(event.pk)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO reports_publishedreport ({', '.join(columns)}) "
            f"VALUES ({', '.join(['%s'] * len(values))}) RETURNING id",
            values,
        )
        return cursor.fetchone()[0]


def publish_as_before(
    inspection, user, *, reshaped=None, tied=False
) -> tuple[InspectionEvent, int]:
    """Publish as reports 0001's code did: the event, the record, then the status. `reshaped`
    turns today's results into those of the code of its day. `tied`: as reports 0002 leaves
    such a record, tied to its event and with its audit entry."""
    event = InspectionEvent.objects.create(
        inspection=inspection, from_status="moderation", to_status="published", by=user
    )
    inspection.status = InspectionStatus.PUBLISHED  # the record states what is being published
    report = build_report(inspection)
    results = plain_data.dump(report)
    if reshaped is not None:
        results = reshaped(results)
    published_at = timezone.now()
    record = insert_record(
        inspection,
        results,
        published_at,
        publication.headline_of(report),
        event=event if tied else None,
    )
    if tied:
        AuditEntry.objects.create(
            inspection_id=inspection.pk,
            kind="lifecycle",
            subject=publication.RECORD_SUBJECT,
            new_value=plain_data.checksum(results),
            at=published_at,
        )
    Inspection.objects.filter(pk=inspection.pk).update(status=InspectionStatus.PUBLISHED)
    return event, record
