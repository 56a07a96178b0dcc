"""The inspection framework held as data: every code, wording, band and rule is editable, until
an inspection using the version leaves planning; then the version is frozen and changes go into a
copy (inspection/framework/frozen.py, versioning.py)."""

import secrets
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models

from inspection import input_rules as rules
from inspection.choices import ALWAYS, QuestionKind, RatedBy, Rating, Scope


def new_revision() -> int:
    return secrets.randbits(62)


class FrameworkQuerySet(models.QuerySet):
    def newest(self, code: str) -> "Framework | None":
        """The highest version of the framework with this code (None if there is none)."""
        return self.filter(code=code).order_by("-version").first()


def check_applies_when(row) -> None:
    """An edit in admin must name a condition of the row's own framework (or always), as a
    framework file must: a typo would break every page of every inspection using it."""
    if (
        row.applies_when != ALWAYS
        and not CaseCondition.objects.filter(
            framework_id=row.framework_id, code=row.applies_when
        ).exists()
    ):
        raise ValidationError(
            {
                "applies_when": f"'{row.applies_when}' is not '{ALWAYS}' or a condition of this "
                "framework"
            }
        )


def check_same_framework(row, *fields: str) -> None:
    """Rows a framework row points at belong to the same framework version."""
    problems = {
        name: "Must belong to the same framework version"
        for name in fields
        if getattr(row, f"{name}_id") is not None
        and getattr(row, name).framework_id != row.framework_id
    }
    if problems:
        raise ValidationError(problems)


class Provenance(models.Model):
    """Where a rule or wording comes from, and whether it is confirmed: the Inspectorate does not
    publish every rule in a form that could be checked, so unconfirmed ones are marked."""

    source = models.CharField(max_length=rules.FRAMEWORK_SOURCE_MAX, blank=True)
    provisional = models.BooleanField(
        default=False, help_text="Not confirmed from a published source; edit when it is."
    )

    class Meta:
        abstract = True


class Framework(models.Model):
    # One row per version: a version in use is frozen, and changes go into a copy (version + 1).
    code = models.SlugField(max_length=rules.FRAMEWORK_CODE_MAX)
    version = models.PositiveIntegerField(default=1)
    name = models.CharField(max_length=rules.FRAMEWORK_NAME_MAX)
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.PDU)
    # A region framework's pooled questions name questions of this (PDU) framework code: only
    # inspections under it are pooled, so a code meaning something else elsewhere never is.
    pools_from = models.CharField(max_length=rules.FRAMEWORK_CODE_MAX, blank=True)
    source = models.CharField(max_length=rules.FRAMEWORK_SOURCE_MAX, blank=True)
    provisional = models.BooleanField(default=False)
    # Double marking: a key question whose agreement (Gwet's AC1, the low end of its 95% interval)
    # falls below this is flagged as judged inconsistently (cases/double_marking.py).
    agreement_weak_below = models.DecimalField(
        max_digits=3, decimal_places=2, default=Decimal("0.60")
    )
    # A new random value on every change to the framework or anything in it
    # (inspection/framework_revision.py), so a process's cached copy knows when it is out of date.
    # Random rather than counted: a rolled-back change's value can never come back.
    revision = models.BigIntegerField(default=new_revision, editable=False)

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        ordering = ["code", "version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="unique_framework_version")
        ]

    def __str__(self):
        return f"{self.name} (v{self.version})"


class RatingBand(Provenance):
    """A key-question proportion at or above min_percent earns this rating (and its points)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="rating_bands")
    rating = models.CharField(max_length=30, choices=Rating.choices)
    min_percent = models.DecimalField(max_digits=5, decimal_places=2)
    points = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["framework", "-min_percent"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "rating"], name="unique_band_per_rating")
        ]

    def __str__(self):
        return f"{self.get_rating_display()}: {self.min_percent}% and above, {self.points} points"


class OverallBand(Provenance):
    """A total score from min_score to max_score (inclusive) gives this overall rating."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="overall_bands")
    rating = models.CharField(max_length=30, choices=Rating.choices)
    min_score = models.PositiveSmallIntegerField()
    max_score = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["framework", "-min_score"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "rating"], name="unique_overall_band"),
            models.CheckConstraint(
                condition=models.Q(min_score__lte=models.F("max_score")),
                name="overall_band_min_not_above_max",
            ),
        ]

    def __str__(self):
        return f"{self.get_rating_display()}: {self.min_score} to {self.max_score}"


class Domain(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="domains")
    code = models.CharField(max_length=rules.SECTION_CODE_MAX)
    name = models.CharField(max_length=rules.FRAMEWORK_NAME_MAX)
    rated_by = models.CharField(max_length=20, choices=RatedBy.choices)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="unique_domain_code")
        ]

    def __str__(self):
        return f"{self.code}. {self.name}"


class CaseCondition(models.Model):
    """Which cases a standard, question or item group applies to, by the cases' attributes.

    `when` maps a case attribute to the values that make the condition hold; every attribute
    listed must match. Applicability is derived, so nobody types 'not applicable' forty times.
    """

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="conditions")
    code = models.CharField(max_length=rules.CONDITION_CODE_MAX)
    description = models.CharField(max_length=rules.CONDITION_DESCRIPTION_MAX)
    when = models.JSONField(default=dict)
    not_applicable_reason = models.TextField(
        blank=True, validators=rules.text_validators(rules.NOT_APPLICABLE_REASON_MAX)
    )

    class Meta:
        ordering = ["framework", "code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="unique_condition_code")
        ]

    def __str__(self):
        return f"{self.code}: {self.description}"


class ItemGroup(models.Model):
    """Items answered on each case like prompts but never rated (resettlement, case-level)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="item_groups")
    code = models.CharField(max_length=rules.SECTION_CODE_MAX)
    name = models.CharField(max_length=rules.FRAMEWORK_NAME_MAX)
    report_title = models.CharField(max_length=rules.FRAMEWORK_NAME_MAX, blank=True)
    applies_when = models.CharField(max_length=rules.CONDITION_CODE_MAX, default=ALWAYS)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="unique_item_group_code")
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def clean(self):
        check_applies_when(self)


class Standard(Provenance):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="standards")
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="standards")
    code = models.CharField(max_length=rules.SECTION_CODE_MAX)
    name = models.CharField(max_length=rules.FRAMEWORK_NAME_MAX)
    headline = models.TextField(blank=True, validators=rules.text_validators(rules.HEADLINE_MAX))
    rated = models.BooleanField(
        default=True, help_text="Unrated standards (outcomes) are reported without a rating."
    )
    scored = models.BooleanField(
        default=True, help_text="Its rating's points count towards the score (rated ones only)."
    )
    applies_when = models.CharField(max_length=rules.CONDITION_CODE_MAX, default=ALWAYS)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="unique_standard_code")
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def clean(self):
        check_applies_when(self)
        check_same_framework(self, "domain")


class QuestionQuerySet(models.QuerySet):
    def key_questions(self):
        return self.filter(kind=QuestionKind.KEY_QUESTION)

    def findings_items(self):
        """Prompts and items: counted for findings, never rated."""
        return self.exclude(kind=QuestionKind.KEY_QUESTION)


class Question(Provenance):
    """Anything a case is asked: a key question, a prompt, or an item of an item group."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="questions")
    standard = models.ForeignKey(
        Standard, on_delete=models.CASCADE, null=True, blank=True, related_name="questions"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="prompts"
    )
    group = models.ForeignKey(
        ItemGroup, on_delete=models.CASCADE, null=True, blank=True, related_name="items"
    )
    kind = models.CharField(max_length=20, choices=QuestionKind.choices)
    code = models.CharField(max_length=rules.QUESTION_CODE_MAX)
    text = models.TextField(validators=rules.text_validators(rules.QUESTION_TEXT_MAX))
    applies_when = models.CharField(max_length=rules.CONDITION_CODE_MAX, default=ALWAYS)
    # {framework code: code of the same question there}: dashboards compare across versions only
    # where a mapping says the questions are the same.
    equivalents = models.JSONField(default=dict, blank=True)
    # Region frameworks: the PDU question whose counts, summed over the region's PDU
    # inspections, are this key question's counts.
    pooled_from = models.CharField(max_length=rules.QUESTION_CODE_MAX, blank=True)
    order = models.PositiveIntegerField(default=0)
    # How the report states a finding on this item: "<subject> <met|not met> in 9 out of 17
    # relevant cases". Blank: the finding quotes the wording as a criterion met or not met.
    finding_subject = models.CharField(max_length=rules.FINDING_WORDING_MAX, blank=True)
    finding_met = models.CharField(max_length=rules.FINDING_WORDING_MAX, blank=True)
    finding_not_met = models.CharField(max_length=rules.FINDING_WORDING_MAX, blank=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="unique_question_code")
        ]

    def __str__(self):
        return f"{self.code} {self.text}"

    def clean(self):
        check_applies_when(self)
        check_same_framework(self, "standard", "parent", "group")


class LimitingRule(Provenance):
    """When `if_standard` has `has_rating`, `then_standard` may not take a forbidden rating."""

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="limiting_rules"
    )
    if_standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="+")
    has_rating = models.CharField(max_length=30, choices=Rating.choices)
    then_standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="+")
    forbidden_ratings = models.JSONField(
        default=list, help_text='A list of rating values, e.g. ["good", "outstanding"].'
    )
    description = models.TextField(validators=rules.text_validators(rules.RULE_DESCRIPTION_MAX))

    def __str__(self):
        return self.description
