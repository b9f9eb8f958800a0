"""Reads in care coordination. Instruments are program configuration, not youth data."""

from __future__ import annotations

from django.db.models import QuerySet

from threadline.care.instruments import Definition
from threadline.care.models import Instrument


def instruments_active() -> QuerySet[Instrument]:
    return Instrument.objects.filter(is_active=True).order_by("slug")


def instrument_versions(*, slug: str) -> QuerySet[Instrument]:
    return Instrument.objects.filter(slug=slug).order_by("-loaded_at")


def instrument_definition(*, instrument: Instrument) -> Definition:
    """The stored definition, indexed for scoring. It was validated when loaded."""
    return Definition.from_data(instrument.definition)
