"""What the published record keeps of each case: digests, never copies.

At publication reports/publication.py stores these beside the results; verify_published computes
them again from the live rows and names each case that differs, was added or was removed.

Each case, keyed by its reference, has two SHA-256 digests of canonical JSON:
- details: the reference and every field of the case row that says something about the case
  (DETAIL_FIELDS: its attributes, practitioners and status);
- answers: every answer of the case as (question code, value, evidence note), by question code,
  so neither row order nor ids count.
Left out as bookkeeping, not content: ids, who the case is assigned to, an answer's version and
who saved it when.

Digests, not copies: the record holds no evidence note or attribute in the clear. A digest of a
few possible values (a case's details) could be found again by trying every combination, so the
digests are no more public than the case rows they summarise: they are not part of the results,
and nothing renders or exports them.
"""

import hashlib
import json

from .models import Answer, Case

VERSION = 1  # of what is digested: a change to DETAIL_FIELDS or the answers' shape needs a new one
DETAIL_FIELDS = (
    "ref",
    "sentence_type",
    "start_date",
    "court_work",
    "resettlement",
    "gender",
    "ethnicity",
    "disability",
    "age_band",
    "rosh",
    "practitioners",
    "status",
)
PARTS = ("details", "answers")


def _digest(data) -> str:
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def case_digests(inspection_id: int) -> dict:
    """{"version": VERSION, "cases": {ref: {"details": digest, "answers": digest}}} of the
    inspection's cases as they are now. Two queries."""
    cases = {
        row[0]: dict(zip(DETAIL_FIELDS, row[1:], strict=True))
        for row in Case.objects.filter(inspection_id=inspection_id).values_list(
            "pk", *DETAIL_FIELDS
        )
    }
    answers: dict[int, dict[str, list[str]]] = {pk: {} for pk in cases}
    for case_id, code, value, note in Answer.objects.filter(
        case__inspection_id=inspection_id
    ).values_list("case_id", "question__code", "value", "note"):
        answers[case_id][code] = [value, note]
    return {
        "version": VERSION,
        "cases": {
            details["ref"]: {"details": _digest(details), "answers": _digest(answers[pk])}
            for pk, details in cases.items()
        },
    }


def differences(stored: dict, live: dict) -> list[str]:
    """Each case whose digests differ between two `case_digests` (stored first), named."""
    if stored.get("version") != live["version"]:
        return [f"the case digests are of version {stored.get('version')}, not {live['version']}"]
    before, now = stored["cases"], live["cases"]
    problems = []
    for ref in sorted(before.keys() | now.keys()):
        if ref not in now:
            problems.append(f"case {ref}: removed since publication")
        elif ref not in before:
            problems.append(f"case {ref}: added since publication")
        else:
            problems += [
                f"case {ref}: {part} differ from the published record"
                for part in PARTS
                if before[ref].get(part) != now[ref][part]
            ]
    return problems
