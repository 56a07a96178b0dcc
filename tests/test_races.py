"""Races on PostgreSQL: real threads, each with its own connection, started together.

Publishing and marking complete must check and write under the same row locks every save takes,
so whichever goes first, the other sees its result: never a published inspection with a case
that is not finished or whole, never a complete case with a blank applicable answer.
"""

import threading
import time

import pytest
from django.db import connection, transaction

from cases.case_data import framework_sections
from cases.choices import FINISHED, CaseStatus
from cases.completeness import missing_answers
from cases.counting import attributes_of
from cases.data_quality import case_problems
from cases.models import Answer, Case, QAOutcome
from cases.publishing import lock_cases
from cases.qa import review_case
from cases.saving import Submitted, save_answers
from cases.workflow import lock_case, mark_complete
from inspection.choices import InspectionStatus
from inspection.lifecycle import TransitionRefused
from inspection.models import Domain1Judgement, Inspection, Standard
from inspection.published import PublishedInspectionError
from reports.publishing import move
from tests.factories import CaseFactory, InspectionFactory, UserFactory, answer_everything
from tests.report_helpers import write_required_parts

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

ROUNDS = 100
KEY_QUESTION = "2.2.1"


@pytest.fixture
def small_inspection():
    """Three cases in moderation, every applicable question answered yes, domain 1 rated."""
    inspection = InspectionFactory(status=InspectionStatus.MODERATION)
    cases = [
        CaseFactory(inspection=inspection, court_work=i == 0, resettlement=i == 1, ref=f"R-{i}")
        for i in range(3)
    ]
    answer_everything(cases)
    Case.objects.filter(inspection=inspection).update(status=CaseStatus.COMPLETE)
    Domain1Judgement.objects.bulk_create(
        Domain1Judgement(inspection=inspection, standard=standard, rating="requires_improvement")
        for standard in Standard.objects.filter(
            framework=inspection.framework, code__startswith="1."
        )
    )
    write_required_parts(inspection, UserFactory(username="writer"))
    return inspection


def run_together(*targets):
    """Run each target in its own thread, released at once by a barrier; close each connection."""
    barrier = threading.Barrier(len(targets))
    outcomes = [None] * len(targets)

    def run(index, target):
        try:
            barrier.wait()
            outcomes[index] = target()
        except Exception as error:  # noqa: BLE001 - the outcome is what the test looks at
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, t)) for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (deadlock?)"
    return outcomes


def blank_key_question(case: Case, user, reason: str = ""):
    """What the page's autosave sends when the inspector clears the key question's radio."""
    stored = Answer.objects.get(case=case, question__code=KEY_QUESTION)

    def save():
        return save_answers(
            case,
            [
                Submitted(
                    question_id=stored.question_id,
                    code=KEY_QUESTION,
                    value="",
                    note=None,
                    version=stored.version,
                    loaded_value=stored.value,
                    loaded_note_digest=None,
                )
            ],
            user,
            reason=reason,
        )

    return save


def assert_invariants(inspection: Inspection):
    _, sections = framework_sections(inspection)
    published = Inspection.objects.get(pk=inspection.pk).status == InspectionStatus.PUBLISHED
    for case in Case.objects.filter(inspection=inspection):
        values = {
            code: (value, note)
            for code, value, note in Answer.objects.filter(case=case).values_list(
                "question__code", "value", "note"
            )
        }
        attributes = attributes_of(case)
        blanks = missing_answers(sections, {c: v for c, (v, _) in values.items()}, attributes)
        if case.status == CaseStatus.COMPLETE:
            assert not blanks, f"complete case {case.ref} has blank answers"
        if published:
            assert case.status in FINISHED, f"published with case {case.ref} {case.status}"
            assert not case_problems(sections, values, attributes), f"published with {case.ref}"


def test_publishing_while_an_inspector_blanks_an_answer(small_inspection):
    lead = UserFactory(username="lead")
    inspector = UserFactory(username="ines")
    target = Case.objects.get(inspection=small_inspection, ref="R-2")
    wins = {"publish": 0, "save": 0}
    for _ in range(ROUNDS):
        current = Inspection.objects.get(pk=small_inspection.pk)
        if current.status == InspectionStatus.PUBLISHED:
            # Only re-opening may change a published inspection (the database refuses the rest).
            move(current, InspectionStatus.MODERATION, lead, reason="The next round")
        Answer.objects.filter(case=target, question__code=KEY_QUESTION).update(value="yes")
        Case.objects.filter(pk=target.pk).update(status=CaseStatus.COMPLETE)
        case = Case.objects.select_related("inspection").get(pk=target.pk)
        inspection = Inspection.objects.get(pk=small_inspection.pk)

        published, saved = run_together(
            lambda inspection=inspection: move(inspection, InspectionStatus.PUBLISHED, lead),
            blank_key_question(case, inspector, reason="Not sure after all"),
        )
        assert_invariants(small_inspection)
        if isinstance(published, TransitionRefused):
            assert saved.saved, saved  # refused only because the save went first
            assert any("R-2" in reason for reason in published.reasons)
            wins["save"] += 1
        else:
            assert isinstance(saved, PublishedInspectionError), (published, saved)
            wins["publish"] += 1
    print(f"\npublish vs blanking save, {ROUNDS} rounds: {wins}")
    assert sum(wins.values()) == ROUNDS


def test_marking_complete_while_an_autosave_blanks_an_answer(small_inspection):
    inspector = UserFactory(username="ines")
    Inspection.objects.filter(pk=small_inspection.pk).update(status=InspectionStatus.FIELDWORK)
    target = Case.objects.get(inspection=small_inspection, ref="R-0")
    _, sections = framework_sections(small_inspection)
    wins = {"complete": 0, "autosave": 0}
    for _ in range(ROUNDS):
        Answer.objects.filter(case=target, question__code=KEY_QUESTION).update(value="yes")
        Case.objects.filter(pk=target.pk).update(status=CaseStatus.IN_PROGRESS)
        case = Case.objects.select_related("inspection").get(pk=target.pk)
        completing = Case.objects.select_related("inspection").get(pk=target.pk)

        completed, saved = run_together(
            lambda completing=completing: mark_complete(completing, sections, by=inspector),
            blank_key_question(case, inspector),  # in progress when loaded: no reason given
        )
        assert_invariants(small_inspection)
        problems, _ = completed
        if problems:
            assert saved.saved and [p.question_code for p in problems] == [KEY_QUESTION]
            assert Case.objects.get(pk=target.pk).status == CaseStatus.IN_PROGRESS
            wins["autosave"] += 1
        else:
            assert saved.needs_reason and not saved.saved  # it found the case complete
            assert Case.objects.get(pk=target.pk).status == CaseStatus.COMPLETE
            wins["complete"] += 1
    print(f"\nmark complete vs blanking autosave, {ROUNDS} rounds: {wins}")
    assert sum(wins.values()) == ROUNDS


def waits_for_a_lock(thread: threading.Thread, timeout: float = 10) -> bool:
    """Whether `thread` comes to wait for a lock held elsewhere, as PostgreSQL reports it
    (pg_stat_activity: a backend of this test database waiting on a Lock), before it ends or
    `timeout` passes. The thread's own state to wait for, not a guess at how long it takes."""
    deadline = time.monotonic() + timeout
    while thread.is_alive() and time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid() AND wait_event_type = 'Lock')"
            )
            if cursor.fetchone()[0]:
                return True
        time.sleep(0.005)
    return False


def hold_lock_in_thread(lock, release: threading.Event, held: threading.Event, then=None):
    """Open a transaction in another thread, take `lock`, optionally write, wait, commit."""

    def run():
        try:
            with transaction.atomic():
                lock()
                if then:
                    then()
                held.set()
                release.wait(timeout=10)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    assert held.wait(timeout=10)
    return thread


def test_publishing_waits_for_a_save_in_flight_and_then_sees_it(small_inspection):
    lead = UserFactory(username="lead")
    case = Case.objects.get(inspection=small_inspection, ref="R-1")
    release, held = threading.Event(), threading.Event()

    def blank_and_reopen():  # what a save does to a complete case it blanks, under its lock
        Answer.objects.filter(case=case, question__code=KEY_QUESTION).update(value="")
        Case.objects.filter(pk=case.pk).update(status=CaseStatus.IN_PROGRESS)

    saver = hold_lock_in_thread(lambda: lock_case(case), release, held, then=blank_and_reopen)
    outcome = {}

    def publish():
        try:
            outcome["event"] = move(small_inspection, InspectionStatus.PUBLISHED, lead)
        except TransitionRefused as refused:
            outcome["refused"] = refused.reasons
        finally:
            connection.close()

    publisher = threading.Thread(target=publish)
    publisher.start()
    assert waits_for_a_lock(publisher), "publishing did not wait for the case lock"
    release.set()
    saver.join()
    publisher.join(timeout=10)
    assert outcome == {"refused": ["1 case is not complete: R-1"]}
    assert Inspection.objects.get(pk=small_inspection.pk).status == InspectionStatus.MODERATION


def test_saves_on_different_cases_do_not_wait_for_each_other(small_inspection):
    inspector = UserFactory(username="ines")
    Inspection.objects.filter(pk=small_inspection.pk).update(status=InspectionStatus.FIELDWORK)
    Case.objects.filter(inspection=small_inspection).update(status=CaseStatus.IN_PROGRESS)
    first, second = Case.objects.select_related("inspection").filter(inspection=small_inspection)[
        :2
    ]
    release, held = threading.Event(), threading.Event()
    holder = hold_lock_in_thread(lambda: lock_case(first), release, held)
    result = {}

    def save_other():
        try:
            result["saved"] = blank_key_question(second, inspector)().saved
        finally:
            connection.close()

    other = threading.Thread(target=save_other)
    other.start()
    other.join(timeout=5)
    waited = other.is_alive()
    release.set()
    holder.join()
    other.join()
    assert not waited, "a save on one case waited for a lock held on another"
    assert result["saved"]


def test_a_save_that_waited_for_a_publish_is_refused(small_inspection):
    """The save re-reads the inspection once it holds its lock, not the copy it had before."""
    inspector = UserFactory(username="ines")
    case = Case.objects.select_related("inspection").get(inspection=small_inspection, ref="R-0")
    release, held = threading.Event(), threading.Event()

    def publish_by_hand():
        Inspection.objects.filter(pk=small_inspection.pk).update(status=InspectionStatus.PUBLISHED)

    publisher = hold_lock_in_thread(lambda: lock_case(case), release, held, then=publish_by_hand)
    save = blank_key_question(case, inspector, reason="late")
    outcome = {}

    def run():
        try:
            outcome["result"] = save()
        except PublishedInspectionError as error:
            outcome["refused"] = error
        finally:
            connection.close()

    saver = threading.Thread(target=run)
    saver.start()
    assert waits_for_a_lock(saver)  # waiting for the case row
    release.set()
    publisher.join()
    saver.join(timeout=10)
    assert "refused" in outcome
    assert Answer.objects.get(case=case, question__code=KEY_QUESTION).value == "yes"


def test_a_quality_review_that_waited_for_a_publish_is_refused(small_inspection):
    """Returning a case is a status change: it must not land in a just-published inspection."""
    reviewer = UserFactory(username="quinn")
    case = Case.objects.select_related("inspection").get(inspection=small_inspection, ref="R-1")
    release, held = threading.Event(), threading.Event()

    def publish_by_hand():
        Inspection.objects.filter(pk=small_inspection.pk).update(status=InspectionStatus.PUBLISHED)

    publisher = hold_lock_in_thread(
        lambda: lock_cases(small_inspection), release, held, then=publish_by_hand
    )
    outcome = {}

    def review():
        try:
            review_case(case, reviewer, [], "Please look again at 2.2.1", QAOutcome.RETURNED)
            outcome["reviewed"] = True
        except PublishedInspectionError:
            outcome["refused"] = True
        finally:
            connection.close()

    reviewer_thread = threading.Thread(target=review)
    reviewer_thread.start()
    assert waits_for_a_lock(reviewer_thread)  # waiting for the inspection's cases
    release.set()
    publisher.join()
    reviewer_thread.join(timeout=10)
    assert outcome == {"refused": True}
    assert Case.objects.get(pk=case.pk).status == CaseStatus.COMPLETE


def test_publishing_while_the_lead_changes_a_recommendation(small_inspection):
    """Inspection-level writes take the inspection's row lock as publishing does: the stored
    record always holds the recommendation as it stands (verify_published finds no difference)."""
    from inspection.models import Recommendation
    from reports import recommendations
    from reports.publication import differences

    lead = UserFactory(username="lead")
    recommendation = recommendations.add(
        small_inspection, addressee="pdu", text="Version 0", order=1, by=lead
    )
    wins = {"publish": 0, "change": 0}
    for round_ in range(1, 31):
        current = Inspection.objects.get(pk=small_inspection.pk)
        if current.status == InspectionStatus.PUBLISHED:
            move(current, InspectionStatus.MODERATION, lead, reason="The next round")
        inspection = Inspection.objects.get(pk=small_inspection.pk)
        stored = Recommendation.objects.get(pk=recommendation.pk)

        published, changed = run_together(
            lambda inspection=inspection: move(inspection, InspectionStatus.PUBLISHED, lead),
            lambda stored=stored, round_=round_: recommendations.change(
                stored, addressee="pdu", text=f"Version {round_}", order=1, by=lead
            ),
        )
        assert not isinstance(published, Exception), published
        if isinstance(changed, PublishedInspectionError):
            wins["publish"] += 1
        else:
            assert not isinstance(changed, Exception), changed
            wins["change"] += 1
        assert differences(Inspection.objects.get(pk=small_inspection.pk)) == []
    print(f"publish vs recommendation change, 30 rounds: {wins}")


def test_a_double_submitted_lifecycle_move_records_one_event(small_inspection):
    """Two identical moves at once (a double click, two tabs): one moves, the other is refused
    with a message, and one event is recorded."""
    from inspection.models import InspectionEvent

    lead = UserFactory(username="lead")
    Inspection.objects.filter(pk=small_inspection.pk).update(status=InspectionStatus.FIELDWORK)
    for round_ in range(10):
        if round_:
            move(Inspection.objects.get(pk=small_inspection.pk), InspectionStatus.FIELDWORK, lead)
        events_before = InspectionEvent.objects.filter(inspection=small_inspection).count()
        first, second = run_together(
            *(
                lambda: move(
                    Inspection.objects.get(pk=small_inspection.pk),
                    InspectionStatus.MODERATION,
                    lead,
                )
                for _ in range(2)
            )
        )
        refused = [o for o in (first, second) if isinstance(o, TransitionRefused)]
        assert len(refused) == 1, (first, second)
        assert refused[0].reasons == ["An inspection in moderation cannot move to moderation"]
        events = InspectionEvent.objects.filter(inspection=small_inspection).count()
        assert events == events_before + 1
