"""What must be true of an inspection's cases and ratings before it can be published.

Registered with inspection.lifecycle (which sits below this app) when the app is ready.
"""

from inspection.models import Inspection

from .choices import FINISHED
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
