"""An inspection of one PDU or of one region: its team, sample windows, domain-1 judgements and
recommendations."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.text import slugify

from inspection import input_rules as rules
from inspection.choices import Addressee, InspectionStatus, Rating, Scope

from .framework import Framework, Standard
from .organisation import PDU, Region

OF_A_PDU_OR_A_REGION = "An inspection is of a PDU or of a region: choose one of them, not both."


class InspectionQuerySet(models.QuerySet):
    def with_place(self):
        return self.select_related("pdu__region", "region", "framework", "lead_inspector")

    def of_region(self, region: Region | int):
        """Inspections of the region itself and of its PDUs."""
        return self.filter(models.Q(region=region) | models.Q(pdu__region=region))


class Inspection(models.Model):
    # An inspection is of one PDU or of one region, never both (the CHECK below).
    pdu = models.ForeignKey(
        PDU, on_delete=models.PROTECT, null=True, blank=True, related_name="inspections"
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
        help_text="For a region inspection: leave the PDU empty.",
    )
    # The inspection programme, e.g. "2024-25": a region inspection pools the published
    # inspections of its PDUs in the same programme.
    programme = models.CharField(
        max_length=20, blank=True, help_text='The inspection programme, e.g. "2024-25".'
    )
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="inspections")
    fieldwork_start = models.DateField()
    lead_inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_inspections",
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="inspection_teams"
    )
    status = models.CharField(
        max_length=20, choices=InspectionStatus.choices, default=InspectionStatus.PLANNING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        ordering = ["-fieldwork_start", "pdu__name"]
        indexes = [models.Index(fields=["pdu", "-fieldwork_start"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(pdu__isnull=False, region__isnull=True)
                    | models.Q(pdu__isnull=True, region__isnull=False)
                ),
                name="inspection_is_of_a_pdu_or_a_region",
                violation_error_message=OF_A_PDU_OR_A_REGION,
            )
        ]

    def __str__(self):
        return f"{self.place}, fieldwork {self.fieldwork_start:%d %B %Y}"

    @property
    def is_of_region(self) -> bool:
        return self.region_id is not None

    @property
    def region_of(self) -> Region:
        """The region inspected, or the region of the PDU inspected."""
        return self.region if self.is_of_region else self.pdu.region

    @property
    def place(self) -> str:
        """What was inspected, as a report names it: "Blackburn with Darwen PDU", "North West
        region"."""
        return f"{self.region.name} region" if self.is_of_region else f"{self.pdu.name} PDU"

    @property
    def place_in_full(self) -> str:
        """With the PDU's region: "Blackburn with Darwen PDU, North West region"."""
        if self.is_of_region:
            return self.place
        return f"{self.place}, {self.pdu.region.name} region"

    @property
    def slug(self) -> str:
        """For file names: the PDU's name ("blackburn-with-darwen"), or "north-west-region"."""
        return slugify(self.place if self.is_of_region else self.pdu.name)

    def clean(self):
        super().clean()
        if (self.pdu_id is None) == (self.region_id is None):
            raise ValidationError(OF_A_PDU_OR_A_REGION)
        errors = {}
        if self.framework_id is not None:
            scope = self.framework.scope
            wanted = Scope.REGION if self.is_of_region else Scope.PDU
            if scope != wanted:
                errors["framework"] = (
                    f"{self.framework} is for inspecting {Scope(scope).label.lower()}; "
                    f"an inspection of {Scope(wanted).label.lower()} needs a framework for "
                    f"{'regions' if wanted == Scope.REGION else 'PDUs'}."
                )
        if self.is_of_region and not self.programme.strip():
            errors["programme"] = (
                "A region inspection needs its programme (e.g. 2024-25): it pools the published "
                "inspections of the region's PDUs in the same programme."
            )
        if errors:
            raise ValidationError(errors)

    def date_in_sample(self, day) -> bool:
        return any(w.start <= day <= w.end for w in self.sample_windows.all())


class SampleWindow(models.Model):
    """Cases whose sentence or licence started inside a window are eligible for the sample."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="sample_windows"
    )
    start = models.DateField()
    end = models.DateField()

    class Meta:
        ordering = ["inspection_id", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__lte=models.F("end")), name="window_start_not_after_end"
            )
        ]

    def __str__(self):
        return f"{self.start:%d/%m/%Y} to {self.end:%d/%m/%Y}"


class Domain1Judgement(models.Model):
    """The lead inspector's rating of one standard rated by judgement (or, for one the framework
    does not rate, the judgement in words). Its strengths and areas for improvement are report
    items, in the standard's sub-sections (models/report_text.py)."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="domain1_judgements"
    )
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="+")
    rating = models.CharField(max_length=30, choices=Rating.choices, blank=True)
    # The lead's judgement in words, for a standard judged but not rated (e.g. a Chief
    # Inspector's judgement); empty for a rated one.
    judgement = models.TextField(blank=True, validators=rules.text_validators(rules.JUDGEMENT_MAX))

    class Meta:
        ordering = ["inspection_id", "standard__order"]
        verbose_name = "domain-1 judgement"
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "standard"], name="one_judgement_per_standard"
            )
        ]

    def __str__(self):
        return f"{self.standard}: {self.get_rating_display() or 'not rated'}"


class Recommendation(models.Model):
    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="recommendations"
    )
    addressee = models.CharField(max_length=20, choices=Addressee.choices)
    text = models.TextField(validators=rules.text_validators(rules.RECOMMENDATION_MAX))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["inspection_id", "order"]
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("text"), rules.RECOMMENDATION_MAX),
                name="recommendation_text_length",
                violation_error_message=(
                    f"A recommendation must be {rules.RECOMMENDATION_MAX:,} characters or fewer"
                ),
            )
        ]

    def __str__(self):
        return f"{self.get_addressee_display()}: {self.text[:60]}"


class InspectionEvent(models.Model):
    """A lifecycle move (planning, fieldwork, moderation, published, or back), kept for good.

    Append-only: the database refuses to update or delete an event (inspection migration 0009).
    So an inspection or a user with events cannot be deleted either: PROTECT says so up front
    instead of the database refusing half-way through a cascade.
    """

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="events")
    from_status = models.CharField(max_length=20, choices=InspectionStatus.choices)
    to_status = models.CharField(max_length=20, choices=InspectionStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True, validators=rules.text_validators(rules.REASON_MAX))

    class Meta:
        ordering = ["inspection_id", "-at"]
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("reason"), rules.REASON_MAX),
                name="event_reason_length",
                violation_error_message=(
                    f"A reason must be {rules.REASON_MAX:,} characters or fewer"
                ),
            )
        ]

    def __str__(self):
        return f"{self.get_from_status_display()} to {self.get_to_status_display()}"


class InspectionUnlock(models.Model):
    """The re-open service's way past the database's published lock, and nobody else's.

    inspection.lifecycle.move writes the re-opening event and its audit entry, inserts a row
    here, moves a published inspection back to moderation and deletes the row, all in one
    transaction. The database refuses the row unless that event and entry were written first (by
    the same transaction, on PostgreSQL), and the published-lock trigger lets the inspection row's
    status, and nothing else, change only while its row is here, written by that transaction
    (inspection migration 0023, inspection/db_locks.py).
    """

    inspection = models.OneToOneField(
        Inspection, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )

    class Meta:
        db_table = "inspection_unlock"

    def __str__(self):
        return f"Unlocked: {self.inspection_id}"
