"""Confirming, one by one, the numbers typed by hand that the number check flags
(reports/number_check.py): the lead has checked each against its source. Publishing is refused
while a flagged number is not confirmed.

Each service checks its input (ValidationError naming what is wrong; nothing written), then in one
transaction locks the inspection (`lock_for_edit`: refused once published), writes and records
one audit entry (Written report). This layer does not read numbers in prose (the report layer
does): it checks that the number stands in a text of the inspection as the text reads now, and
keeps that text's digest, so that changing the text makes the number flagged again.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from inspection import audit
from inspection.choices import AuditKind
from inspection.models import ConfirmedNumber, Inspection
from inspection.models.report_text import as_written, stands_in, text_digest
from inspection.published import lock_for_edit

from .report_texts import report_texts

PLACE_MAX = ConfirmedNumber._meta.get_field("place").max_length
WRITTEN_MAX = ConfirmedNumber._meta.get_field("written").max_length
CONFIRMED = "Confirmed"


def subject(place: str, written: str) -> str:
    """How the audit trail names a confirmation: "Number check: 1.2 Staff: strength 3: '95.3'"
    (inspection/audit.py cuts it to its column)."""
    return f"Number check: {place}: '{written}'"


def _is_a_text_of(inspection: Inspection, text: str) -> bool:
    """Whether `text` is one of the written report's texts as they stand now (any kind)."""
    return text in report_texts(inspection).texts()


def confirm_number(
    inspection: Inspection, *, place: str, written: str, text: str, by
) -> ConfirmedNumber:
    """Confirm `written` as it stands in `text` (at `place`). Confirming it again changes
    nothing. White space in the number is compared and kept as `as_written` says."""
    written, place = as_written(written), place.strip()
    if not stands_in(written, text):
        raise ValidationError(f"'{written}' is not in the text at {place}: nothing was confirmed")
    if len(written) > WRITTEN_MAX:
        raise ValidationError(
            f"A number of more than {WRITTEN_MAX} characters cannot be confirmed: write it as "
            "a figure, or cite it"
        )
    with transaction.atomic():
        lock_for_edit(inspection.pk)
        if not _is_a_text_of(inspection, text):
            raise ValidationError(
                f"The text at {place} has changed since the page was made: nothing was "
                "confirmed. Check the number again."
            )
        confirmation, created = ConfirmedNumber.objects.get_or_create(
            inspection=inspection,
            text_digest=text_digest(text),
            written=written,
            defaults={"place": place[:PLACE_MAX]},
        )
        if created:
            audit.record(
                inspection.pk,
                AuditKind.REPORT_TEXT,
                by=by,
                subject=subject(place, written),
                new=CONFIRMED,
            )
    return confirmation


def withdraw_confirmation(confirmation: ConfirmedNumber, *, by) -> None:
    """The number is flagged again; withdrawing one already withdrawn changes nothing."""
    with transaction.atomic():
        lock_for_edit(confirmation.inspection_id)
        stored = ConfirmedNumber.objects.select_for_update().filter(pk=confirmation.pk).first()
        if stored is None:
            return
        stored.delete()
        audit.record(
            stored.inspection_id,
            AuditKind.REPORT_TEXT,
            by=by,
            subject=subject(stored.place, stored.written),
            old=CONFIRMED,
        )
