"""One record per publication event, tied to it, with its cases' digests and the checksum chain
(reports/publication.py says what each holds).

- `event`: the record's publication event. The database refuses a record tied to an event of
  another inspection, to an event that is not a publication or not the inspection's newest, a
  second record for one event (unique), and a record tied to none once the inspection has a
  publication event. The newest record is the one of the newest event, so a row stating a
  later `published_at` shadows nothing.
- Existing records are tied here, each to the latest publication event of its inspection at or
  before it was stored; when two claim one event the first stored keeps it. Records with no
  such event stay untied (legacy), and verify_published says so. This is the one change made to
  stored records: the lock is dropped for it and created again after, in this transaction.
- Each existing record gets the audit entry that publishing now writes ("Published record", its
  checksum), dated when it was stored, so `verify_published --store-missing` knows that the
  inspection had a record even if it goes missing.
- The record lock's DELETE condition gives it a TRUNCATE guard (inspection/db_locks.py).
"""

import importlib

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F

from inspection import db_locks

OLD_LOCK = importlib.import_module("reports.migrations.0001_published_report").RECORD_LOCK
RECORD_SUBJECT = "Published record"  # as reports.publication.RECORD_SUBJECT

_newest_event = (
    "SELECT MAX(id) FROM inspection_inspectionevent WHERE inspection_id = NEW.inspection_id"
)
RECORD_LOCK = db_locks.Lock(
    "record_lock_reports_publishedreport",
    "reports_publishedreport",
    "reports_publishedreport: a published report is a public record and cannot be changed, "
    "deleted or replaced; a record is added for its inspection's newest event, a publication, "
    "once",
    insert=(
        # Tied to nothing: only for an inspection published without an event, and only once.
        "(NEW.event_id IS NULL AND (EXISTS (SELECT 1 FROM inspection_inspectionevent "
        "WHERE inspection_id = NEW.inspection_id AND to_status = 'published') OR EXISTS "
        "(SELECT 1 FROM reports_publishedreport WHERE inspection_id = NEW.inspection_id))) "
        # Tied to an event: the inspection's own newest event, a publication.
        "OR (NEW.event_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM inspection_inspectionevent "
        "AS event WHERE event.id = NEW.event_id AND event.inspection_id = NEW.inspection_id "
        f"AND event.to_status = 'published' AND event.id = ({_newest_event}))) "
        # As before: no second record while the inspection is published.
        f"OR ({db_locks.published('NEW.inspection_id')} AND EXISTS (SELECT 1 FROM "
        "reports_publishedreport WHERE inspection_id = NEW.inspection_id))"
    ),
    update="1 = 1",
    delete="1 = 1",
)


def drop_old_lock(apps, schema_editor):
    db_locks.drop(schema_editor, [OLD_LOCK])


def create_old_lock(apps, schema_editor):
    db_locks.create(schema_editor, [OLD_LOCK])


def create_lock(apps, schema_editor):
    db_locks.create(schema_editor, [RECORD_LOCK])


def drop_lock(apps, schema_editor):
    db_locks.drop(schema_editor, [RECORD_LOCK])


def tie_records(apps, schema_editor):
    PublishedReport = apps.get_model("reports", "PublishedReport")
    InspectionEvent = apps.get_model("inspection", "InspectionEvent")
    events: dict[int, list] = {}
    for event in InspectionEvent.objects.filter(to_status="published").order_by("at", "pk"):
        events.setdefault(event.inspection_id, []).append(event)
    claimed = set()
    for record in PublishedReport.objects.order_by("published_at", "pk"):
        before = [e for e in events.get(record.inspection_id, []) if e.at <= record.published_at]
        if before and before[-1].pk not in claimed:
            claimed.add(before[-1].pk)
            PublishedReport.objects.filter(pk=record.pk).update(event=before[-1])


def untie_records(apps, schema_editor):
    apps.get_model("reports", "PublishedReport").objects.update(event=None)


def audit_records(apps, schema_editor):
    PublishedReport = apps.get_model("reports", "PublishedReport")
    AuditEntry = apps.get_model("inspection", "AuditEntry")
    audited = set(
        AuditEntry.objects.filter(subject=RECORD_SUBJECT).values_list("inspection_id", "new_value")
    )
    AuditEntry.objects.bulk_create(
        AuditEntry(
            inspection_id=record.inspection_id,
            kind="lifecycle",
            subject=RECORD_SUBJECT,
            new_value=record.checksum,
            at=record.published_at,
            reason="Entered by migration reports 0002: stored before storing one was audited",
        )
        for record in PublishedReport.objects.order_by("published_at", "pk")
        if (record.inspection_id, record.checksum) not in audited
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_published_report"),
        ("inspection", "0023_reopening_leaves_its_trace"),
    ]

    operations = [
        # Reversed, these run in the other order.
        migrations.RunPython(drop_old_lock, create_old_lock),
        migrations.AddField(
            model_name="publishedreport",
            name="event",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="published_report",
                to="inspection.inspectionevent",
            ),
        ),
        migrations.AddField(
            model_name="publishedreport",
            name="case_digests",
            field=models.JSONField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="publishedreport",
            name="previous_checksum",
            field=models.CharField(blank=True, db_default="", max_length=64),
        ),
        migrations.AlterModelOptions(
            name="publishedreport",
            options={"ordering": ["inspection", F("event_id").desc(nulls_last=True), "-pk"]},
        ),
        migrations.RunPython(tie_records, untie_records),
        # The entries stay if this is reversed: the audit trail is append-only.
        migrations.RunPython(audit_records, migrations.RunPython.noop),
        migrations.RunPython(create_lock, drop_lock),
    ]
