"""An insider with the app's database access tries to rewrite a published inspection or its
record (issue 18): each attempt is refused by the database, or caught by verify_published naming
what changed. What only the tables' owner can do (turn triggers off) is done here the way such an
insider would, to show what verify_published then says."""

import datetime
import random

import pytest
from django.db import transaction
from django.utils import timezone

from cases.models import Answer, Case, QAQuestionReview, QAReview
from inspection.choices import InspectionStatus
from inspection.framework.spec import load_framework_spec
from inspection.models import AuditEntry, Inspection, InspectionEvent, InspectionUnlock
from reports import plain_data, publication
from reports.models import PublishedReport
from reports.pooling import pool
from reports.publishing import move
from reports.report_model import build_report
from tests.factories import InspectionFactory
from tests.lock_helpers import forge_reopening_trace, raw, refused, triggers_off, verify_output
from tests.region_helpers import published_pdu_inspection, region_inspection

pytestmark = pytest.mark.django_db

UNLOCK_REFUSED = "re-opened through the lifecycle service only"
RECORD_REFUSED = "a published report is a public record"


def heading(inspection) -> str:
    return f"Inspection {inspection.pk} ({inspection})"


def answers_of(inspection, ref):
    return Answer.objects.filter(case__inspection=inspection, case__ref=ref)


def test_the_orm_unlock_then_update_then_rewrite_is_refused(published):
    refused(lambda: InspectionUnlock.objects.create(inspection_id=published.pk), UNLOCK_REFUSED)
    refused(lambda: Inspection.objects.filter(pk=published.pk).update(status="moderation"))
    refused(lambda: answers_of(published, "BWD-03").update(note="rewritten"))
    refused(lambda: Case.objects.filter(inspection=published, ref="BWD-03").update(ref="X-1"))
    assert verify_output() == (
        f"{heading(published)}: as published\nAll 1 published inspections are as published.\n",
        "",
    )


def test_the_same_in_raw_sql_is_refused(published):
    refused(raw("INSERT INTO inspection_unlock (inspection_id) VALUES (%s)", [published.pk]))
    refused(
        raw("UPDATE inspection_inspection SET status = 'moderation' WHERE id = %s", [published.pk])
    )
    refused(
        raw(
            "UPDATE cases_answer SET note = 'rewritten' WHERE case_id IN "
            "(SELECT id FROM cases_case WHERE inspection_id = %s)",
            [published.pk],
        )
    )
    assert Inspection.objects.get(pk=published.pk).status == InspectionStatus.PUBLISHED


def test_an_insider_who_writes_the_trace_by_hand_is_caught_naming_each_case(published):
    """Writing the re-opening's event and audit entry by hand gets the unlock, but leaves both
    for good; rewriting the cases and putting the status back leaves the figures as published
    (evidence notes, a reference) and verify names each case."""
    with transaction.atomic():
        forge_reopening_trace(published, reason="Quiet fix")
        InspectionUnlock.objects.create(inspection_id=published.pk)
        Inspection.objects.filter(pk=published.pk).update(status="moderation")
        InspectionUnlock.objects.filter(inspection_id=published.pk).delete()
    answers_of(published, "BWD-01").filter(question__code="2.1.1").update(note="softened")
    answers_of(published, "BWD-03").filter(question__code="2.2.1").update(note="added later")
    Case.objects.filter(inspection=published, ref="BWD-05").update(ref="BWD-99")
    Inspection.objects.filter(pk=published.pk).update(status="published")

    reopened = InspectionEvent.objects.get(inspection=published, reason="Quiet fix")
    out, error = verify_output()
    assert out.splitlines() == [
        f"{heading(published)}: DIFFERS",
        "  the inspection reads published, but its newest lifecycle event is not a publication "
        f"(Published to Moderation, {timezone.localtime(reopened.at):%d/%m/%Y %H:%M})",
        "  case BWD-01: answers differ from the published record",
        "  case BWD-03: answers differ from the published record",
        "  case BWD-05: removed since publication",
        "  case BWD-99: added since publication",
    ]
    assert error == "1 published inspection(s) differ from their record"


def checks_now():
    """The test's transaction has foreign-key checks pending (Django defers them), and
    PostgreSQL will not TRUNCATE a table with any: run them now, as a committed insider's would
    have been."""
    raw("SET CONSTRAINTS ALL IMMEDIATE")()


GUARDED = [
    # Append-only, or a public record: refused whenever they hold a row.
    "reports_publishedreport",
    "inspection_auditentry",
    "inspection_inspectionevent",
    # An inspection's own rows: refused while one belongs to a published inspection.
    "cases_qareview",
    "cases_qaquestionreview",
    "cases_case",
    "cases_answer",
    "inspection_inspection",
    "inspection_reportsubsection",
    "inspection_recommendation",
    "inspection_domain1judgement",
]


@pytest.fixture
def published_with_qa(reference_inspection, lead):
    case = reference_inspection.cases.order_by("ref").first()
    review = QAReview.objects.create(case=case, reviewer=lead, outcome="signed_off")
    question = Answer.objects.filter(case=case).first().question
    QAQuestionReview.objects.create(review=review, question=question, agrees=True)
    move(reference_inspection, InspectionStatus.PUBLISHED, lead)
    return reference_inspection


@pytest.mark.parametrize("table", GUARDED)
def test_truncate_of_each_guarded_table_is_refused(published_with_qa, table):
    checks_now()
    refused(raw(f"TRUNCATE {table} CASCADE"), f"{table}: TRUNCATE refused")
    assert verify_output()[1] == ""


def test_the_tables_of_unpublished_inspections_may_be_truncated(reference_inspection, lead):
    checks_now()
    with transaction.atomic():
        raw("TRUNCATE cases_answer CASCADE")()
        assert not Answer.objects.exists()
        transaction.set_rollback(True)


def test_truncating_the_records_then_storing_missing_ones_is_refused(published):
    checks_now()
    # CASCADE: the records' PDFs (reports_publishedpdf) refer to them, so a plain TRUNCATE is
    # refused before any trigger runs.
    truncate = "TRUNCATE reports_publishedreport CASCADE"
    refused(raw(truncate), "reports_publishedreport: TRUNCATE refused")
    record = PublishedReport.objects.get(inspection=published)
    entry = AuditEntry.objects.get(inspection_id=published.pk, subject="Published record")
    # Only the tables' owner can do it, with the triggers off.
    with triggers_off():
        raw(truncate)()
        answers_of(published, "BWD-03").update(note="tampered while the record was gone")

    out, error = verify_output("--store-missing")
    stored = timezone.localtime(entry.at)
    assert out.splitlines() == [
        f"{heading(published)}: it had a published record (stored {stored:%d/%m/%Y %H:%M}), "
        "which is missing: not stored again; restore the record from a backup",
        f"{heading(published)}: DIFFERS",
        "  no stored results",
        f"  the record stored {stored:%d/%m/%Y %H:%M} (checksum {record.checksum[:12]}) is missing",
    ]
    assert error == ("1 published inspection(s) differ from their record; 1 record(s) not stored")
    assert not PublishedReport.objects.exists()


def future_record_sql(inspection, event_id=None, *, days=3650):
    """A raw INSERT of a record of `inspection` scoring 27 (it scores 10), dated `days` on (back,
    if negative), with the headline a record of it has."""
    record = PublishedReport.objects.filter(inspection=inspection).first()
    if record:
        results, headline = record.results, record.headline
    else:
        report = build_report(inspection)
        results, headline = plain_data.dump(report), publication.headline_of(report)
    forged = {**results, "score": 27}
    return raw(
        "INSERT INTO reports_publishedreport (inspection_id, event_id, published_at, results,"
        " checksum, previous_checksum, headline) VALUES (%s, %s, %s, %s, %s, '', %s)",
        [
            inspection.pk,
            event_id,
            timezone.now() + datetime.timedelta(days=days),
            plain_data.canonical_json(forged),
            plain_data.checksum(forged),
            plain_data.canonical_json(headline),
        ],
    )


def test_a_future_dated_record_inserted_raw_cannot_shadow_the_real_one(published, lead):
    publishing = InspectionEvent.objects.get(inspection=published, to_status="published")
    refused(future_record_sql(published), RECORD_REFUSED)  # tied to no event
    refused(future_record_sql(published, publishing.pk), RECORD_REFUSED)  # it has its record
    other = InspectionEvent.objects.create(
        inspection=InspectionFactory(status=InspectionStatus.PLANNING),
        from_status="planning",
        to_status="fieldwork",
    )
    refused(future_record_sql(published, other.pk), RECORD_REFUSED)  # another's, not published

    move(published, InspectionStatus.MODERATION, lead, reason="A correction")
    refused(future_record_sql(published), RECORD_REFUSED)
    refused(future_record_sql(published, publishing.pk), RECORD_REFUSED)  # not the newest event
    reopening = InspectionEvent.objects.get(inspection=published, from_status="published")
    refused(future_record_sql(published, reopening.pk), RECORD_REFUSED)  # not a publication
    assert PublishedReport.objects.filter(inspection=published).count() == 1


def test_a_record_tied_to_no_event_is_refused_before_publication(reference_inspection, lead):
    """Only a published inspection with no lifecycle event (published before they were kept)
    takes a record tied to none: not one being inspected, with or without events."""
    refused(future_record_sql(reference_inspection), RECORD_REFUSED)  # in moderation, no event
    refused(future_record_sql(reference_inspection, days=-1), RECORD_REFUSED)
    refused(future_record_sql(InspectionFactory(status="planning")), RECORD_REFUSED)
    assert not PublishedReport.objects.exists()


def test_a_record_tied_to_no_event_of_an_inspection_published_without_one_is_caught(
    reference_inspection,
):
    """The one inspection the database takes a record tied to none for (published before
    lifecycle events were kept, no record yet): a forged one is its record, and verify names
    what it states that the live rows do not, and that publishing never stored it."""
    Inspection.objects.filter(pk=reference_inspection.pk).update(status="published")
    reference_inspection.status = "published"  # as the forged record states
    future_record_sql(reference_inspection, days=-1)()
    forged = PublishedReport.objects.get(inspection=reference_inspection)
    out, error = verify_output()
    assert error == "1 published inspection(s) differ from their record"
    assert out.splitlines()[:3] == [
        f"{heading(reference_inspection)}: DIFFERS",
        f'  {publication.record_name(forged)} has no "Published record" entry in the audit '
        "trail: it was not stored by publishing",
        "  results.score: stored 27, now 10",
    ]


@pytest.mark.parametrize("days", [3650, -1], ids=["dated-on", "dated-back"])
def test_a_record_forged_before_publication_by_the_owner_stands_for_nothing(
    reference_inspection, lead, days
):
    """The tables' owner, triggers off, inserts a record tied to no event for an inspection
    being inspected (as 0002's lock let anyone do), dated on or back. Once it is published for
    real, nothing reads the forged record or chains onto it, and verify names it."""
    with triggers_off():
        future_record_sql(reference_inspection, days=days)()
    forged = PublishedReport.objects.get(inspection=reference_inspection)
    assert publication.latest_record(reference_inspection.pk) is None  # stands for nothing

    move(reference_inspection, InspectionStatus.PUBLISHED, lead)
    real = publication.latest_record(reference_inspection.pk)
    assert real.event.to_status == "published" and real.previous_checksum == ""
    assert publication.report_for(reference_inspection).score == 10
    listed = publication.with_record_ids(Inspection.objects.filter(pk=reference_inspection.pk))
    assert listed.get().published_record_id == real.pk  # the dashboards' record
    out, error = verify_output()
    assert error == "1 published inspection(s) differ from their record"
    name = publication.record_name(forged)
    assert out.splitlines() == [
        f"{heading(reference_inspection)}: DIFFERS",
        f'  {name} has no "Published record" entry in the audit trail: it was not stored by '
        "publishing",
        f"  {name} is tied to no publication event and stands for none: the inspection's "
        "lifecycle events show no publication it could record (only an inspection published "
        "before its events were kept has a record tied to none)",
    ]


def test_a_record_forged_for_an_unpublished_pdu_inspection_is_never_pooled(lead):
    """Pooled as of a moment (as verify recomputes a region's report), a PDU inspection counts
    by a publication recorded by then, never by a record's own date."""
    rng = random.Random(3)
    published = published_pdu_inspection(rng, "Region 3", "PDU 3-1", lead)
    unpublished = published_pdu_inspection(rng, "Region 3", "PDU 3-2", lead, publish_it=False)
    region = region_inspection(rng, published.pdu.region)
    spec = load_framework_spec(region.framework)
    with triggers_off():
        future_record_sql(unpublished, days=-1)()
    pooling = pool(region, spec, as_of=timezone.now())
    assert [p.inspection_id for p in pooling.pooled] == [published.pk]
    assert {n.inspection_id: n.reason for n in pooling.not_pooled} == {
        unpublished.pk: "Not published"
    }


@pytest.mark.django_db(transaction=True)
def test_a_reopening_trace_from_another_transaction_unlocks_nothing(published):
    """PostgreSQL: the event and audit entry must be this transaction's; one committed earlier
    (say, to be used later, quietly) is no key."""
    with transaction.atomic():
        forge_reopening_trace(published, reason="Kept for later")
    refused(lambda: InspectionUnlock.objects.create(inspection_id=published.pk), UNLOCK_REFUSED)
