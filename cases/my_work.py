"""An inspector's own work: the cases assigned to them, QA's queries on them, the second
markings theirs to do, the next case to do, and finding a case."""

from dataclasses import dataclass

from django.db.models import Prefetch

from inspection.access import case_inspections
from inspection.choices import InspectionStatus

from .blinding import blind_case_ids
from .choices import FINISHED, CaseStatus
from .models import Case, QAOutcome, QAQuery, QAReview, SecondMarking

# The order the home page lists an inspector's cases in: what needs them first.
STATUS_ORDER = (
    CaseStatus.RETURNED,
    CaseStatus.IN_PROGRESS,
    CaseStatus.NOT_STARTED,
    CaseStatus.COMPLETE,
    CaseStatus.SIGNED_OFF,
)
SEARCH_LIMIT = 50


@dataclass
class StatusGroup:
    status: CaseStatus
    cases: list[Case]


def _with_inspection(cases):
    return cases.select_related(
        "inspection__pdu__region", "inspection__region", "assigned_inspector"
    )


def assigned_cases(user) -> list[StatusGroup]:
    """The cases assigned to `user` in inspections whose cases they may still see, grouped by
    status in STATUS_ORDER (empty groups left out). A returned case carries `qa_returns`, its
    returning reviews newest first, with the reviewer's comments on key questions. A fixed
    number of queries, however many cases."""
    returns = (
        QAReview.objects.filter(outcome=QAOutcome.RETURNED)
        .select_related("reviewer")
        .prefetch_related("questions__question")
    )
    cases = (
        _with_inspection(
            Case.objects.filter(assigned_inspector=user, inspection__in=case_inspections(user))
        )
        .exclude(inspection__status=InspectionStatus.PUBLISHED)
        .prefetch_related(Prefetch("qa_reviews", queryset=returns, to_attr="qa_returns"))
        .order_by("inspection__fieldwork_start", "inspection_id", "ref")
    )
    by_status: dict[str, list[Case]] = {}
    for case in cases:
        by_status.setdefault(case.status, []).append(case)
    return [StatusGroup(s, by_status[s]) for s in STATUS_ORDER if s in by_status]


def second_markings_to_do(user) -> list[SecondMarking]:
    """The blind second markings `user` has still to submit, in inspections whose cases they may
    still see, oldest fieldwork first."""
    return list(
        SecondMarking.objects.filter(
            marker=user,
            submitted_at__isnull=True,
            case__inspection__in=case_inspections(user),
        )
        .exclude(case__inspection__status=InspectionStatus.PUBLISHED)
        .select_related("case__inspection__pdu__region", "case__inspection__region")
        .order_by("case__inspection__fieldwork_start", "case__inspection_id", "case__ref")
    )


def open_queries_on_my_cases(user) -> list[QAQuery]:
    """QA's open queries on the cases assigned to `user`, each with `awaiting_me`: whether the
    newest message is someone else's (so the reply is theirs to give)."""
    queries = list(
        QAQuery.objects.open()
        .filter(case__assigned_inspector=user, case__inspection__in=case_inspections(user))
        .exclude(case__inspection__status=InspectionStatus.PUBLISHED)
        .with_last_author()
        .select_related("case__inspection__pdu__region", "case__inspection__region", "question")
        .order_by("case__inspection__fieldwork_start", "case__ref", "question__order", "pk")
    )
    for query in queries:
        query.awaiting_me = query.last_by_id != user.pk
    return queries


def latest_return_of(case: Case) -> QAReview | None:
    """The review that returned a case from assigned_cases (prefetched), while it is returned."""
    if case.status != CaseStatus.RETURNED:
        return None
    return case.qa_returns[0] if case.qa_returns else None


def next_assigned_case(case: Case, user) -> Case | None:
    """The next case assigned to `user` in the same inspection, by reference, that is not
    finished; wrapping round to the first such case before this one."""
    others = (
        Case.objects.filter(inspection_id=case.inspection_id, assigned_inspector=user)
        .exclude(pk=case.pk)
        .exclude(status__in=FINISHED)
    )
    return others.filter(ref__gt=case.ref).order_by("ref").first() or others.order_by("ref").first()


def search_cases(user, ref: str) -> list[Case]:
    """Cases whose reference contains `ref` (any case), among those the user may see; not one
    they mark second while it is blind to them (not even how far its first marking has got)."""
    cases = Case.objects.filter(ref__icontains=ref, inspection__in=case_inspections(user)).exclude(
        pk__in=blind_case_ids(user)
    )
    return list(_with_inspection(cases).order_by("ref", "inspection_id")[:SEARCH_LIMIT])
