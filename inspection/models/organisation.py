"""Where inspections happen: regions and their Probation Delivery Units."""

from django.conf import settings
from django.db import models


class Region(models.Model):
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class PDU(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="pdus")
    name = models.CharField(max_length=150)

    class Meta:
        ordering = ["region__name", "name"]
        verbose_name = "PDU"
        verbose_name_plural = "PDUs"
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="unique_pdu_per_region")
        ]

    def __str__(self):
        return f"{self.name} PDU"


class ManagerScope(models.Model):
    """A manager reads published inspections of one PDU, of every PDU in one region, or (HMPPS
    nationally) of all; and writes the action plans of the recommendations addressed there."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="manager_scopes"
    )
    region = models.ForeignKey(Region, on_delete=models.CASCADE, null=True, blank=True)
    pdu = models.ForeignKey(PDU, on_delete=models.CASCADE, null=True, blank=True)
    national = models.BooleanField(
        "HMPPS nationally",
        default=False,
        help_text="Reads every published inspection; writes the plans for HMPPS recommendations.",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(region__isnull=False, pdu__isnull=True, national=False)
                    | models.Q(region__isnull=True, pdu__isnull=False, national=False)
                    | models.Q(region__isnull=True, pdu__isnull=True, national=True)
                ),
                name="manager_scope_is_a_region_a_pdu_or_national",
                violation_error_message=(
                    "A manager's scope is one PDU, one region, or HMPPS nationally: choose one."
                ),
            )
        ]

    def __str__(self):
        return f"{self.user}: {self.pdu or self.region or 'HMPPS nationally'}"
