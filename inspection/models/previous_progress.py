"""The next inspection's copy of the progress on the previous inspection's recommendations."""

from django.db import models

from .inspection import Inspection, Recommendation


class PreviousProgress(models.Model):
    """For the report of `inspection`: one recommendation of the same place's previous inspection
    with the progress recorded on its action plan, as the lead took it into this report
    (reports/previous_progress.py). A copy, in words, so the report states what was known then and
    later updates to the plan change nothing published; locked with the rest of the inspection's
    report text once it is published (inspection migration 0028)."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="previous_progress"
    )
    # The recommendation followed up; kept as text below as well, so the copy stands alone.
    recommendation = models.ForeignKey(Recommendation, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField()
    addressee = models.CharField(max_length=100)
    text = models.TextField()
    state = models.CharField(max_length=100)
    progress = models.CharField(max_length=100)
    # The latest progress update ("" if none), and its date.
    latest_update = models.TextField(blank=True)
    latest_update_on = models.DateField(null=True, blank=True)
    actions_done = models.PositiveSmallIntegerField(default=0)
    actions_total = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["inspection_id", "number"]
        verbose_name_plural = "previous progress"
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "recommendation"], name="one_copy_per_previous_recommendation"
            )
        ]

    def __str__(self):
        return f"{self.inspection}: previous recommendation {self.number}"
