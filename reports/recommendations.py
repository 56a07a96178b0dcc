"""Adding, changing and removing an inspection's recommendations, each change audited."""

from django.core.exceptions import ValidationError
from django.db import transaction

from inspection import audit
from inspection import input_rules as rules
from inspection.choices import Addressee, AuditKind
from inspection.models import Inspection, PreviousProgress, Recommendation
from inspection.published import lock_for_edit

from .models import ActionPlan


def _subject(recommendation: Recommendation) -> str:
    return f"Recommendation {recommendation.order} ({recommendation.get_addressee_display()})"


def _reads(recommendation: Recommendation) -> str:
    return f"{Addressee(recommendation.addressee).label}, number {recommendation.order}: " + (
        recommendation.text
    )


def added_entry(recommendation: Recommendation, by, reason: str = ""):
    """An unsaved entry for a recommendation just created (the bundle import makes them too)."""
    return audit.entry(
        recommendation.inspection_id,
        AuditKind.RECOMMENDATION,
        by=by,
        subject=_subject(recommendation),
        new=_reads(recommendation),
        reason=reason,
    )


def _checked(text: str) -> str:
    """The text as stored, or ValidationError (the pages' and admin's forms check it first)."""
    return rules.clean_text(text, what="the recommendation", max_length=rules.RECOMMENDATION_MAX)


def add(inspection: Inspection, *, addressee: str, text: str, order: int, by) -> Recommendation:
    text = _checked(text)
    with transaction.atomic():
        lock_for_edit(inspection.pk)
        recommendation = Recommendation.objects.create(
            inspection=inspection, addressee=addressee, text=text, order=order
        )
        audit.record_many([added_entry(recommendation, by)])
    return recommendation


def change(
    recommendation: Recommendation, *, addressee: str, text: str, order: int, by
) -> Recommendation:
    """Compared with what is stored (a bound model form has already changed `recommendation`)."""
    text = _checked(text)
    with transaction.atomic():
        lock_for_edit(recommendation.inspection_id)
        stored = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        before = _reads(stored)
        stored.addressee, stored.text, stored.order = addressee, text, order
        if _reads(stored) != before:
            stored.save(update_fields=["addressee", "text", "order"])
            audit.record(
                stored.inspection_id,
                AuditKind.RECOMMENDATION,
                by=by,
                subject=_subject(stored),
                old=before,
                new=_reads(stored),
            )
    return stored


def remove(recommendation: Recommendation, by) -> None:
    """Refused (ValidationError) for one with an action plan or followed up by a later report:
    after a re-opening, removing it would lose what the addressee wrote."""
    with transaction.atomic():
        lock_for_edit(recommendation.inspection_id)
        stored = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        if (
            ActionPlan.objects.filter(recommendation=stored).exists()
            or PreviousProgress.objects.filter(recommendation=stored).exists()
        ):
            raise ValidationError(
                "This recommendation has an action plan (or a later report follows it up), so "
                "it cannot be removed: change its wording instead."
            )
        stored.delete()
        audit.record(
            stored.inspection_id,
            AuditKind.RECOMMENDATION,
            by=by,
            subject=_subject(stored),
            old=_reads(stored),
        )
