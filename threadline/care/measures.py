"""The youth-level outcomes of the Texas care-coordination logic model (seed 004), as structured
check-ins: each is asked in plain words, answered on one five-point scale, dated and attributed.

Program-level outcomes (arrests, prosecutions, services available, missing-episode length and
frequency, participation) are counted from records elsewhere, not asked in a check-in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Rating(models.IntegerChoices):
    NOT_AT_ALL = 1, _("Not at all")
    A_LITTLE = 2, _("A little")
    SOMEWHAT = 3, _("Somewhat")
    MOSTLY = 4, _("Mostly")
    FULLY = 5, _("Fully")


class Measure(models.TextChoices):
    SAFE_HOUSING = "safe_housing", _("Safe housing")
    BASIC_NEEDS = "basic_needs", _("Basic needs met")
    ACCESS_TO_SERVICES = "access_to_services", _("Access to needed services")
    SAFETY = "safety", _("Safety")
    EMOTIONAL_STABILITY = "emotional_stability", _("Emotional stability")
    SOCIAL_SUPPORT = "social_support", _("Social support")
    FUNCTIONAL_SUPPORT = "functional_support", _("Functional support")
    PROTECTIVE_FACTORS = "protective_factors", _("Protective factors")
    RESILIENCY = "resiliency", _("Resiliency")
    SELF_SUFFICIENCY = "self_sufficiency", _("Self-sufficiency in daily needs")
    PERMANENCY = "permanency", _("Positive permanency")


@dataclass(frozen=True)
class MeasureDefinition:
    measure: Measure
    question: str | Promise  # asked of, or about, the youth in plain words
    logic_model_outcome: str  # the outcome's wording in seed 004, for reports and traceability


MEASURES: tuple[MeasureDefinition, ...] = (
    MeasureDefinition(
        Measure.SAFE_HOUSING,
        _("Is where they are staying safe?"),
        "Victim/survivor is in safe housing",
    ),
    MeasureDefinition(
        Measure.BASIC_NEEDS,
        _("Are food, clothing and hygiene needs met?"),
        "Victim/survivor's basic needs are met",
    ),
    MeasureDefinition(
        Measure.ACCESS_TO_SERVICES,
        _("Can they get the services they need?"),
        "Victim/survivor has access to needed services",
    ),
    MeasureDefinition(Measure.SAFETY, _("Do they feel safe day to day?"), "Increased safety"),
    MeasureDefinition(
        Measure.EMOTIONAL_STABILITY,
        _("Do they feel steady in their feelings most days?"),
        "Increased emotional stability",
    ),
    MeasureDefinition(
        Measure.SOCIAL_SUPPORT,
        _("Do they have people they can lean on?"),
        "Increased social support",
    ),
    MeasureDefinition(
        Measure.FUNCTIONAL_SUPPORT,
        _("Do they have practical help when they need it (rides, paperwork, appointments)?"),
        "Increased functional support",
    ),
    MeasureDefinition(
        Measure.PROTECTIVE_FACTORS,
        _("Do they have things that protect them (school, activities, trusted adults)?"),
        "Increased protective factors",
    ),
    MeasureDefinition(
        Measure.RESILIENCY,
        _("Do they bounce back when things go wrong?"),
        "Increased resiliency",
    ),
    MeasureDefinition(
        Measure.SELF_SUFFICIENCY,
        _("Can they meet their own daily needs?"),
        "Self-sufficiency in meeting daily needs",
    ),
    MeasureDefinition(
        Measure.PERMANENCY,
        _("Are they moving toward a stable, lasting home and family connection?"),
        "Increased likelihood of positive permanency",
    ),
)

BY_MEASURE = {definition.measure: definition for definition in MEASURES}


class CheckInError(ValueError):
    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))


def clean_check_in(values: Mapping[str, Any]) -> dict[str, int]:
    """Keep the measures that were rated (any may be skipped), refuse unknown measures and ratings.

    Returns ``{measure: rating}``; a blank or ``None`` rating means "not asked this time".
    """
    problems: dict[str, str] = {}
    cleaned: dict[str, int] = {}
    for key, raw in values.items():
        if key not in Measure.values:
            problems[str(key)] = gettext("not an outcome measure")
            continue
        if raw is None or raw == "":
            continue
        try:
            rating = int(raw)
        except (TypeError, ValueError):
            problems[key] = gettext("the rating must be a number from 1 to 5")
            continue
        if isinstance(raw, bool) or rating not in Rating.values or str(raw).strip() != str(rating):
            problems[key] = gettext("the rating must be a number from 1 to 5")
            continue
        cleaned[key] = rating
    if problems:
        raise CheckInError(problems)
    return cleaned
