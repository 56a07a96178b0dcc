"""After publication: the inspected service's action plan for each recommendation, its review by
the inspection's lead, the themes recommendations are tagged with, and reminders sent.

None of these is part of the published report: the plan tables hang off a published
recommendation without changing it. (What the *next* inspection's report says of them is a copy
in that inspection's own report text: inspection.models.PreviousProgress.)
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

from inspection import input_rules as rules
from inspection.choices import PlanProgress, PlanState
from inspection.models import Recommendation


def _length_check(field: str, limit: int, name: str, what: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=LessThanOrEqual(Length(field), limit),
        name=name,
        violation_error_message=f"{what} must be {limit:,} characters or fewer",
    )


class Theme(models.Model):
    """A theme recommendations are tagged with ("Risk of harm", "Court work"), counted across
    inspections on the national dashboard. Managed in Django admin."""

    name = models.CharField(max_length=rules.THEME_NAME_MAX, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class RecommendationTheme(models.Model):
    """One recommendation tagged with one theme, by the inspection's lead (after publication too:
    tagging is the Inspectorate's analysis, not part of the report)."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="theme_tags"
    )
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="tags")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "theme"], name="one_tag_per_theme_and_recommendation"
            )
        ]

    def __str__(self):
        return f"{self.theme}: {self.recommendation}"


class ActionPlan(models.Model):
    """The addressee's answer to one published recommendation. A recommendation with no row has
    a plan not yet started (reports/action_plans.py reads it so)."""

    recommendation = models.OneToOneField(
        Recommendation, on_delete=models.PROTECT, related_name="action_plan"
    )
    state = models.CharField(max_length=20, choices=PlanState.choices, default=PlanState.DRAFT)
    progress = models.CharField(
        max_length=20, choices=PlanProgress.choices, default=PlanProgress.NOT_STARTED
    )
    # Why the recommendation is not accepted (progress NOT_ACCEPTED), in the addressee's words.
    not_accepted_reason = models.TextField(
        blank=True, validators=rules.text_validators(rules.PLAN_COMMENT_MAX)
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    # Optimistic locking: each change bumps it, and a form posted from an older version is
    # refused rather than overwriting what someone else saved in between.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            _length_check(
                "not_accepted_reason", rules.PLAN_COMMENT_MAX, "plan_reason_length", "A reason"
            )
        ]

    def __str__(self):
        return f"Action plan: {self.recommendation}"


class PlanAction(models.Model):
    """One thing the addressee will do: what, who owns it, by when, and how far it has got."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="actions")
    what = models.TextField(validators=rules.text_validators(rules.ACTION_MAX))
    owner = models.CharField(max_length=rules.ACTION_OWNER_MAX)
    due = models.DateField()
    status = models.CharField(
        max_length=20,
        choices=[c for c in PlanProgress.choices if c[0] != PlanProgress.NOT_ACCEPTED],
        default=PlanProgress.NOT_STARTED,
    )

    class Meta:
        ordering = ["plan_id", "due", "pk"]
        verbose_name = "action"
        constraints = [_length_check("what", rules.ACTION_MAX, "action_what_length", "An action")]

    def __str__(self):
        return f"{self.what[:60]} ({self.owner}, by {self.due:%d/%m/%Y})"


class ProgressUpdate(models.Model):
    """A dated account of progress, with its evidence, and the plan's progress it reported."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="updates")
    on = models.DateField("date")
    text = models.TextField(validators=rules.text_validators(rules.PROGRESS_MAX))
    progress = models.CharField(max_length=20, choices=PlanProgress.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan_id", "-on", "-pk"]
        constraints = [
            _length_check("text", rules.PROGRESS_MAX, "progress_text_length", "An update")
        ]

    def __str__(self):
        return f"{self.on:%d/%m/%Y}: {self.get_progress_display()}"


class PlanReview(models.Model):
    """The lead's decision on a submitted plan: accepted, or returned with a comment."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="reviews")
    outcome = models.CharField(
        max_length=20,
        choices=[(PlanState.ACCEPTED, "Accepted"), (PlanState.RETURNED, "Returned")],
    )
    comment = models.TextField(blank=True, validators=rules.text_validators(rules.PLAN_COMMENT_MAX))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan_id", "-at", "-pk"]
        constraints = [
            _length_check("comment", rules.PLAN_COMMENT_MAX, "plan_review_length", "A comment")
        ]

    def __str__(self):
        return f"{self.get_outcome_display()} {self.at:%d/%m/%Y}"


class ReminderSent(models.Model):
    """A reminder e-mail sent, so each is sent once: `key` names what it was about and when
    ("plan-12-before", "action-40-after"); the unique key makes a second sending lose."""

    key = models.CharField(max_length=100, unique=True)
    recipients = models.TextField()
    sent_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.key
