"""The written report of an inspection, as data: the lead inspector's words around the figures.

A report is parts (foreword, background, one per standard, acknowledgements, annexe), each of
ordered sub-sections; a sub-section has an optional heading and ordered items in three lists
(body, strengths, areas for improvement), each item a paragraph or a quote. Text may cite the
inspection's figures, context facts, footnotes and evidence by code (docs/report-text.md); the
results model (reports/prose.py) renders the citations, so the words follow the data.
"""

import hashlib

from django.db import models

from inspection import input_rules as rules
from inspection.isbn import ISBN_MAX

from .framework import Standard
from .inspection import Inspection

KEY_MAX = 40
DIGEST_LENGTH = 64  # SHA-256 in hex


class ReportPart(models.TextChoices):
    FOREWORD = "foreword", "Foreword"
    BACKGROUND = "background", "Background"
    STANDARD = "standard", "Standard"
    ACKNOWLEDGEMENTS = "acknowledgements", "Acknowledgements"
    ANNEXE = "annexe", "Annexe"


class ItemList(models.TextChoices):
    BODY = "body", "Paragraphs"
    STRENGTHS = "strengths", "Strengths"
    AREAS = "areas", "Areas for improvement"


class ItemKind(models.TextChoices):
    TEXT = "text", "Paragraph"
    QUOTE = "quote", "Quote"


class ReportSigning(models.Model):
    """Who signs the foreword."""

    inspection = models.OneToOneField(
        Inspection, on_delete=models.CASCADE, related_name="report_signing"
    )
    signatory = models.CharField(max_length=200, blank=True)
    signatory_title = models.CharField(max_length=200, blank=True)

    def __str__(self):
        return f"{self.signatory}, {self.signatory_title}"


class ReportImprint(models.Model):
    """What identifies the report as a publication: its ISBN, given by the lead (optional until
    publication). The publisher's own details, the same for every report, are not data
    (reports/front_matter.py)."""

    inspection = models.OneToOneField(
        Inspection, on_delete=models.CASCADE, related_name="report_imprint"
    )
    # An ISBN-13 as printed, "978-1-915468-66-6" (inspection/isbn.py checks it).
    isbn = models.CharField(max_length=ISBN_MAX, blank=True)

    def __str__(self):
        return f"ISBN {self.isbn}"


class RatingWording(models.Model):
    """The lead's own wording of a case-rated standard's rating sentence ("The PDU is rated as
    '{2.4:rating}' ... was {2.4.2}, relating to desistance."), printed instead of the sentence
    made from the results (reports/findings.rating_sentence). It cites its figures like any text."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="rating_wordings"
    )
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(validators=rules.text_validators(rules.REPORT_TEXT_MAX))

    class Meta:
        ordering = ["inspection_id", "standard__order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "standard"], name="one_rating_wording_per_standard"
            )
        ]

    def __str__(self):
        return f"{self.standard.code}: {self.text[:60]}"


class ReportSubsection(models.Model):
    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="report_subsections"
    )
    part = models.CharField(max_length=20, choices=ReportPart.choices)
    # Only for the part "standard": which standard the sub-section sits under.
    standard = models.ForeignKey(
        Standard, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    heading = models.CharField(max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    # Bumped on every change, so an autosave made from a stale page is refused, never applied.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["inspection_id", "part", "standard_id", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(part=ReportPart.STANDARD, standard__isnull=False)
                    | (~models.Q(part=ReportPart.STANDARD) & models.Q(standard__isnull=True))
                ),
                name="subsection_standard_only_in_standard_part",
            )
        ]

    def __str__(self):
        where = self.standard.code if self.standard_id else self.get_part_display()
        return f"{where}: {self.heading or '(no heading)'}"


class ReportItem(models.Model):
    subsection = models.ForeignKey(ReportSubsection, on_delete=models.CASCADE, related_name="items")
    list = models.CharField(max_length=20, choices=ItemList.choices, default=ItemList.BODY)
    kind = models.CharField(max_length=10, choices=ItemKind.choices, default=ItemKind.TEXT)
    text = models.TextField(validators=rules.text_validators(rules.REPORT_TEXT_MAX))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["subsection_id", "list", "order", "pk"]

    def __str__(self):
        return f"{self.get_list_display()}: {self.text[:60]}"


class ContextFact(models.Model):
    """A fact about the place from outside the inspection (a caseload, a reoffending rate), cited
    in prose as {fact:KEY}: its value is printed and its source becomes a footnote."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="context_facts"
    )
    key = models.SlugField(max_length=KEY_MAX)
    label = models.CharField(max_length=200)
    value = models.CharField(max_length=100)
    source = models.TextField(blank=True, validators=rules.text_validators(rules.REPORT_TEXT_MAX))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["inspection_id", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "key"], name="one_fact_per_key")
        ]

    def __str__(self):
        return f"{self.label}: {self.value}"


class Footnote(models.Model):
    """A footnote cited in prose as {note:KEY}; numbered in order of first citation."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="footnotes")
    key = models.SlugField(max_length=KEY_MAX)
    text = models.TextField(validators=rules.text_validators(rules.REPORT_TEXT_MAX))

    class Meta:
        ordering = ["inspection_id", "key"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "key"], name="one_footnote_per_key")
        ]

    def __str__(self):
        return f"{self.key}: {self.text[:60]}"


def text_digest(text: str) -> str:
    """What a confirmation of a number remembers of the text it sits in: any change to the text
    changes it, so the number must be confirmed again."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def as_written(number: str) -> str:
    """A number as the number check reads it and a confirmation keeps it: each run of white space
    one space, so a pair split by a line break ("six\nout of ten", which a browser sends back as
    "six\r\nout of ten") is "six out of ten" wherever it is compared or stored."""
    return " ".join(number.split())


def stands_in(number: str, text: str) -> bool:
    """Whether the number, as written, stands in the text (white space compared as as_written)."""
    written = as_written(number)
    return bool(written) and written in as_written(text)


class ConfirmedNumber(models.Model):
    """A number typed by hand that matches no figure of its part (reports/number_check.py), which
    the lead has checked and confirmed: publishing is refused while one is not confirmed. It
    confirms `written` in the text whose digest it keeps, wherever that text now stands."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="confirmed_numbers"
    )
    # Where the text was when the number was confirmed ("1.2 Staff: strength 3"), for people.
    place = models.CharField(max_length=500)
    written = models.CharField(max_length=200)  # as written: "95.3", "six out of ten"
    text_digest = models.CharField(max_length=DIGEST_LENGTH)

    class Meta:
        ordering = ["inspection_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "text_digest", "written"], name="one_confirmation_per_number"
            )
        ]

    def __str__(self):
        return f"{self.place}: {self.written}"
