"""What the outcomes room keeps: every de-identified table it has published, so that a later table
for an overlapping period cannot be subtracted from it to reveal a small group (the differencing
guard in ``suppression``). Only published numbers are stored (None where a cell was hidden)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Publication(models.Model):
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    table_key = models.CharField(max_length=60)
    period_start = models.DateField()
    period_end = models.DateField()
    # {"row code|column code": published value or null}; margins use the code "__total__".
    cells = models.JSONField(default=dict)
    digest = models.CharField(max_length=64)  # of the cells: the same numbers are stored once
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    purpose = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["organization", "table_key", "period_start", "period_end"], name="outcomes_pub_lookup"
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "table_key", "period_start", "period_end", "digest"],
                name="outcomes_publication_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.table_key} {self.period_start}–{self.period_end}"
