"""One sampled case and the inspector's answer to each question on it."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

from inspection import input_rules as rules
from inspection.choices import AnswerValue
from inspection.models import Inspection, Question

from .choices import AgeBand, CaseStatus, Ethnicity, Gender, RoshLevel, SentenceType
from .counting import applies, attributes_of

SHARE_MIN, SHARE_MAX = 1, 100  # a dip sample's share of the complete cases, in percent
COMMENT_TOO_LONG = f"A comment must be {rules.QA_COMMENT_MAX:,} characters or fewer"


class CaseQuerySet(models.QuerySet):
    def for_pages(self):
        """With what every case page and access check reads: its inspection, PDU and region."""
        return self.select_related(
            "inspection__pdu__region", "inspection__region", "assigned_inspector"
        )


class Case(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="cases")
    ref = models.CharField(
        "case reference",
        max_length=30,
        help_text="A pseudonymous reference; never a name of the person on probation.",
    )
    sentence_type = models.CharField(max_length=30, choices=SentenceType.choices)
    start_date = models.DateField(help_text="When the sentence or licence started.")
    court_work = models.BooleanField(
        default=False, help_text="The PDU gave pre-sentence information or advice to court."
    )
    resettlement = models.BooleanField(default=False, help_text="Released from custody.")
    gender = models.CharField(max_length=20, choices=Gender.choices)
    ethnicity = models.CharField(max_length=30, choices=Ethnicity.choices)
    disability = models.BooleanField(default=False)
    age_band = models.CharField(max_length=10, choices=AgeBand.choices)
    rosh = models.CharField("RoSH level", max_length=20, choices=RoshLevel.choices)
    practitioners = models.PositiveSmallIntegerField(
        "allocated practitioners", default=1, help_text="How many practitioners held the case."
    )
    status = models.CharField(
        max_length=20, choices=CaseStatus.choices, default=CaseStatus.NOT_STARTED
    )
    assigned_inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["inspection", "ref"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "ref"], name="unique_case_ref")
        ]

    def __str__(self):
        return self.ref

    def applies(self, when) -> bool:
        """Applicability follows from the case's attributes, so nobody types 'n/a' forty times
        (`when`: a question's, section's or group's condition, from the framework spec)."""
        return applies(when, attributes_of(self))


class Answer(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.CharField(max_length=3, choices=AnswerValue.choices, blank=True)
    note = models.TextField(
        "evidence note", blank=True, validators=rules.text_validators(rules.EVIDENCE_NOTE_MAX)
    )
    # Incremented on every save; a save carrying an older version is a concurrent edit.
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["case", "question__order"]
        constraints = [
            models.UniqueConstraint(fields=["case", "question"], name="one_answer_per_question"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("note"), rules.EVIDENCE_NOTE_MAX),
                name="answer_note_length",
                violation_error_message=(
                    f"An evidence note must be {rules.EVIDENCE_NOTE_MAX:,} characters or fewer"
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["question", "value"]),
            # Covers the yes / relevant GROUP BY (docs/performance.md has the figures).
            models.Index(
                fields=["case", "value", "question", "id"], name="answer_case_value_question"
            ),
        ]

    def __str__(self):
        return f"{self.case.ref} {self.question.code}: {self.value or 'unanswered'}"


class DipSample(models.Model):
    """The lead inspector's random, reproducible draw of complete cases to quality-assure."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="dip_samples")
    share_percent = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(SHARE_MIN), MaxValueValidator(SHARE_MAX)]
    )
    seed = models.CharField(max_length=100)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    drawn_at = models.DateTimeField(auto_now_add=True)
    cases = models.ManyToManyField(Case, related_name="dip_samples")

    class Meta:
        ordering = ["inspection", "-drawn_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(share_percent__gte=SHARE_MIN, share_percent__lte=SHARE_MAX),
                name="dip_sample_share_percent",
                violation_error_message=f"A share is between {SHARE_MIN} and {SHARE_MAX} percent",
            )
        ]

    def __str__(self):
        return f"{self.share_percent}% dip sample of {self.inspection}"


class QAOutcome(models.TextChoices):
    RETURNED = "returned", "Returned to inspector"
    SIGNED_OFF = "signed_off", "Signed off"


class QAReview(models.Model):
    """One quality-assurance review of a case: kept for good, whatever happens to the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="qa_reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=QAOutcome.choices)
    comment = models.TextField(blank=True, validators=rules.text_validators(rules.QA_COMMENT_MAX))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "-created_at"]
        verbose_name = "QA review"
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("comment"), rules.QA_COMMENT_MAX),
                name="qa_review_comment_length",
                violation_error_message=COMMENT_TOO_LONG,
            )
        ]

    def __str__(self):
        return f"{self.case.ref}: {self.get_outcome_display()}"


class QAQuestionReview(models.Model):
    """The reviewer agrees with the inspector's answer to a key question, or says why not."""

    review = models.ForeignKey(QAReview, on_delete=models.CASCADE, related_name="questions")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    agrees = models.BooleanField()
    comment = models.TextField(blank=True, validators=rules.text_validators(rules.QA_COMMENT_MAX))

    class Meta:
        ordering = ["review", "question__order"]
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("comment"), rules.QA_COMMENT_MAX),
                name="qa_question_comment_length",
                violation_error_message=COMMENT_TOO_LONG,
            )
        ]

    def __str__(self):
        return f"{self.question.code}: {'agree' if self.agrees else 'disagree'}"


class PracticeExample(models.Model):
    """An evidence note its inspector offers as a candidate practice example for the standard of
    the question it is on. The lead sees the candidates per standard and may quote one in the
    report: the note's words only, never the case it comes from."""

    answer = models.OneToOneField(Answer, on_delete=models.CASCADE, related_name="practice_example")
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    marked_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Practice example: {self.answer}"


class SampleDraw(models.Model):
    """How an inspection's sample was drawn from a caseload extract (cases/sample_draw.py): enough
    to draw it again and get the same cases (the seed, the algorithm, the extract's checksum), and
    the extract's spread of each attribute, for representativeness."""

    inspection = models.OneToOneField(
        Inspection, on_delete=models.CASCADE, related_name="sample_draw"
    )
    seed = models.BigIntegerField()
    size = models.PositiveIntegerField()
    algorithm = models.CharField(max_length=200)
    extract_rows = models.PositiveIntegerField()
    eligible_rows = models.PositiveIntegerField()
    extract_sha256 = models.CharField(max_length=64)
    # {attribute: {value: count}} over the eligible rows.
    extract_counts = models.JSONField()
    # {stratum: {"size": rows, "quota": cases drawn}}
    allocation = models.JSONField()
    # References the lead left out of the draw (already inspected, say), as given.
    excluded = models.JSONField(default=list)
    drawn_at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    def __str__(self):
        return f"Sample of {self.size} drawn with seed {self.seed}"


class DrawnCase(models.Model):
    """One row of the extract the draw picked: in the sample (rank within its stratum's quota) or
    in the stratum's ordered reserve (after it). `case` is the case made from it; a replaced one
    keeps why."""

    draw = models.ForeignKey(SampleDraw, on_delete=models.CASCADE, related_name="drawn")
    stratum = models.CharField(max_length=20)
    rank = models.PositiveIntegerField(help_text="Position in the stratum's shuffle, from 1.")
    ref = models.CharField(max_length=30)
    attributes = models.JSONField()
    in_sample = models.BooleanField(help_text="Drawn into the sample (else: a reserve).")
    case = models.OneToOneField(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="drawn_from"
    )
    replaced_reason = models.TextField(blank=True)
    replaced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["draw", "stratum", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "stratum", "rank"], name="one_row_per_rank"),
            models.UniqueConstraint(fields=["draw", "ref"], name="one_row_per_drawn_ref"),
        ]

    def __str__(self):
        return f"{self.ref} ({self.stratum} {self.rank})"


class ReliabilitySample(models.Model):
    """The lead's draw of cases for blind double marking (cases/double_marking.py): the seed is
    stored, so the same team and cases give the same draw again."""

    inspection = models.OneToOneField(
        Inspection, on_delete=models.CASCADE, related_name="reliability_sample"
    )
    share_percent = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(SHARE_MIN), MaxValueValidator(SHARE_MAX)]
    )
    seed = models.BigIntegerField()
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    drawn_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.share_percent}% reliability sample of {self.inspection}"


class SecondMarking(models.Model):
    """A second inspector's blind answers to a case's key questions. They never count in a rating:
    they measure how consistently inspectors judge. Until both markers are done (`unblinded_at`)
    the second marker sees nothing of the first marker's answers (cases/blinding.py)."""

    sample = models.ForeignKey(ReliabilitySample, on_delete=models.CASCADE, related_name="markings")
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="second_marking")
    # Nobody for a marking carried in a bundle (bundles/double_marking.py): its markers are
    # people of the system it came from.
    marker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="second_markings",
    )
    first_marker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Both done: the first marker's answers were frozen beside the second's (SecondAnswer).
    unblinded_at = models.DateTimeField(null=True, blank=True)
    reconciled_at = models.DateTimeField(null=True, blank=True)
    reconciled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["case__ref"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(marker=models.F("first_marker")),
                name="second_marker_is_not_the_first",
                violation_error_message="A case's second marker cannot be its first marker",
            )
        ]

    def __str__(self):
        return f"Second marking of {self.case.ref}"


class SecondAnswer(models.Model):
    """The second marker's answer to one key question; `first_value` is the first marker's as it
    stood when both were done, `agreed_value` the answer agreed at reconciliation."""

    marking = models.ForeignKey(SecondMarking, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    value = models.CharField(max_length=3, choices=AnswerValue.choices, blank=True)
    first_value = models.CharField(max_length=3, choices=AnswerValue.choices, blank=True)
    agreed_value = models.CharField(max_length=3, choices=AnswerValue.choices, blank=True)

    class Meta:
        ordering = ["marking", "question__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["marking", "question"], name="one_second_answer_per_question"
            )
        ]

    def __str__(self):
        return f"{self.marking.case.ref} {self.question.code}: {self.value or 'unanswered'}"


class QueryState(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class QAQueryQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state=QueryState.OPEN)

    def with_last_author(self):
        """Each query with `last_by_id`: who wrote its newest message (whose turn it is not)."""
        newest = QAQueryMessage.objects.filter(query=models.OuterRef("pk")).order_by("-at", "-pk")
        return self.annotate(last_by_id=models.Subquery(newest.values("by_id")[:1]))


class QAQuery(models.Model):
    """A question quality assurance asks the case's inspector about one answer; a thread of
    messages until QA closes it. Publishing is refused while any query is open."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="qa_queries")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=QueryState.choices, default=QueryState.OPEN)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    raised_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = QAQueryQuerySet.as_manager()

    class Meta:
        ordering = ["case__ref", "question__order", "raised_at"]
        verbose_name = "QA query"
        verbose_name_plural = "QA queries"

    def __str__(self):
        return f"{self.case.ref} {self.question.code}: {self.get_state_display()}"


class QAQueryMessage(models.Model):
    query = models.ForeignKey(QAQuery, on_delete=models.CASCADE, related_name="messages")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(validators=rules.text_validators(rules.QA_COMMENT_MAX))
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["query", "at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("text"), rules.QA_COMMENT_MAX),
                name="qa_query_message_length",
                violation_error_message=COMMENT_TOO_LONG,
            )
        ]

    def __str__(self):
        return f"{self.query}: {self.text[:40]}"
