"""What must be true of an inspection's cases and ratings before it can be published, and what
ties a user to a published inspection's case rows.

Registered with inspection.lifecycle and inspection.published (which sit below this app) when
the app is ready.
"""

from django.db.models import Q

from inspection.models import Inspection

from .choices import FINISHED
from .models import Answer, Case, DipSample, QAReview
from .summary import summarise


def publish_blockers(inspection: Inspection) -> list[str]:
    reasons = []
    cases = list(inspection.cases.values_list("ref", "status"))
    if not cases:
        reasons.append("The inspection has no cases")
    unfinished = [ref for ref, status in cases if status not in FINISHED]
    if unfinished:
        reasons.append(
            f"{len(unfinished)} case{'s are' if len(unfinished) > 1 else ' is'} not complete: "
            + ", ".join(sorted(unfinished))
        )
    summary = summarise(inspection)
    unrated = [s.code for s in summary.standards if s.standard.judged and not s.rating]
    if unrated:
        reasons.append(f"Domain-1 standards not yet rated: {', '.join(unrated)}")
    reasons += [f"Limiting rule broken: {breach.message}" for breach in summary.breaches]
    return reasons


def user_ties(user) -> Q:
    """The inspections whose case rows name this user (deleting the user would change them)."""
    return (
        Q(pk__in=Case.objects.filter(assigned_inspector=user).values("inspection_id"))
        | Q(pk__in=Answer.objects.filter(updated_by=user).values("case__inspection_id"))
        | Q(pk__in=QAReview.objects.filter(reviewer=user).values("case__inspection_id"))
        | Q(pk__in=DipSample.objects.filter(drawn_by=user).values("inspection_id"))
    )
