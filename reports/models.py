"""What was published: the results model as it stood at publication, kept for good."""

from django.db import models
from django.db.models import F

from inspection.models import Inspection, InspectionEvent


class PublishedReportQuerySet(models.QuerySet):
    def newest_first(self):
        """An inspection re-opened and published again keeps each record; the newest is the one
        of its newest publication event (never of a date a row states). Records tied to no event
        (legacy) count as older than any that is."""
        return self.order_by(F("event_id").desc(nulls_last=True), "-pk")

    def in_publication_order(self):
        """Oldest first: the order of the checksum chain."""
        return self.order_by(F("event_id").asc(nulls_first=True), "pk")


class PublishedReport(models.Model):
    """The public record of one publication. The database refuses to change or delete it, to
    tie it to anything but its inspection's newest event if that is a publication, or to add a
    second one for an event (reports migrations 0001 and 0002)."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="published_reports"
    )
    # The publication this records. None: a record stored before records were tied to one, or of
    # an inspection published before lifecycle events were kept.
    event = models.OneToOneField(
        InspectionEvent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="published_report",
    )
    published_at = models.DateTimeField(auto_now_add=True)
    # reports.report_model.Report as plain data (reports/plain_data.py).
    results = models.JSONField()
    # cases.case_digests of every case at publication (digests, no copies). None: stored before
    # they were kept.
    case_digests = models.JSONField(null=True, blank=True)
    # The checksum of the inspection's record before this one ("": the first). Records stored
    # before the chain (no case digests) have "" too.
    previous_checksum = models.CharField(max_length=64, blank=True, db_default="")
    # SHA-256 of the canonical JSON of what the record states (reports.publication.seal):
    # tampering with the row shows, and so does a record missing from the chain.
    checksum = models.CharField(max_length=64)
    # What the dashboards need (answer counts and judged ratings), so they need not read the
    # whole report of every inspection: derived from `results` when stored, checked with it.
    headline = models.JSONField()

    objects = PublishedReportQuerySet.as_manager()

    class Meta:
        ordering = ["inspection", F("event_id").desc(nulls_last=True), "-pk"]

    def __str__(self):
        return f"{self.inspection} published {self.published_at:%d/%m/%Y %H:%M}"
