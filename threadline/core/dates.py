"""Dates every room computes the same way."""

from __future__ import annotations

import datetime


def age_on(dob: datetime.date, today: datetime.date) -> int:
    """Completed years on ``today``. A birthday today counts."""
    return today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))
