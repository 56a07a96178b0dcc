"""How a domain-1 judgement's changes read in the audit trail: one entry each for the rating, the
strengths and the areas for improvement that changed. Used by the lead's domain-1 service
(reports/domain1.py) and the bundle import (cases/bundle/importer.py)."""

from . import audit
from .choices import AuditKind, Rating

PARTS = (
    ("rating", "rating"),
    ("strengths", "strengths"),
    ("areas_for_improvement", "areas for improvement"),
)
UNJUDGED = {"rating": "", "strengths": [], "areas_for_improvement": []}


def _reads(part: str, value) -> str:
    if part == "rating":
        return Rating(value).label if value else ""
    return "\n".join(value)  # one finding per line, in the report's order


def judgement_entries(
    inspection_id: int, code: str, before: dict, after: dict, by, reason: str = ""
) -> list:
    """Unsaved entries for what differs between two judgements ({rating, strengths,
    areas_for_improvement}); `before` is UNJUDGED for a new one."""
    return [
        audit.entry(
            inspection_id,
            AuditKind.DOMAIN1,
            by=by,
            subject=f"{code} {label}",
            old=_reads(part, before[part]),
            new=_reads(part, after[part]),
            reason=reason,
        )
        for part, label in PARTS
        if _reads(part, before[part]) != _reads(part, after[part])
    ]
