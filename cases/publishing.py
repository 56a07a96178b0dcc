"""What must be true of an inspection's cases and their quality assurance before it can be
published, and what ties a user to a published inspection's case rows.

Registered with inspection.lifecycle and inspection.published (which sit below this app) when
the app is ready, with `lock_cases`: publishing takes the lock on every case row that saves and
completion take, before it checks, so no case changes between the check and the publish. Each
reason links to the case page where it is put right (inspection.publish_checklist.Blocker).
"""

from django.db.models import F, OuterRef, Q, Subquery
from django.urls import reverse

from inspection.models import Inspection
from inspection.publish_checklist import Blocker

from .case_data import framework_sections, inspection_answer_values
from .choices import FINISHED, CaseStatus
from .counting import CASE_ATTRIBUTES
from .data_quality import case_problems
from .models import (
    Answer,
    Case,
    DipSample,
    PracticeExample,
    QAOutcome,
    QAQuery,
    QAQueryMessage,
    QAReview,
    QueryState,
    ReliabilitySample,
    SecondMarking,
)

CASES_HEADING = "Cases"
QA_HEADING = "Quality assurance"


def lock_cases(inspection: Inspection) -> None:
    """Lock every case row of the inspection, in id order (one order for every locker)."""
    list(
        Case.objects.filter(inspection=inspection)
        .select_for_update()
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def case_blockers(inspection: Inspection) -> list[str]:
    """Every case finished, and whole by the completion rule as it stands now."""
    reasons = []
    cases = list(inspection.cases.values("pk", "ref", "status", *CASE_ATTRIBUTES))
    if not cases:
        reasons.append(Blocker("The inspection has no cases", _url("cases:import", inspection.pk)))
    unfinished = [c["ref"] for c in cases if c["status"] not in FINISHED]
    if unfinished:
        reasons.append(
            Blocker(
                f"{len(unfinished)} case{'s are' if len(unfinished) > 1 else ' is'} not complete: "
                + ", ".join(sorted(unfinished)),
                _url("cases:list", inspection.pk),
            )
        )
    return reasons + _finished_but_not_whole(inspection, cases)


def qa_blockers(inspection: Inspection) -> list[str]:
    """Quality assurance left open: a dip-sampled case not signed off (never reviewed, or
    changed since its sign-off), and a case QA returned that has not been signed off since.
    One query."""
    sampled = DipSample.cases.through.objects.filter(dipsample__inspection=inspection)
    last_review = QAReview.objects.filter(case=OuterRef("pk")).order_by("-created_at", "-pk")
    open_cases = (
        inspection.cases.annotate(last_review=Subquery(last_review.values("outcome")[:1]))
        .filter(Q(pk__in=sampled.values("case_id")) | Q(last_review=QAOutcome.RETURNED))
        .exclude(status=CaseStatus.SIGNED_OFF)
        .order_by("ref")
        .values_list("pk", "ref", "status", "last_review")
    )
    reasons = []
    for pk, ref, status, last in open_cases:
        if last is None:
            reason = f"Case {ref} is in the dip sample and has not been reviewed"
        elif last == QAOutcome.RETURNED and status == CaseStatus.RETURNED:
            reason = f"Case {ref} was returned to its inspector and is not yet complete again"
        elif last == QAOutcome.RETURNED:
            reason = f"Case {ref} was returned to its inspector and is complete again: review it"
        else:
            reason = f"Case {ref} was changed after it was signed off: review it again"
        # A case that is not finished cannot be reviewed: its own page says what is missing.
        page = "cases:review" if status in FINISHED else "cases:detail"
        reasons.append(Blocker(reason, _url(page, pk)))
    return reasons


def open_queries(inspection: Inspection) -> list[str]:
    """A QA query on an answer that is still open."""
    queries = QAQuery.objects.filter(case__inspection=inspection, state=QueryState.OPEN)
    return [
        Blocker(
            f"The query on case {q.case.ref}'s answer to {q.question.code} is still open",
            _url("cases:queries", q.case_id),
        )
        for q in queries.select_related("case", "question").order_by("case__ref", "pk")
    ]


def double_marking_blockers(inspection: Inspection) -> list[str]:
    """Double marking left half-done: a second marking not both done (its marker would stay blind
    for good), or markers who differ and have not been reconciled."""
    reasons = []
    url = _url("cases:double_marking", inspection.pk)
    markings = SecondMarking.objects.filter(case__inspection=inspection, reconciled_at=None)
    for marking in markings.select_related("case").order_by("case__ref"):
        ref = marking.case.ref
        if marking.submitted_at is None:
            reasons.append(Blocker(f"Case {ref}'s second marking is not submitted", url))
        elif marking.unblinded_at is None:
            reasons.append(
                Blocker(f"Case {ref} is second marked but its first marking is not complete", url)
            )
        else:
            differ = marking.answers.exclude(value=F("first_value")).count()
            if differ:
                reasons.append(
                    Blocker(
                        f"Case {ref}'s markers differ on {differ} key question"
                        f"{'s' if differ > 1 else ''}: reconcile them",
                        _url("cases:reconcile", marking.case_id),
                    )
                )
    return reasons


def _url(name: str, pk: int) -> str:
    return reverse(name, args=[pk])


def _finished_but_not_whole(inspection: Inspection, cases) -> list[str]:
    """A stored status is not trusted: each finished case must pass the completion rule now."""
    finished = [c for c in cases if c["status"] in FINISHED]
    if not finished:
        return []
    _, sections = framework_sections(inspection)
    values = inspection_answer_values(inspection)
    reasons = []
    for case in sorted(finished, key=lambda c: c["ref"]):
        problems = case_problems(sections, values.get(case["pk"], {}), case)
        if problems:
            reasons.append(
                Blocker(
                    f"Case {case['ref']} is marked complete but has {len(problems)} "
                    f"problem{'s' if len(problems) > 1 else ''}, first: {problems[0].message}",
                    _url("cases:detail", case["pk"]),
                )
            )
    return reasons


def user_ties(user) -> Q:
    """The inspections whose case rows name this user (deleting the user would change them)."""
    return (
        Q(pk__in=Case.objects.filter(assigned_inspector=user).values("inspection_id"))
        | Q(pk__in=Answer.objects.filter(updated_by=user).values("case__inspection_id"))
        | Q(pk__in=QAReview.objects.filter(reviewer=user).values("case__inspection_id"))
        | Q(pk__in=DipSample.objects.filter(drawn_by=user).values("inspection_id"))
        | Q(
            pk__in=PracticeExample.objects.filter(marked_by=user).values(
                "answer__case__inspection_id"
            )
        )
        | Q(pk__in=ReliabilitySample.objects.filter(drawn_by=user).values("inspection_id"))
        | Q(
            pk__in=SecondMarking.objects.filter(
                Q(marker=user) | Q(first_marker=user) | Q(reconciled_by=user)
            ).values("case__inspection_id")
        )
        | Q(pk__in=QAQuery.objects.filter(raised_by=user).values("case__inspection_id"))
        | Q(pk__in=QAQueryMessage.objects.filter(by=user).values("query__case__inspection_id"))
    )
