"""Plain facts the measures count. Built by ``threadline.outcomes.selectors``; each ``youth`` is an
opaque number local to one load (never a reference code, name or database id)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from django.utils import timezone


@dataclass(frozen=True)
class Period:
    """A reporting period of whole days, both ends included."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a period ends on or after the day it starts")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def overlaps(self, other: Period) -> bool:
        return self.start <= other.end and other.start <= self.end

    @cached_property
    def _moments(self) -> tuple[dt.datetime, dt.datetime]:
        tz = timezone.get_current_timezone()
        start = dt.datetime.combine(self.start, dt.time.min, tzinfo=tz)
        end = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        return start, end

    def holds(self, moment: dt.datetime) -> bool:
        """Whether a moment falls on a day of the period, in local time (same answer as
        ``contains(timezone.localdate(moment))``, without converting every moment)."""
        start, end = self._moments
        if timezone.is_naive(moment):
            return self.contains(moment.date())
        return start <= moment < end


def fiscal_year(day: dt.date, start_month: int) -> Period:
    """The fiscal year containing ``day``; it starts on the first of ``start_month`` (1–12). A fiscal
    year starting in October 2025 is "FY2026" in federal usage; ``fiscal_year_label`` names it."""
    if not 1 <= start_month <= 12:
        raise ValueError("start_month is 1–12")
    year = day.year if day.month >= start_month else day.year - 1
    start = dt.date(year, start_month, 1)
    end = (
        dt.date(year + 1, start_month, 1) - dt.timedelta(days=1) if start_month > 1 else dt.date(year, 12, 31)
    )
    return Period(start, end)


def fiscal_year_label(period: Period) -> str:
    """FY named by the calendar year it ends in (FY2026 = October 2025 to September 2026)."""
    return f"FY{period.end.year}"


@dataclass(frozen=True)
class ReferralFact:
    received_at: dt.datetime
    source: str
    channel: str
    county: str
    concern: str
    urgent: bool
    status: str
    first_contact_at: dt.datetime | None


@dataclass(frozen=True)
class AlertFact:
    """An urgent-referral alert: when the referral arrived, when the on-call person acknowledged."""

    started_at: dt.datetime
    acknowledged_at: dt.datetime | None


@dataclass(frozen=True)
class DecisionFact:
    decided_at: dt.datetime
    outcome: str
    reason_code: str


@dataclass(frozen=True)
class ServiceSpan:
    """The time a youth was served by the organization: from the first day it joined the youth's care
    team to the day it left (or the case was closed and not re-opened); ``end`` None = still served."""

    youth: int
    start: dt.date
    end: dt.date | None

    def overlaps(self, period: Period) -> bool:
        return self.start <= period.end and (self.end is None or self.end >= period.start)


@dataclass(frozen=True)
class YouthFact:
    """What grouping a youth needs: age in years on ``age_on`` (None: unknown), gender in the youth's
    own words (decrypted only to be grouped, never kept), and the county of their main connection."""

    youth: int
    age: int | None
    age_on: dt.date | None
    gender_words: str
    county: str


@dataclass(frozen=True)
class EpisodeFact:
    youth: int
    started_at: dt.datetime
    ended_at: dt.datetime | None


@dataclass(frozen=True)
class StageFact:
    youth: int
    assessed_on: dt.date
    stage: str


@dataclass(frozen=True)
class CheckInFact:
    youth: int
    measured_on: dt.date
    ratings: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class MeetingFact:
    youth: int
    meeting_type: str
    scheduled_at: dt.datetime
    held_at: dt.datetime | None


@dataclass(frozen=True)
class ContactFact:
    """A saved case note's contact: its type (in person, phone, text, video, attempted) and when."""

    youth: int
    contact_type: str
    contact_at: dt.datetime


@dataclass(frozen=True)
class ScreeningFact:
    youth: int
    screened_on: dt.date
    complete: bool


@dataclass(frozen=True)
class PlanServiceFact:
    youth: int
    domain: str
    started_on: dt.date


@dataclass(frozen=True)
class PlacementFact:
    youth: int
    placement_type: str
    started_on: dt.date
    ended_on: dt.date | None
    felt_safe: bool | None


@dataclass(frozen=True)
class MandatoryReportFact:
    due_at: dt.datetime
    reported_at: dt.datetime | None


@dataclass(frozen=True)
class TaskFact:
    due_on: dt.date | None
    done: bool
