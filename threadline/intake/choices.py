"""Choices of intake that are not a model's own: how a youth is connected to a county, the eligibility outcome."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Connection(models.TextChoices):
    """How a youth is connected to a county. Seed 001: physically in, travelling to, or victimized in
    the area (even if now living elsewhere)."""

    RESIDES = "resides", _("lives there")
    PHYSICALLY_PRESENT = "physically_present", _("is there now")
    TRAVELLING_TO = "travelling_to", _("is travelling there")
    VICTIMIZED_IN = "victimized_in", _("was harmed there")


class Outcome(models.TextChoices):
    ELIGIBLE = "eligible", _("Eligible")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")
    NEEDS_REVIEW = "needs_review", _("Needs review")
