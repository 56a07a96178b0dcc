"""The bundle's `report.confirmed_numbers`: the numbers typed by hand that the lead confirmed on
the number-check page (reports/number_check.py), each with the place it was confirmed at, the
number as written and the SHA-256 of the text it sits in:

    "confirmed_numbers": [{"place": "1.2 Staff: strength 5", "number": "6.2",
                           "text_sha256": "809ac165..."}]

Read with the report section (the digest must be that of one of its texts, and the number must
stand in that text: a text changed after its number was confirmed is refused, as the app would
flag it again), written beside its rows, and exported for the texts as they stand. White space in
a number is read as the app reads it (`as_written`: "six\nout of ten" is "six out of ten").
"""

import re

from cases.import_checks import shown
from inspection import audit
from inspection.choices import AuditKind
from inspection.models import ConfirmedNumber, Inspection
from inspection.models.report_text import as_written, stands_in, text_digest
from reports.confirmed_numbers import CONFIRMED, PLACE_MAX, WRITTEN_MAX, subject

WHERE = "report.confirmed_numbers"
KEYS = {"place", "number", "text_sha256"}
_DIGEST = re.compile("[0-9a-f]{64}")


def read_confirmed(entries, texts: list[str], problems: list[str]) -> list[dict]:
    """Rows to write ({place, written, text_digest}) from the section's list; `texts` are the
    section's texts as they will be stored (ValidReport.texts)."""
    if not isinstance(entries, list):
        problems.append(f"{WHERE}: expected a list")
        return []
    by_digest = {text_digest(text): text for text in texts}
    valid, first_at = [], {}
    for index, entry in enumerate(entries):
        at = f"{WHERE}[{index}]"
        if not isinstance(entry, dict):
            problems.append(f"{at}: expected an object with place, number and text_sha256")
            continue
        problems += [f"{at}: unknown field {shown(key)}" for key in sorted(set(entry) - KEYS)]
        values = {key: entry.get(key) for key in KEYS}
        if isinstance(values["number"], str):
            values["number"] = as_written(values["number"])
        bad = [
            key
            for key, limit in (("place", PLACE_MAX), ("number", WRITTEN_MAX))
            if not isinstance(values[key], str)
            or not values[key].strip()
            or "\n" in values[key]
            or len(values[key]) > limit
        ]
        problems += [
            f"{at}.{key}: expected one line of text, got {shown(values[key])}" for key in bad
        ]
        digest = values["text_sha256"]
        if not isinstance(digest, str) or not _DIGEST.fullmatch(digest):
            problems.append(
                f"{at}.text_sha256: expected 64 lowercase hex digits, got {shown(digest)}"
            )
            continue
        if bad:
            continue
        place, number = values["place"].strip(), values["number"].strip()
        if digest not in by_digest:
            problems.append(
                f"{at}: no text of the report has this text_sha256: the text at {place} was "
                f"changed after '{number}' was confirmed (confirm it again once imported)"
            )
            continue
        if not stands_in(number, by_digest[digest]):
            problems.append(f"{at}.number: '{number}' is not in the text at {place}")
            continue
        if (digest, number) in first_at:
            problems.append(
                f"{at}: '{number}' is confirmed twice (also {first_at[digest, number]})"
            )
            continue
        first_at[digest, number] = at
        valid.append({"place": place, "written": number, "text_digest": digest})
    return valid


def write_confirmed(inspection: Inspection, rows: list[dict], by, reason: str) -> list:
    """The rows (inside the import's transaction) and their unsaved audit entries."""
    ConfirmedNumber.objects.bulk_create(
        ConfirmedNumber(inspection=inspection, **row) for row in rows
    )
    return [
        audit.entry(
            inspection.pk,
            AuditKind.REPORT_TEXT,
            by=by,
            subject=subject(row["place"], row["written"]),
            new=CONFIRMED,
            reason=reason,
        )
        for row in rows
    ]


def export_confirmed(inspection: Inspection, texts: list[str]) -> list[dict]:
    """The confirmations of numbers still standing in one of `texts` (the section's texts now),
    in the order they were made: a confirmation of a text since changed confirms nothing."""
    by_digest = {text_digest(text): text for text in texts}
    return [
        {"place": row.place, "number": row.written, "text_sha256": row.text_digest}
        for row in ConfirmedNumber.objects.filter(inspection=inspection).order_by("pk")
        if stands_in(row.written, by_digest.get(row.text_digest, ""))
    ]
