"""Every read of the directory: search (staff and public), one listing, the admin queues.

Search reads only the denormalized index (see search_index.py): each filter is one indexed lookup,
and they combine with AND. Ranking: nearest first when a ZIP code is given, otherwise names that
start with the search words first, then alphabetical.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Case, Count, F, FloatField, IntegerField, Q, QuerySet, Value, When, Window
from django.db.models.functions import Cast
from django.utils import timezone

from threadline.audit import ledger
from threadline.directory import models as m
from threadline.directory.audience import Scope, scope_for
from threadline.directory.geo import (
    MILES_PER_DEGREE_LAT,
    ZipPoint,
    bounding_box,
    cells_around,
    distance_band,
    haversine_miles,
    zip_point,
)
from threadline.directory.hsds.serialize import Gate, nested, visible_services
from threadline.directory.models import FacetKind, VettingStatus
from threadline.directory.search_index import tag

if TYPE_CHECKING:
    from threadline.accounts.models import Membership

MAX_PER_PAGE = 100
AUDIT_SOON_DAYS = 30


@dataclass
class SearchQuery:
    q: str = ""
    county: str = ""
    zip_code: str = ""
    radius_miles: int = 25
    age: int | None = None
    language: str = ""
    population: str = ""
    service_type: str = ""
    serves_minors: bool = False
    open_now: bool = False
    capacity: bool = False
    access: tuple[str, ...] = ()  # barriers the service must not put up (all of them)
    gender: str = ""  # a service that serves this gender, or names none (serves all)
    page: int = 1
    per_page: int = 20


@dataclass
class Hit:
    listing: m.ListingIndex
    distance_miles: float | None = None
    # A confidential place: only the band its county's fixed point falls in ("within 25 miles").
    distance_band: int | None = None


@dataclass
class SearchPage:
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 1
    origin: ZipPoint | None = None
    unknown_zip: bool = False

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _facet(kind: str, value: str) -> QuerySet[m.ListingFacet, Any]:
    return m.ListingFacet.objects.filter(kind=kind, value=value).values("listing_id")


def _has(kind: str, value: str) -> Q:
    return Q(tags__contains=tag(kind, value))


def _facet_filters(
    qs: QuerySet[m.ListingIndex], facets: Sequence[tuple[str, str]]
) -> QuerySet[m.ListingIndex]:
    """The first (most selective: county, then service type, specialization, language) drives the
    query through the (kind, value) index; the others are checked in the candidate rows' tags, which
    costs nothing more than reading the row (no second index probe per candidate)."""
    for position, (kind, value) in enumerate(facets):
        qs = qs.filter(service_id__in=_facet(kind, value)) if position == 0 else qs.filter(_has(kind, value))
    return qs


def search_queryset(
    query: SearchQuery, scope: Scope, now: datetime | None = None
) -> tuple[QuerySet[m.ListingIndex], ZipPoint | None, bool]:
    qs = m.ListingIndex.objects.filter(listed=True, visibility__in=sorted(scope.levels))
    facets = [
        (kind, value)
        for kind, value in (
            (FacetKind.COUNTY, query.county),
            (FacetKind.SERVICE_TYPE, query.service_type),
            (FacetKind.POPULATION, query.population),
            (FacetKind.LANGUAGE, query.language),
        )
        if value
    ]
    origin = zip_point(query.zip_code) if query.zip_code else None
    if origin is not None:
        # Near a ZIP code: the grid cells around it drive; every facet is a probe.
        qs = qs.filter(cell__in=cells_around(origin.lat, origin.lon, max(1, min(query.radius_miles, 250))))
        for kind, value in facets:
            qs = qs.filter(_has(kind, value))
    else:
        qs = _facet_filters(qs, facets)
    for code in query.access:
        qs = qs.filter(_has(FacetKind.ACCESS, code))
    if query.gender:
        qs = qs.filter(_has(FacetKind.GENDER, query.gender) | ~Q(tags__contains=f" {FacetKind.GENDER}:"))
    if query.age is not None:
        qs = qs.filter(min_age__lte=query.age, max_age__gte=query.age)
    if query.serves_minors:
        qs = qs.filter(serves_minors=True)
    if query.capacity:
        qs = qs.filter(capacity_available__gt=0)
    if query.open_now:
        local = timezone.localtime(now or timezone.now())
        minute = local.hour * 60 + local.minute
        open_ids = m.ListingHours.objects.filter(
            weekday=local.weekday(), opens__lte=minute, closes__gt=minute
        )
        qs = qs.filter(service_id__in=open_ids.values("listing_id"))
    words = query.q.strip().lower()
    if words:
        qs = qs.filter(search_text__contains=words)
    unknown_zip = bool(query.zip_code) and origin is None
    if origin is not None:
        miles = max(1, min(query.radius_miles, 250))
        south, north, west, east = bounding_box(origin.lat, origin.lon, miles)
        scale = math.cos(math.radians(origin.lat))
        # Equirectangular distance in degrees of latitude: plain arithmetic, so the same SQL on
        # SQLite and PostgreSQL, exact enough at county scale; the box above uses the index.
        dlat = F("lat") - Value(origin.lat)
        dlon = (F("lon") - Value(origin.lon)) * Value(scale)
        qs = (
            qs.filter(lat__gte=south, lat__lte=north, lon__gte=west, lon__lte=east)
            .annotate(d2=Cast(dlat * dlat + dlon * dlon, FloatField()))
            .filter(d2__lte=(miles / MILES_PER_DEGREE_LAT) ** 2)
            .order_by("d2", "name", "service_id")
        )
    elif words:
        qs = qs.annotate(
            starts=Case(
                When(name__istartswith=words, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        ).order_by("starts", "name", "service_id")
    else:
        qs = qs.order_by("name", "service_id")
    return qs, origin, unknown_zip


def search(query: SearchQuery, scope: Scope, now: datetime | None = None) -> SearchPage:
    qs, origin, unknown_zip = search_queryset(query, scope, now)
    if unknown_zip:
        return SearchPage(unknown_zip=True)
    per_page = max(1, min(query.per_page, MAX_PER_PAGE))
    # One statement for the page and the total (a window count), not two.
    counted = qs.annotate(total_count=Window(Count("service_id")))
    page = max(1, query.page)
    rows = list(counted[(page - 1) * per_page : page * per_page])
    if rows:
        total = int(rows[0].total_count)
    else:
        total = qs.count() if page > 1 else 0
        page = max(1, math.ceil(total / per_page))
        rows = list(counted[(page - 1) * per_page : page * per_page]) if total else []
    pages = max(1, math.ceil(total / per_page))
    hits = [hit_for(listing, origin) for listing in rows]
    return SearchPage(hits=hits, total=total, page=page, pages=pages, origin=origin)


def hit_for(listing: m.ListingIndex, origin: ZipPoint | None) -> Hit:
    """A result with its distance: to a tenth of a mile for a place with its own point; for a
    confidential place only a band, measured from its county's fixed point."""
    if origin is None or listing.lat is None or listing.lon is None:
        return Hit(listing)
    miles = haversine_miles(origin.lat, origin.lon, listing.lat, listing.lon)
    if listing.coarse:
        return Hit(listing, None, distance_band(miles) or 0)
    return Hit(listing, round(miles, 1))


# --- one listing ------------------------------------------------------------------------------------


def service_for(scope: Scope, service_id: str) -> dict[str, Any] | None:
    """The full HSDS service as this audience may see it, or None (missing and hidden look alike)."""
    service = visible_services(scope).filter(id=service_id).first()
    if service is None:
        return None
    return nested("service", service, Gate(scope))


def service_for_staff(membership: Membership, service_id: str) -> dict[str, Any] | None:
    """As ``service_for``; when the reader may see a confidential (shelter) address and this service
    has one, the reading is written to the access ledger in the same transaction."""
    scope = scope_for(membership)
    with transaction.atomic():
        service = service_for(scope, service_id)
        if service is None or not scope.confidential:
            return service
        locations = [sal.get("location", {}) for sal in service.get("service_at_locations", [])]
        if any(loc.get("confidential") for loc in locations):
            ledger.entry(
                membership,
                "view",
                "directory_service",
                service_id,
                "view a confidential address in the directory",
                category="safe_house_address",
            )
    return service


# --- admin ---------------------------------------------------------------------------------------


def applications() -> QuerySet[m.Organization]:
    return m.Organization.objects.filter(
        vetting_status__in=[VettingStatus.APPLIED, VettingStatus.UNDER_REVIEW]
    ).order_by("applied_at", "name")


def audits_due(today: date | None = None) -> QuerySet[m.Organization]:
    today = today or timezone.localdate()
    return m.Organization.objects.filter(
        vetting_status=VettingStatus.VETTED, next_audit_date__lte=today + timedelta(days=AUDIT_SOON_DAYS)
    ).order_by("next_audit_date", "name")


def pending_corrections() -> QuerySet[m.AuditRequest]:
    return (
        m.AuditRequest.objects.filter(used_at__isnull=False, changes_applied_at__isnull=True)
        .exclude(proposed_changes={})
        .select_related("organization")
    )


def organization(organization_id: str) -> m.Organization | None:
    return m.Organization.objects.filter(id=organization_id).first()


def services_of(organization_id: str) -> QuerySet[m.Service]:
    return m.Service.objects.filter(organization_id=organization_id).order_by("name")
