"""What must be true of an inspection's cases and ratings before it can be published, and what
ties a user to a published inspection's case rows.

Registered with inspection.lifecycle and inspection.published (which sit below this app) when
the app is ready, with `lock_cases`: publishing takes the lock on every case row that saves and
completion take, before it checks, so no case changes between the check and the publish.
"""

from django.db.models import Q

from inspection.models import Domain1Judgement, Inspection

from .case_data import framework_sections, inspection_answer_values
from .choices import FINISHED
from .counting import CASE_ATTRIBUTES
from .data_quality import case_problems
from .models import Answer, Case, DipSample, PracticeExample, QAReview
from .summary import summarise


def lock_cases(inspection: Inspection) -> None:
    """Lock every case row of the inspection, in id order (one order for every locker)."""
    list(
        Case.objects.filter(inspection=inspection)
        .select_for_update()
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def publish_blockers(inspection: Inspection) -> list[str]:
    reasons = []
    cases = list(inspection.cases.values("pk", "ref", "status", *CASE_ATTRIBUTES))
    if not cases:
        reasons.append("The inspection has no cases")
    unfinished = [c["ref"] for c in cases if c["status"] not in FINISHED]
    if unfinished:
        reasons.append(
            f"{len(unfinished)} case{'s are' if len(unfinished) > 1 else ' is'} not complete: "
            + ", ".join(sorted(unfinished))
        )
    reasons += _finished_but_not_whole(inspection, cases)
    summary = summarise(inspection)
    judged = [s for s in summary.standards if s.standard.judged]
    unrated = [s.code for s in judged if s.standard.rated and not s.rating]
    if unrated:
        reasons.append(f"Standards rated by judgement not yet rated: {', '.join(unrated)}")
    # A standard judged but not rated is stated in words: the words must be there.
    in_words = [s.code for s in judged if not s.standard.rated]
    unwritten = _unwritten_judgements(inspection, in_words) if in_words else []
    if unwritten:
        reasons.append(f"Judgements not yet written: {', '.join(unwritten)}")
    reasons += [f"Limiting rule broken: {breach.message}" for breach in summary.breaches]
    return reasons


def _unwritten_judgements(inspection: Inspection, codes: list[str]) -> list[str]:
    written = set(
        Domain1Judgement.objects.filter(inspection=inspection, standard__code__in=codes)
        .exclude(judgement="")
        .values_list("standard__code", flat=True)
    )
    return [code for code in codes if code not in written]


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
                f"Case {case['ref']} is marked complete but has {len(problems)} "
                f"problem{'s' if len(problems) > 1 else ''}, first: {problems[0].message}"
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
    )
