"""The audit trail: one append-only table for every change to an inspection and its cases."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from inspection.choices import AuditKind

from .inspection import Inspection


class AuditEntry(models.Model):
    """One change, kept for good: the database refuses UPDATE and DELETE on this table
    (migration 0010), except clearing `user` when that user is deleted (their name stays).

    Values are stored as people read them ("Yes", "Requires improvement"), not as codes, so an
    entry reads the same however the choices change later; "" means none (not answered, not rated).
    """

    # DO_NOTHING without a database constraint: deleting an inspection leaves its trail in place
    # (PROTECT would make an inspection that has any trail, e.g. every imported one, impossible to
    # delete, and make --replace of the national dataset fail once anyone had edited it). Ids are
    # never reused (PostgreSQL sequences, SQLite AUTOINCREMENT), so no new inspection inherits it.
    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # the indexes below lead with inspection
        related_name="audit_entries",
        # None only for a change to a person's own sign-in (AuditKind.ACCOUNT), of no inspection.
        null=True,
        blank=True,
    )
    # The case as id and reference, not a foreign key, so entries outlive a deleted case.
    case_id = models.BigIntegerField(null=True, blank=True)
    case_ref = models.CharField("case", max_length=30, blank=True)
    kind = models.CharField(max_length=20, choices=AuditKind.choices)
    subject = models.CharField(
        max_length=200, blank=True, help_text="Question code, standard, recommendation, person..."
    )
    old_value = models.TextField("before", blank=True)
    new_value = models.TextField("after", blank=True)
    # Answers only: the evidence note before and after.
    old_note = models.TextField("note before", blank=True)
    new_note = models.TextField("note after", blank=True)
    # Answers only: the answer's version this change made, as the versioned save numbers it.
    version = models.PositiveIntegerField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    user_name = models.CharField("who", max_length=150, blank=True)
    at = models.DateTimeField("when", default=timezone.now)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "audit entry"
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["inspection", "-at", "-id"], name="audit_inspection_newest"),
            models.Index(fields=["inspection", "case_id", "-at", "-id"], name="audit_case_newest"),
        ]

    def __str__(self):
        where = f" {self.case_ref}" if self.case_ref else ""
        return f"{self.at:%Y-%m-%d %H:%M}{where} {self.get_kind_display()} {self.subject}"

    @property
    def who(self) -> str:
        return self.user_name or "System"
