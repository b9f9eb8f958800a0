"""Categories of youth data. Consent, the policy and the ledger all speak in these."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    IDENTITY = "identity", _("Identity and contact")
    LOCATION = "location", _("Location (placements, shelters, safe houses)")
    SCREENINGS = "screenings", _("Screenings")
    CASE_NOTES = "case_notes", _("Case notes")
    CARE_PLAN = "care_plan", _("Care plan")
    HEALTH = "health", _("Health and behavioral health")
    SUBSTANCE_USE = "substance_use", _("Substance use")
    LEGAL = "legal", _("Legal")
    EDUCATION = "education", _("Education")
    # What a long-term mentor logs (date, how, a short note). The assigned mentor writes and reads it;
    # others through the care team or a consent, like any category.
    MENTORING = "mentoring", _("Mentoring contacts")
    # Not a consent category: the bare fact that a youth exists and is served (the record's shell).
    RECORD = "record", _("Record")
