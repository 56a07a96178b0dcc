"""What was published: the results model as it stood at publication, kept for good."""

from django.db import models

from inspection.models import Inspection


class PublishedReportQuerySet(models.QuerySet):
    def newest_first(self):
        """An inspection re-opened and published again keeps each record; the newest is its
        report now."""
        return self.order_by("-published_at", "-pk")


class PublishedReport(models.Model):
    """The public record of one publication. The database refuses to change or delete it."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="published_reports"
    )
    published_at = models.DateTimeField(auto_now_add=True)
    # reports.report_model.Report as plain data (reports/plain_data.py).
    results = models.JSONField()
    # SHA-256 of the canonical JSON of `results`: tampering with the row shows.
    checksum = models.CharField(max_length=64)
    # What the dashboards need (answer counts and judged ratings), so they need not read the
    # whole report of every inspection: derived from `results` when stored, checked with it.
    headline = models.JSONField()

    objects = PublishedReportQuerySet.as_manager()

    class Meta:
        ordering = ["inspection", "-published_at", "-pk"]
        get_latest_by = ["published_at", "pk"]

    def __str__(self):
        return f"{self.inspection} published {self.published_at:%d/%m/%Y %H:%M}"
