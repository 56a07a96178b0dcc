"""Where inspections happen: regions and their Probation Delivery Units."""

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
