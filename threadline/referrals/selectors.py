"""Every read about service referrals: suggestions with reasons, the referring side's lists (through
``access``), the provider's inbox (its own organization's queue), what is overdue, and the feedback
directory admins read at a listing's yearly audit."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from threadline.access.categories import Category
from threadline.accounts.models import Membership
from threadline.core.actions import Action
from threadline.core.policy import may
from threadline.directory import models as dm
from threadline.directory.audience import Scope
from threadline.directory.geo import DISTANCE_BANDS, cells_around, distance_band, haversine_miles, zip_point
from threadline.directory.models import FacetKind
from threadline.directory.search_index import tag
from threadline.directory.taxonomy import ACCESS, LANGUAGES, POPULATIONS, SERVICE_TYPES
from threadline.referrals.states import ReferralState
from threadline.youth.policy import Opened, open_for

S = ReferralState

# Which directory service types answer which need of the plan (care.choices.NeedDomain).
NEED_SERVICE_TYPES: dict[str, tuple[str, ...]] = {
    "safety": ("shelter", "advocacy", "hotline"),
    "housing": ("shelter", "housing"),
    "basic_needs": ("basic-needs",),
    "physical_health": ("medical",),
    "behavioral_health": ("mental-health",),
    "substance_use": ("substance-use",),
    "education": ("education",),
    "employment": ("education",),
    "legal": ("legal",),
    "identity_documents": ("legal", "case-management"),
    "family": ("case-management",),
    "social_support": ("mentoring", "advocacy"),
    "other": ("case-management", "advocacy"),
}
CANDIDATES = 1000  # rows read and ranked per suggestion: plenty for one county or radius
BED_TYPES = ("shelter", "housing")


# --- suggestions ---------------------------------------------------------------------------------------


@dataclass
class SuggestQuery:
    service_types: tuple[str, ...]
    age: int | None = None
    languages: tuple[str, ...] = ()
    counties: tuple[str, ...] = ()  # FIPS codes the youth is connected to
    zip_code: str = ""
    radius_miles: int = 25
    gender: str = ""
    access: tuple[str, ...] = ()  # barriers the service must not put up
    populations: tuple[str, ...] = ()  # specializations that rank a service higher
    exclude: tuple[str, ...] = ()  # service ids already tried
    limit: int = 10


@dataclass
class Suggestion:
    listing: dm.ListingIndex
    score: float
    distance_miles: float | None
    reasons: list[str] = field(default_factory=list)

    @property
    def reason(self) -> str:
        return " · ".join(self.reasons)


def _facets(tags: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for word in tags.split():
        kind, _sep, value = word.partition(":")
        found.setdefault(kind, set()).add(value)
    return found


def _ages(listing: dm.ListingIndex) -> str:
    low, high = listing.min_age, listing.max_age
    if low <= 0 and high >= 120:
        return _("all ages")
    if high >= 120:
        return _("serves %(low)s and older") % {"low": low}
    return _("serves %(low)s–%(high)s") % {"low": max(low, 0), "high": high}


def suggest_querysets(query: SuggestQuery, scope: Scope) -> list[QuerySet[dm.ListingIndex]]:
    """The indexed statements behind ``suggest``: the candidates, before ranking.

    The place drives (a few hundred listings serve one county or sit in the grid cells around a ZIP
    code): one statement by primary key for the listings serving the youth's counties (read first
    from the county facet's index), one by the cell index near the ZIP code; each planned on its own
    index by both databases (an OR of the two is not). Every other condition is checked in those rows
    (the ``tags`` words; the age in ``suggest``). With no place at all, the service type drives."""
    base = dm.ListingIndex.objects.filter(listed=True, visibility__in=sorted(scope.levels))
    types = [t for t in query.service_types if t in SERVICE_TYPES]
    if not types:
        return []
    for code in query.access:
        base = base.filter(tags__contains=tag(FacetKind.ACCESS, code))
    if query.gender:
        base = base.filter(
            Q(tags__contains=tag(FacetKind.GENDER, query.gender)) | ~Q(tags__contains=f" {FacetKind.GENDER}:")
        )
    if query.exclude:
        base = base.exclude(service_id__in=list(query.exclude))
    base = base.only(
        "service_id",
        "organization_id",
        "name",
        "organization_name",
        "tags",
        "min_age",
        "max_age",
        "capacity_available",
        "lat",
        "lon",
    )
    of_type = Q()
    for code in types:
        of_type |= Q(tags__contains=tag(FacetKind.SERVICE_TYPE, code))
    located: list[QuerySet[dm.ListingIndex]] = []
    if query.counties:
        serving = list(
            dm.ListingFacet.objects.filter(kind=FacetKind.COUNTY, value__in=list(query.counties)).values_list(
                "listing_id", flat=True
            )
        )
        located.append(base.filter(of_type, service_id__in=serving)[:CANDIDATES])
    origin = zip_point(query.zip_code) if query.zip_code else None
    if origin is not None:
        cells = cells_around(origin.lat, origin.lon, max(1, min(query.radius_miles, 250)))
        located.append(base.filter(of_type, cell__in=cells)[:CANDIDATES])
    if located:
        return located
    anywhere = base.filter(
        service_id__in=dm.ListingFacet.objects.filter(kind=FacetKind.SERVICE_TYPE, value__in=types).values(
            "listing_id"
        )
    )
    if query.age is not None:
        anywhere = anywhere.filter(min_age__lte=query.age, max_age__gte=query.age)
    return [anywhere.order_by("name", "service_id")[:CANDIDATES]]


def suggest(query: SuggestQuery, scope: Scope) -> list[Suggestion]:
    """Vetted, listed services of the right type that the youth fits (age; gender served; the barriers
    asked to be absent), in one of the youth's counties or near their ZIP code; ranked, each with the
    reason shown. Reads only the directory's search index: one indexed query, then ranking in memory."""
    seen: dict[str, dm.ListingIndex] = {}
    for qs in suggest_querysets(query, scope):
        for row in qs:
            seen.setdefault(row.service_id, row)
    rows = list(seen.values())
    origin = zip_point(query.zip_code) if query.zip_code else None
    miles = max(1, min(query.radius_miles, 250))
    counties = set(query.counties)
    wanted_languages = [code for code in query.languages if code in LANGUAGES]
    ranked: list[Suggestion] = []
    for listing in rows:
        if query.age is not None and not listing.min_age <= query.age <= listing.max_age:
            continue
        facets = _facets(listing.tags)
        distance = None
        band_reason = ""
        if origin is not None and listing.lat is not None and listing.lon is not None:
            distance = round(haversine_miles(origin.lat, origin.lon, listing.lat, listing.lon), 1)
            if listing.coarse:
                # A confidential place: only the band of its county's fixed point, never a finer figure
                # (issue 15), for the radius, the ranking and what is shown alike.
                band = distance_band(distance)
                distance = float(band) if band else float(DISTANCE_BANDS[-1] + 1)
                band_reason = (
                    _("within %(miles)s miles") % {"miles": band} if band else _("more than 100 miles")
                )
        served = counties & facets.get(FacetKind.COUNTY, set())
        if origin is not None and not served and (distance is None or distance > miles):
            continue  # near the ZIP's cells but outside the radius, and not serving the youth's county
        score = 0.0
        reasons = [_ages(listing)]
        for code in wanted_languages:
            if code in facets.get(FacetKind.LANGUAGE, set()):
                score += 2 if code != "en" else 0.5
                if code != "en":
                    reasons.append(str(LANGUAGES[code]))
        if distance is not None:
            score -= min(distance, 100) / 10
            reasons.append(band_reason or _("%(miles)s mi") % {"miles": distance})
        if served:
            score += 1
            reasons.append(_("serves your county"))
        populations = facets.get(FacetKind.POPULATION, set())
        if "trafficking-survivors" in populations:
            score += 3
            reasons.append(_("trafficking-specialised"))
        for code in query.populations:
            if code in populations and code != "trafficking-survivors":
                score += 2
                reasons.append(str(POPULATIONS.get(code, code)))
        if set(facets.get(FacetKind.SERVICE_TYPE, set())) & set(BED_TYPES):
            if listing.capacity_available > 0:
                score += 1.5
                reasons.append(_("%(n)s beds free") % {"n": listing.capacity_available})
            else:
                reasons.append(_("no beds free now"))
        for code in sorted(facets.get(FacetKind.ACCESS, set())):
            if code in ACCESS:
                score += 0.5 if code not in query.access else 0
                reasons.append(str(ACCESS[code]))
        ranked.append(Suggestion(listing, score, distance, reasons))
    ranked.sort(
        key=lambda s: (
            -s.score,
            s.distance_miles if s.distance_miles is not None else math.inf,
            s.listing.name,
        )
    )
    return ranked[: max(1, query.limit)]


def language_codes(values: Iterable[str]) -> list[str]:
    """A youth's languages as the directory's codes: the record may hold codes ("es") or names
    ("Spanish", "español")."""
    from django.utils import translation

    names: dict[str, str] = {}
    for code, label in LANGUAGES.items():
        names[code] = code
        for language in ("en", "es"):
            with translation.override(language):
                names[str(label).lower()] = code
    found: list[str] = []
    for value in values:
        known = names.get(str(value).strip().lower())
        if known and known not in found:
            found.append(known)
    return found


@dataclass
class NeedContext:
    """What the suggestion form starts from for one youth and need: filled from the record where this
    person may see it, changed freely on the form."""

    opened: Opened
    need: Any
    age: int | None
    languages: list[str]
    counties: list[str]
    needs: list[Any]


def need_context(*, membership: Membership | None, youth_id: Any, need_id: Any = None) -> NeedContext:
    from threadline.care.models import PlanNeed

    if not may(membership, Action.SEND_SERVICE_REFERRALS):
        raise Http404
    with transaction.atomic():
        opened = open_for(
            membership,
            youth_id,
            Category.CARE_PLAN,
            Category.IDENTITY,
            purpose="suggest services",
            write=True,
        )
        youth = opened.youth
        needs = list(
            PlanNeed.objects.filter(youth=youth, met_on__isnull=True).order_by("domain", "created_at")
        )
        for row in needs:
            row.youth = youth
        need = next((n for n in needs if str(n.pk) == str(need_id)), None) if need_id else None
        counties = _county_codes(opened)
    return NeedContext(
        opened, need, youth.estimated_age, language_codes(youth.languages or []), counties, needs
    )


def _county_codes(opened: Opened) -> list[str]:
    from threadline.directory.geo import county_fips

    counties: list[str] = []
    if opened.allows(Category.IDENTITY):
        for connection in opened.youth.counties.all():
            connection.youth = opened.youth
            fips = county_fips(connection.county)
            if fips and fips not in counties:
                counties.append(fips)
    return counties
