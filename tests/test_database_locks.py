"""The database itself refuses changes to a published inspection's rows and to lifecycle events,
however they are made: ORM save(), QuerySet.update() and delete(), bulk operations, raw SQL
(inspection/db_locks.py). Only lifecycle.move re-opens a published inspection."""

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.models.signals import pre_delete
from django.utils import timezone

from cases.models import Answer, Case, DipSample, QAQuestionReview, QAReview
from inspection import audit, db_locks
from inspection import published as published_guards
from inspection.choices import AuditKind, InspectionStatus
from inspection.lifecycle import TransitionRefused
from inspection.models import (
    AuditEntry,
    Domain1Judgement,
    Inspection,
    InspectionEvent,
    InspectionUnlock,
    Recommendation,
    SampleWindow,
)
from reports.publishing import move
from tests.factories import CaseFactory, InspectionFactory, UserFactory, answer_everything
from tests.lock_helpers import forge_reopening_trace, raw, refused

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_ANSWERS = 1485  # answers in the reference inspection (inspection/demo)


REOPENING = importlib.import_module("inspection.migrations.0023_reopening_leaves_its_trace")
RECORDS = importlib.import_module("reports.migrations.0003_untied_record_only_when_published")


def lock_migrations(vendor: str = "postgresql") -> list[db_locks.Lock]:
    """Every lock in place: 0023's replace 0009's lock on the inspection row."""
    return [
        *REOPENING.EARLIER_LOCKS,
        *importlib.import_module("cases.migrations.0004_database_locks").LOCKS,
        *importlib.import_module("cases.migrations.0007_practice_examples").LOCKS,
        *importlib.import_module("inspection.migrations.0022_confirmed_numbers").LOCKS,
        *REOPENING.locks(vendor),
        RECORDS.RECORD_LOCK,
        *importlib.import_module("inspection.migrations.0025_report_front_matter").LOCKS,
        *importlib.import_module("cases.migrations.0010_double_marking_and_queries").LOCKS,
    ]


@pytest.mark.django_db
def test_every_lock_trigger_is_in_the_database():
    expected = {
        name for lock in lock_migrations() for name in db_locks.trigger_names("postgresql", lock)
    }
    # 10 framework tables, 26 of an inspection's, the events (append-only, in order), the unlock
    # table, the published records: 40 row triggers, and a TRUNCATE guard for each of the 38
    # locks that refuse a DELETE, the audit trail's with them.
    assert len(expected) == 40 + 38
    guards = {db_locks.truncate_guard_name(REOPENING.AUDIT_TRAIL)}
    assert expected | guards <= db_locks.installed_triggers(connection)


@pytest.mark.django_db
def test_answers_of_a_published_inspection_refuse_update_delete_and_raw_sql(published):
    answers = Answer.objects.filter(case__inspection=published)
    before = list(answers.order_by("pk").values_list("pk", "value", "note", "version"))
    assert len(before) == REFERENCE_ANSWERS
    refused(lambda: answers.update(value="yes"))  # before the lock: 1485 rows changed
    with pytest.raises(PermissionDenied), transaction.atomic():
        answers.filter(value="no").delete()  # sends delete signals: the ORM guard says why
    first = answers.order_by("pk").first()
    first.value = "na"
    refused(lambda: Answer.objects.bulk_update([first], ["value"]))
    refused(
        raw(
            "UPDATE cases_answer SET value = 'yes' WHERE case_id IN "
            "(SELECT id FROM cases_case WHERE inspection_id = %s)",
            [published.pk],
        )
    )
    refused(raw("DELETE FROM cases_answer WHERE id = %s", [first.pk]))
    refused(
        raw(
            "INSERT INTO cases_answer (case_id, question_id, value, note, version, updated_at) "
            "SELECT case_id, question_id, 'yes', '', 1, now() FROM cases_answer WHERE id = %s",
            [first.pk],
        )
    )
    assert list(answers.order_by("pk").values_list("pk", "value", "note", "version")) == before


@pytest.mark.django_db
def test_every_row_of_a_published_inspection_is_locked(published):
    case = published.cases.order_by("ref").first()
    refused(lambda: Case.objects.filter(inspection=published).update(status="in_progress"))
    refused(lambda: SampleWindow.objects.filter(inspection=published).update(end=timezone.now()))
    refused(lambda: Domain1Judgement.objects.filter(inspection=published).update(rating="good"))
    refused(raw("DELETE FROM inspection_recommendation WHERE inspection_id = %s", [published.pk]))
    refused(
        lambda: Recommendation.objects.bulk_create(
            [Recommendation(inspection=published, addressee="pdu", text="new")]
        )
    )
    refused(
        lambda: QAReview.objects.bulk_create(
            [QAReview(case=case, outcome="signed_off", comment="late review")]
        )
    )
    refused(
        lambda: DipSample.objects.bulk_create(
            [DipSample(inspection=published, share_percent=10, seed="s")]
        )
    )
    # The team (a many-to-many table) from both sides, bypassing the m2m signals.
    newcomer = UserFactory(username="newcomer")
    Team = Inspection.team.through
    refused(lambda: Team.objects.bulk_create([Team(inspection=published, user=newcomer)]))
    refused(lambda: Team.objects.filter(inspection=published).delete())
    # The inspection row: changed, re-statused, deleted.
    refused(lambda: Inspection.objects.filter(pk=published.pk).update(status="moderation"))
    refused(lambda: Inspection.objects.filter(pk=published.pk).update(lead_inspector=None))
    refused(raw("DELETE FROM inspection_inspection WHERE id = %s", [published.pk]))
    published.refresh_from_db()
    assert published.status == InspectionStatus.PUBLISHED


@pytest.mark.django_db
def test_qa_rows_and_dip_samples_of_a_published_inspection_are_locked(reference_inspection, lead):
    case = reference_inspection.cases.order_by("ref").first()
    sample = DipSample.objects.create(
        inspection=reference_inspection, share_percent=10, seed="s", drawn_by=lead
    )
    sample.cases.add(case)
    review = QAReview.objects.create(case=case, reviewer=lead, outcome="signed_off")
    Case.objects.filter(pk=case.pk).update(status="signed_off")  # as the sign-off leaves it
    question = Answer.objects.filter(case=case).first().question
    verdict = QAQuestionReview.objects.create(review=review, question=question, agrees=True)
    move(reference_inspection, InspectionStatus.PUBLISHED, lead)

    Sampled = DipSample.cases.through
    refused(lambda: Sampled.objects.filter(dipsample=sample).delete())
    refused(lambda: QAReview.objects.filter(pk=review.pk).update(comment="changed"))
    refused(lambda: QAQuestionReview.objects.filter(pk=verdict.pk).update(agrees=False))
    # A published inspection's case put into another inspection's dip sample.
    other = DipSample.objects.create(inspection=InspectionFactory(), share_percent=10, seed="o")
    refused(lambda: Sampled.objects.bulk_create([Sampled(dipsample=other, case=case)]))
    # The ORM says why first.
    for attempt in (lambda: sample.cases.clear(), verdict.delete, review.save, sample.save):
        with pytest.raises(PermissionDenied), transaction.atomic():
            attempt()


@pytest.mark.django_db
def test_rows_cannot_move_out_of_or_into_a_published_inspection(published):
    other = InspectionFactory(status=InspectionStatus.PLANNING)
    case = published.cases.order_by("ref").first()
    newcomer = CaseFactory(inspection=other)
    answer_everything([newcomer])

    case.inspection = other
    with pytest.raises(PermissionDenied), transaction.atomic():
        case.save()  # the ORM guard checks where the row was, not only where it goes
    refused(lambda: Case.objects.filter(pk=case.pk).update(inspection=other))
    refused(lambda: Case.objects.filter(pk=newcomer.pk).update(inspection=published))
    answer = Answer.objects.filter(case=case).order_by("pk").first()
    refused(lambda: Answer.objects.filter(pk=answer.pk).update(case=newcomer))
    refused(lambda: Answer.objects.filter(case=newcomer).update(case=case))
    window = published.sample_windows.first()
    refused(lambda: SampleWindow.objects.filter(pk=window.pk).update(inspection=other))
    assert Case.objects.get(pk=case.pk).inspection_id == published.pk


@pytest.mark.django_db
def test_saving_a_published_inspection_with_another_status_is_refused(published):
    published.status = InspectionStatus.MODERATION
    with pytest.raises(PermissionDenied), transaction.atomic():
        published.save()
    # Without the ORM guard the database refuses the same save.
    published_guards.pre_save.disconnect(sender=Inspection, dispatch_uid="published-inspection")
    try:
        refused(published.save)
    finally:
        published_guards.pre_save.connect(
            published_guards._guard_inspection,
            sender=Inspection,
            dispatch_uid="published-inspection",
        )
    assert Inspection.objects.get(pk=published.pk).status == InspectionStatus.PUBLISHED


@pytest.mark.django_db
def test_deleting_the_lead_of_a_published_inspection_is_refused(
    reference_inspection, lead, admin_user
):
    # Published by an admin, so the lead has no lifecycle events protecting them already.
    move(reference_inspection, InspectionStatus.PUBLISHED, admin_user)
    with pytest.raises(PermissionDenied, match="deactivate the account"), transaction.atomic():
        lead.delete()
    # Without the ORM guard, Django clears the inspection's lead (SET_NULL): the database refuses.
    User = get_user_model()
    pre_delete.disconnect(sender=User, dispatch_uid="published-user")
    try:
        refused(lead.delete)
    finally:
        pre_delete.connect(
            published_guards._guard_user_delete, sender=User, dispatch_uid="published-user"
        )
    reference_inspection.refresh_from_db()
    assert reference_inspection.lead_inspector == lead
    # Someone who published an inspection has events, which are kept: PROTECT says so.
    with pytest.raises(IntegrityError), transaction.atomic():
        admin_user.delete()


@pytest.mark.django_db
def test_the_audit_trail_is_not_locked(published):
    """The audit trail keeps accepting entries for a published inspection's rows."""
    with transaction.atomic():
        audit.record(published.pk, AuditKind.LIFECYCLE, by=None, subject="Note", new="audit entry")
    assert AuditEntry.objects.filter(inspection_id=published.pk, new_value="audit entry").exists()


@pytest.mark.django_db
def test_lifecycle_events_are_append_only(published):
    event = InspectionEvent.objects.get(inspection=published, to_status="published")
    kept = "kept as they happened"
    refused(lambda: InspectionEvent.objects.filter(pk=event.pk).update(reason="x"), kept)
    # The ORM stops first here: the published record is tied to the event (PROTECT).
    refused(lambda: InspectionEvent.objects.filter(pk=event.pk).delete(), "protected")
    refused(raw("DELETE FROM inspection_inspectionevent"), kept)
    event.reason = "rewritten"
    refused(event.save, kept)
    assert InspectionEvent.objects.get(pk=event.pk).reason == ""


@pytest.mark.django_db
def test_an_inspection_with_events_cannot_be_deleted(admin_user):
    planning = InspectionFactory(status=InspectionStatus.PLANNING)
    move(planning, InspectionStatus.FIELDWORK, admin_user)
    move(planning, InspectionStatus.PLANNING, admin_user)
    with pytest.raises(IntegrityError, match="protected"), transaction.atomic():
        planning.delete()  # ProtectedError: the events are kept, so the inspection is too
    assert Inspection.objects.filter(pk=planning.pk).exists()
    assert InspectionFactory(status=InspectionStatus.PLANNING).delete()[0] > 0  # no events


@pytest.mark.django_db
def test_reopening_through_the_lifecycle_is_the_one_way_through(published, lead):
    with pytest.raises(TransitionRefused):
        move(published, InspectionStatus.MODERATION, lead, reason="  ")
    assert Inspection.objects.get(pk=published.pk).status == InspectionStatus.PUBLISHED
    event = move(published, InspectionStatus.MODERATION, lead, reason="Factual accuracy error")
    assert (event.from_status, event.to_status, event.by) == ("published", "moderation", lead)
    assert Inspection.objects.get(pk=published.pk).status == InspectionStatus.MODERATION
    assert not InspectionUnlock.objects.exists()  # used and removed inside the move
    # Re-opened, its rows can change again.
    answers = Answer.objects.filter(case__inspection=published, value="no")
    assert answers.update(note="checked") > 0


@pytest.mark.django_db
def test_an_unlock_row_needs_the_reopening_trace_and_opens_only_the_status(published):
    """What the re-open service relies on: the unlock row is taken only after the re-opening's
    event and audit entry, and then opens the inspection row's status, to moderation, only."""
    unlock = "re-opened through the lifecycle service only"
    refused(lambda: InspectionUnlock.objects.create(inspection=published), unlock)
    with transaction.atomic():
        # An event alone is not enough; nor an event without a reason (refused itself).
        InspectionEvent.objects.create(
            inspection=published, from_status="published", to_status="moderation", reason="x"
        )
        refused(lambda: InspectionUnlock.objects.create(inspection=published), unlock)
        transaction.set_rollback(True)
    refused(
        lambda: InspectionEvent.objects.create(
            inspection=published, from_status="published", to_status="moderation", reason=" "
        ),
        "gives a reason",
    )
    with transaction.atomic():
        forge_reopening_trace(published)
        InspectionUnlock.objects.create(inspection=published)
        refused(lambda: Case.objects.filter(inspection=published).update(status="in_progress"))
        refused(lambda: Inspection.objects.filter(pk=published.pk).update(lead_inspector=None))
        refused(lambda: Inspection.objects.filter(pk=published.pk).update(status="planning"))
        assert Inspection.objects.filter(pk=published.pk).update(status="moderation") == 1
        transaction.set_rollback(True)
    assert Inspection.objects.get(pk=published.pk).status == InspectionStatus.PUBLISHED


@pytest.mark.django_db
def test_an_event_must_start_from_the_inspections_status(published):
    out_of_order = "starts from the inspection's current status"
    for from_status, to_status in (("moderation", "published"), ("fieldwork", "moderation")):
        refused(
            lambda f=from_status, t=to_status: InspectionEvent.objects.create(
                inspection=published, from_status=f, to_status=t, reason="forged"
            ),
            out_of_order,
        )
    refused(
        raw(
            "INSERT INTO inspection_inspectionevent (inspection_id, from_status, to_status, at,"
            " reason) VALUES (%s, 'moderation', 'published', now(), '')",
            [published.pk],
        ),
        out_of_order,
    )


@pytest.mark.django_db(transaction=True)
def test_a_published_inspection_does_not_stop_the_flush_between_tests(published):
    """Transactional tests end with Django's flush: PostgreSQL's TRUNCATE fires no row
    triggers, and the test database backend (inspection/test_database) turns the TRUNCATE guards
    off for the flush's own transaction, so a published inspection, its events, its record and
    its audit trail go with everything else."""
    assert InspectionEvent.objects.filter(inspection=published).exists()
    assert AuditEntry.objects.filter(inspection_id=published.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_after_the_flush_nothing_is_left():
    assert not Inspection.objects.exists() and not InspectionEvent.objects.exists()
    assert not AuditEntry.objects.exists()
    # ...and the guards are on again.
    with pytest.raises(IntegrityError, match="TRUNCATE refused"), transaction.atomic():
        audit.record(InspectionFactory().pk, AuditKind.LIFECYCLE, by=None, subject="Note")
        raw("SET CONSTRAINTS ALL IMMEDIATE")()  # PostgreSQL truncates no table with checks pending
        raw("TRUNCATE inspection_auditentry")()


@pytest.mark.slow
def test_sqlite_refuses_the_same(tmp_path):
    """The README's first command runs on SQLite: its triggers refuse the same changes."""
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        "DJANGO_SETTINGS_MODULE": "inspection.settings",
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'locks.sqlite3'}",
        # Publishing would render the PDF once it commits: seconds this test does not look at.
        "PUBLISHED_PDF_AT_PUBLICATION": "false",
    }

    def manage(*args):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    manage("migrate", "--no-input", "-v", "0")
    out = manage("shell", "-c", SQLITE_SCRIPT)
    assert [line for line in out.split() if ":" in line] == [
        "triggers-missing:0",
        "answers:refused",
        "band:refused",
        "event:refused",
        "unlock:refused",
        "forged-event:refused",
        "reopened:moderation",
        "answers-after-reopening:1485",
        "overlong-note:refused",  # cases 0006's CHECK, on a table SQLite copied to add it
        "untied-record:refused",  # reports 0003: tied to no event, of one not published
    ], out


SQLITE_SCRIPT = """
import importlib, json
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from bundles.importer import import_bundle
from cases.models import Answer
from inspection import db_locks
from reports.publishing import move
from inspection.models import InspectionEvent, InspectionUnlock, RatingBand
from reports.models import PublishedReport

reopening = importlib.import_module("inspection.migrations.0023_reopening_leaves_its_trace")
locks = [
    *reopening.EARLIER_LOCKS,
    *importlib.import_module("cases.migrations.0004_database_locks").LOCKS,
    *reopening.locks("sqlite"),
    importlib.import_module("reports.migrations.0003_untied_record_only_when_published").RECORD_LOCK,
]
names = {n for lock in locks for n in db_locks.trigger_names("sqlite", lock)}
print("triggers-missing:%d" % len(names - db_locks.installed_triggers(connection)))
bundle = json.load(open("inspection/demo/blackburn-with-darwen-2023.json"))
inspection = import_bundle(bundle)
lead = get_user_model().objects.create_user("lead")
move(inspection, "moderation", lead)
move(inspection, "published", lead)

def attempt(label, action):
    try:
        with transaction.atomic():
            action()
        print(label + ":allowed")
    except IntegrityError:
        print(label + ":refused")

attempt("answers", lambda: Answer.objects.filter(case__inspection=inspection).update(value="yes"))
attempt("band", lambda: RatingBand.objects.update(min_percent=1))
attempt("event", lambda: InspectionEvent.objects.update(reason="x"))
attempt("unlock", lambda: InspectionUnlock.objects.create(inspection=inspection))
attempt("forged-event", lambda: InspectionEvent.objects.create(
    inspection=inspection, from_status="moderation", to_status="published"))
move(inspection, "moderation", lead, reason="a correction")
inspection.refresh_from_db()
print("reopened:" + inspection.status)
reopened = Answer.objects.filter(case__inspection=inspection)
print("answers-after-reopening:%d" % reopened.update(note="x"))
attempt("overlong-note", lambda: reopened.update(note="x" * 5001))
unpublished = import_bundle(bundle)  # no lifecycle event, not published
attempt("untied-record", lambda: PublishedReport.objects.create(
    inspection=unpublished, results={}, checksum="x", headline={}))
"""
