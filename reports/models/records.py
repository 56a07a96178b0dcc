"""What was published: the results model as it stood at publication, kept for good."""

from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact

from inspection.choices import InspectionStatus
from inspection.models import Inspection, InspectionEvent

PUBLISHED = InspectionStatus.PUBLISHED.value


def legacy() -> Q:
    """A record tied to no event that stands for a publication: one stored for an inspection
    published before its lifecycle events were kept (reports migration 0003 lets the database
    take an untied record for such an inspection only). No event of the inspection is recorded
    at or before it, and the inspection was published then: its first event, recorded after, is
    a re-opening (it leaves published), or it has none and is published now. A record tied to
    none stored while the inspection was being inspected (its events or status say planning,
    fieldwork or moderation), or once its events were kept, stands for nothing."""
    events = InspectionEvent.objects.filter(inspection_id=OuterRef("inspection_id"))
    status_then = Coalesce(
        Subquery(events.order_by("pk").values("from_status")[:1]), F("inspection__status")
    )
    return (
        Q(event=None)
        & ~Exists(events.filter(at__lte=OuterRef("published_at")))
        & Q(Exact(status_then, PUBLISHED))
    )


class PublishedReportQuerySet(models.QuerySet):
    def standing(self, as_of=None):
        """The records that stand for a publication, newest first: each tied to its publication
        event, newest event first, then legacy ones (`legacy`). Every reader chooses its record
        through this (the first of an inspection's), store() chains a new record onto it, and
        verify_published walks these as the chain; a row's own date chooses nothing.

        `as_of`: the records standing at that moment: tied to a publication recorded by then
        (a legacy record, which has no event, by the date it states)."""
        tied = Q(event__isnull=False)
        untied = legacy()
        if as_of is not None:
            tied &= Q(event__at__lte=as_of)
            untied &= Q(published_at__lte=as_of)
        return self.filter(tied | untied).order_by(F("event_id").desc(nulls_last=True), "-pk")

    def in_publication_order(self):
        """Every record, standing or not, oldest first: the order of the checksum chain (for
        verify_published, which names the records that do not stand)."""
        return self.order_by(F("event_id").asc(nulls_first=True), "pk")


class PublishedReport(models.Model):
    """The public record of one publication. The database refuses to change or delete it, to
    tie it to anything but its inspection's newest event if that is a publication, to add a
    second one for an event, or one tied to none but for a published inspection with no
    lifecycle event and no record (reports migrations 0001 to 0003)."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="published_reports"
    )
    # The publication this records. None: a record stored before records were tied to one, or of
    # an inspection published before lifecycle events were kept (`legacy` says which stand).
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


class PublishedPdf(models.Model):
    """The PDF of one published record, rendered once from the record (reports/published_pdf.py)
    and served as stored: rendering takes seconds. Insert-only like its record: the database
    refuses to change, delete or truncate it (reports migration 0004)."""

    # One PDF per record: a second rendering racing the first loses on this unique key.
    record = models.OneToOneField(PublishedReport, on_delete=models.PROTECT, related_name="pdf")
    pdf = models.BinaryField()
    # SHA-256 of `pdf`, checked by verify_published.
    checksum = models.CharField(max_length=64)
    rendered_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"PDF of {self.record}"
