"""How a domain-1 judgement's changes read in the audit trail: one entry each for the rating and
the judgement in words that changed (its strengths and areas are report items, audited by
reports/report_writing.py). Used by the lead's
domain-1 service (reports/domain1.py) and the bundle import (bundles/importer.py)."""

from inspection import audit
from inspection.choices import AuditKind, Rating

PARTS = (
    ("rating", "rating"),
    ("judgement", "judgement"),
)
UNJUDGED = {"rating": "", "judgement": ""}


def _reads(part: str, value) -> str:
    if part == "rating":
        return Rating(value).label if value else ""
    return value


def judgement_entries(
    inspection_id: int, code: str, before: dict, after: dict, by, reason: str = ""
) -> list:
    """Unsaved entries for what differs between two judgements ({rating, judgement}; a part left
    out reads as empty); `before` is UNJUDGED for a new one."""
    return [
        audit.entry(
            inspection_id,
            AuditKind.DOMAIN1,
            by=by,
            subject=f"{code} {label}",
            old=_reads(part, before.get(part, UNJUDGED[part])),
            new=_reads(part, after.get(part, UNJUDGED[part])),
            reason=reason,
        )
        for part, label in PARTS
        if _reads(part, before.get(part, UNJUDGED[part]))
        != _reads(part, after.get(part, UNJUDGED[part]))
    ]
