"""Domain-1 evidence: the questions a framework asks of practitioner interviews, surveys and the
staff profile (framework data, frozen with its version), and each inspection's tallies of the
answers, cited in the report's prose as {evidence:KEY} (docs/report-text.md)."""

from django.db import models

from inspection import input_rules as rules

from .framework import Framework
from .inspection import Inspection


class EvidenceQuestion(models.Model):
    """One evidence question, e.g. `pop_survey.safe` (survey of people on probation): "Felt safe
    accessing probation services"."""

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="evidence_questions"
    )
    code = models.CharField(max_length=rules.EVIDENCE_CODE_MAX)
    source = models.CharField(max_length=rules.EVIDENCE_SOURCE_MAX)
    text = models.CharField(max_length=rules.EVIDENCE_TEXT_MAX)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="unique_evidence_code")
        ]

    def __str__(self):
        return f"{self.code}: {self.text}"


class EvidenceTally(models.Model):
    """An inspection's answer to one evidence question: `yes` out of `relevant`, a count alone
    (`relevant`: interviews held, people surveyed), or a percentage alone when only that is
    published (then only the percentage can be cited)."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="evidence_tallies"
    )
    question = models.ForeignKey(EvidenceQuestion, on_delete=models.PROTECT, related_name="+")
    yes = models.PositiveIntegerField(null=True, blank=True)
    relevant = models.PositiveIntegerField(null=True, blank=True)
    percent = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["inspection_id", "question__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "question"], name="one_tally_per_evidence_question"
            ),
            # The three shapes a tally takes, and nothing in between.
            models.CheckConstraint(
                condition=(
                    models.Q(
                        yes__isnull=False,
                        relevant__isnull=False,
                        percent__isnull=True,
                        yes__lte=models.F("relevant"),
                    )
                    | models.Q(yes__isnull=True, relevant__isnull=False, percent__isnull=True)
                    | models.Q(yes__isnull=True, relevant__isnull=True, percent__isnull=False)
                ),
                name="evidence_tally_shape",
            ),
            models.CheckConstraint(
                condition=models.Q(percent__isnull=True) | models.Q(percent__lte=100),
                name="evidence_tally_percent_at_most_100",
            ),
        ]

    def __str__(self):
        return f"{self.question.code}: {self.yes} / {self.relevant} / {self.percent}%"
