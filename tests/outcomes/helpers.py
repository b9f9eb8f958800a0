"""Hand-made facts for the measure tests: local (America/Chicago) noon unless said otherwise."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def at(day: str, hour: int = 12, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute)))


def d(day: str) -> dt.date:
    return dt.date.fromisoformat(day)
