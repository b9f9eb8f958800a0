"""Directory statistics (seed 002): how many providers are listed, at which visibility, serving
minors, by county and specialization, and how many yearly audits are due.

Two audiences. Directory admins see every count. The public summary counts public listings only,
and any count from 1 to SMALL - 1 is shown as "fewer than SMALL": a small county count could
otherwise point at a confidential shelter (one listed shelter serving a rural county). Suppression
is applied the same way to every cell, whether or not a shelter is in it, so that the suppression
itself says nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count
from django.utils import timezone

from threadline.directory import models as m
from threadline.directory.geo import TEXAS_COUNTIES
from threadline.directory.models import FacetKind, VettingStatus, Visibility
from threadline.directory.selectors import AUDIT_SOON_DAYS
from threadline.directory.taxonomy import POPULATIONS

SMALL = 5


@dataclass(frozen=True)
class Cell:
    label: str
    count: int
    suppressed: bool = False  # shown as "fewer than SMALL"


@dataclass
class Statistics:
    listed: Cell
    serving_minors: Cell
    by_visibility: list[Cell] = field(default_factory=list)
    by_county: list[Cell] = field(default_factory=list)
    by_specialization: list[Cell] = field(default_factory=list)
    # admins only
    audits_due: int = 0
    audits_overdue: int = 0
    applications: int = 0
    hidden: int = 0
    small: int = SMALL


def _cell(label: str, count: int, suppress: bool) -> Cell:
    if suppress and 0 < count < SMALL:
        return Cell(label, 0, True)
    return Cell(label, count)


def _facet_counts(kind: str, visibility: list[str]) -> dict[str, int]:
    rows = (
        m.ListingFacet.objects.filter(kind=kind, listing__listed=True, listing__visibility__in=visibility)
        .values("value")
        .annotate(n=Count("listing_id", distinct=True))
    )
    return {str(row["value"]): int(row["n"]) for row in rows}


def statistics(*, public: bool, today: date | None = None) -> Statistics:
    """Counts of listed services (one row each in the search index)."""
    levels: list[str] = [str(Visibility.PUBLIC)] if public else [str(v) for v in Visibility.values]
    listed = m.ListingIndex.objects.filter(listed=True, visibility__in=levels)
    by_level = {
        str(r["visibility"]): int(r["n"]) for r in listed.values("visibility").annotate(n=Count("pk"))
    }
    counties = _facet_counts(FacetKind.COUNTY, levels)
    specializations = _facet_counts(FacetKind.POPULATION, levels)
    stats = Statistics(
        listed=_cell("listed", listed.count(), public),
        serving_minors=_cell("minors", listed.filter(serves_minors=True).count(), public),
        by_visibility=[]
        if public
        else [Cell(str(label), by_level.get(str(value), 0)) for value, label in Visibility.choices],
        by_county=sorted(
            (_cell(TEXAS_COUNTIES.get(code, code), n, public) for code, n in counties.items()),
            key=lambda c: c.label,
        ),
        by_specialization=sorted(
            (_cell(str(POPULATIONS.get(code, code)), n, public) for code, n in specializations.items()),
            key=lambda c: c.label,
        ),
    )
    if not public:
        today = today or timezone.localdate()
        vetted = m.Organization.objects.filter(vetting_status=VettingStatus.VETTED)
        stats.audits_due = vetted.filter(next_audit_date__lte=today + timedelta(days=AUDIT_SOON_DAYS)).count()
        stats.audits_overdue = vetted.filter(next_audit_date__lt=today).count()
        stats.applications = m.Organization.objects.filter(
            vetting_status__in=[VettingStatus.APPLIED, VettingStatus.UNDER_REVIEW]
        ).count()
        stats.hidden = vetted.filter(hidden_at__isnull=False).count()
    return stats
