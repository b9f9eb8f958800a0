"""Care coordination data. So far: the screening instruments an agency has loaded.

Youth-facing records (plans, tasks, notes, screenings of a youth) build on the youth record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Instrument(models.Model):
    """One version of a screening instrument, stored as validated data.

    A slug+version is loaded once and never changed: screening results point at the exact version
    they were scored with, so re-screening shows change over time against the same yardstick. A
    correction is a new version. At most one version of an instrument is active (offered for new
    screenings); older versions stay for the results that used them.
    """

    slug = models.SlugField(_("instrument"), max_length=60)
    version = models.CharField(_("version"), max_length=20)
    title = models.CharField(_("title"), max_length=200)
    definition = models.JSONField()
    # SHA-256 of the canonical JSON of ``definition``: tells "loaded again, same file" from "changed".
    content_hash = models.CharField(max_length=64)
    is_demo = models.BooleanField(_("demo instrument"), default=False)
    # Who states that the agency is licensed to use this instrument, and on what terms. We never
    # ship another publisher's instrument; an agency loads the ones it holds a licence for.
    licence_attestation = models.TextField(_("licence attestation"))
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    loaded_at = models.DateTimeField(default=timezone.now)
    is_active = models.BooleanField(_("offered for new screenings"), default=True)

    class Meta:
        ordering = ["slug", "-loaded_at"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="care_instrument_slug_version"),
            models.UniqueConstraint(
                fields=["slug"], condition=Q(is_active=True), name="care_instrument_one_active_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.slug} {self.version}"
