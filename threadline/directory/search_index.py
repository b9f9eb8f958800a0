"""Rebuild the denormalized search tables (ListingIndex, ListingFacet, ListingHours) from HSDS rows.

Called inside the transaction of every directory write (for the services it touched) and after an
import (all). Search never reads the HSDS tables, so a filter is one indexed lookup each.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction

from threadline.directory import models as m
from threadline.directory.geo import cell_of, county_centroid, zip_point
from threadline.directory.models import FacetKind, VettingStatus
from threadline.directory.taxonomy import (
    ACCESS_TAXONOMY,
    GENDER_TAXONOMY,
    POPULATION_TAXONOMY,
    SERVICE_TYPE_TAXONOMY,
    taxonomy_id,
)

DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
FIPS = re.compile(r"(\d{5})$")
BATCH = 2000


def _minutes(text: str) -> int | None:
    found = re.match(r"^\s*(\d{1,2}):(\d{2})", text or "")
    if not found:
        return None
    hours, minutes = int(found.group(1)), int(found.group(2))
    if hours > 23 or minutes > 59:
        return None
    value = hours * 60 + minutes
    return 1440 if value == 23 * 60 + 59 else value


def hours_of(schedule: m.Schedule) -> list[tuple[int, int, int]]:
    """(weekday, opens, closes) in local minutes; overnight hours are split at midnight."""
    if schedule.freq and schedule.freq != "WEEKLY":
        return []
    opens, closes = _minutes(schedule.opens_at), _minutes(schedule.closes_at)
    if opens is None or closes is None:
        return []
    days = [DAYS.index(d) for d in re.findall(r"(MO|TU|WE|TH|FR|SA|SU)", schedule.byday.upper())]
    days = days or list(range(7))
    rows = []
    for day in days:
        if closes > opens:
            rows.append((day, opens, closes))
        else:
            rows.append((day, opens, 1440))
            rows.append(((day + 1) % 7, 0, closes))
    return rows


def _fips(uri: str) -> str:
    found = FIPS.search(uri.strip())
    return found.group(1) if found else ""


def tag(kind: str, value: str) -> str:
    return f" {kind}:{value} "


def tags_of(facets: set[tuple[str, str]]) -> str:
    return " " + " ".join(f"{kind}:{value}" for kind, value in sorted(facets)) + " " if facets else ""


def _facets(ids: list[str] | None, sal_service: dict[str, str]) -> dict[str, set[tuple[str, str]]]:
    """County, language, population and service-type facets of these services (all when None)."""
    id_filter = {"service_id__in": ids} if ids is not None else {}
    facets: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for sid, sal_id, uri in m.ServiceArea.objects.filter(**id_filter).values_list(
        "service_id", "service_at_location_id", "uri"
    ):
        owner = sid or sal_service.get(sal_id, "")
        if owner and _fips(uri):
            facets[owner].add((FacetKind.COUNTY, _fips(uri)))
    for sid, code in (
        m.Language.objects.filter(**id_filter).exclude(service_id="").values_list("service_id", "code")
    ):
        if code:
            facets[sid].add((FacetKind.LANGUAGE, code.lower()[:64]))
    kind_of_taxonomy = {
        taxonomy_id(POPULATION_TAXONOMY): FacetKind.POPULATION,
        taxonomy_id(SERVICE_TYPE_TAXONOMY): FacetKind.SERVICE_TYPE,
        taxonomy_id(ACCESS_TAXONOMY): FacetKind.ACCESS,
        taxonomy_id(GENDER_TAXONOMY): FacetKind.GENDER,
    }
    terms = {t.id: t for t in m.TaxonomyTerm.objects.filter(taxonomy_id__in=list(kind_of_taxonomy))}
    attr_filter = {"link_id__in": ids} if ids is not None else {}
    for link_id, term_id in m.Attribute.objects.filter(
        taxonomy_term_id__in=list(terms), **attr_filter
    ).values_list("link_id", "taxonomy_term_id"):
        term = terms[term_id]
        facets[link_id].add((kind_of_taxonomy[term.taxonomy_id], term.code))
    return facets


def _point(
    sals: list[m.ServiceAtLocation],
    locations: dict[str, m.Location],
    postal: dict[str, str],
    counties: list[str],
) -> tuple[float | None, float | None, bool]:
    """Where the listing is measured from, and whether that point is coarse. A place with its own
    point: that point. A confidential place (a shelter, a safe house): the fixed point of its county
    (geo.county_centroid), never its door nor its ZIP code, so that no sequence of searches from
    different ZIP codes can narrow it down finer than the county."""
    for sal in sals:
        loc = locations.get(sal.location_id)
        if loc is None:
            continue
        if loc.confidential:
            zip_here = zip_point(postal.get(loc.id, ""))
            fips = zip_here.county_fips if zip_here is not None and zip_here.county_fips else ""
            for county in [fips, *counties] if fips else counties:
                centre = county_centroid(county)
                if centre is not None:
                    return centre[0], centre[1], True
            continue
        if loc.latitude is None or loc.longitude is None:
            point = zip_point(postal.get(loc.id, ""))
            if point is not None:
                return point.lat, point.lon, False
            continue
        return loc.latitude, loc.longitude, False
    return None, None, False


def _listing(
    service: m.Service,
    org: m.Organization | None,
    lat: float | None,
    lon: float | None,
    service_facets: set[tuple[str, str]],
    capacity_available: int,
    coarse: bool = False,
) -> m.ListingIndex:
    listed = bool(
        org is not None
        and org.vetting_status == VettingStatus.VETTED
        and org.hidden_at is None
        and service.status == "active"
    )
    min_age = service.minimum_age if service.minimum_age is not None else 0
    max_age = service.maximum_age if service.maximum_age is not None else 200
    serves_minors = (FacetKind.POPULATION, "serves-minors") in service_facets or (
        service.minimum_age is not None and service.minimum_age < 18
    )
    org_name = org.name if org else ""
    return m.ListingIndex(
        service_id=service.id,
        organization_id=service.organization_id,
        name=service.name[:300],
        organization_name=org_name[:300],
        search_text=f"{service.name} {service.alternate_name} {org_name}".lower(),
        tags=tags_of(service_facets),
        visibility=org.visibility if org else "private",
        listed=listed,
        min_age=max(-1, min(min_age, 200)),
        max_age=max(-1, min(max_age, 200)),
        serves_minors=serves_minors,
        capacity_available=capacity_available,
        lat=lat,
        lon=lon,
        coarse=coarse,
        cell=cell_of(lat, lon) if lat is not None and lon is not None else None,
        last_verified=(org.last_confirmed_at or org.approved_at) if org else None,
    )


def rebuild(service_ids: Iterable[str] | None = None) -> int:
    """Rebuild the index rows of these services (all when None). Returns the number indexed."""
    services = m.Service.objects.all()
    if service_ids is not None:
        ids = list(set(service_ids))
        services = services.filter(id__in=ids)
    service_list = list(services)
    ids = [s.id for s in service_list]
    id_filter = {"service_id__in": ids} if service_ids is not None else {}

    org_ids = {s.organization_id for s in service_list}
    orgs = (
        {o.id: o for o in m.Organization.objects.filter(id__in=org_ids)}
        if service_ids is not None
        else {o.id: o for o in m.Organization.objects.all()}
    )
    sals: dict[str, list[m.ServiceAtLocation]] = defaultdict(list)
    for sal in m.ServiceAtLocation.objects.filter(**id_filter).order_by("id"):
        sals[sal.service_id].append(sal)
    sal_service = {sal.id: sid for sid, items in sals.items() for sal in items}
    location_ids = {sal.location_id for items in sals.values() for sal in items}
    locations = (
        {loc.id: loc for loc in m.Location.objects.filter(id__in=location_ids)}
        if service_ids is not None
        else {loc.id: loc for loc in m.Location.objects.all()}
    )
    postal: dict[str, str] = {}
    for location_id, code in m.Address.objects.filter(location_id__in=list(locations)).values_list(
        "location_id", "postal_code"
    ):
        postal.setdefault(location_id, code)

    facets = _facets(ids if service_ids is not None else None, sal_service)
    capacity: dict[str, float] = defaultdict(float)
    for sid, available in m.ServiceCapacity.objects.filter(**id_filter).values_list(
        "service_id", "available"
    ):
        capacity[sid] += max(0.0, available or 0.0)
    hours: dict[str, set[tuple[int, int, int]]] = defaultdict(set)
    for schedule in m.Schedule.objects.filter(**id_filter).exclude(service_id=""):
        hours[schedule.service_id].update(hours_of(schedule))

    rows = []
    facet_rows: list[m.ListingFacet] = []
    hour_rows: list[m.ListingHours] = []
    for service in service_list:
        org = orgs.get(service.organization_id)
        service_facets = facets.get(service.id, set())
        counties = sorted(value for kind, value in service_facets if kind == FacetKind.COUNTY)
        lat, lon, coarse = _point(sals.get(service.id, []), locations, postal, counties)
        capacity_here = int(capacity.get(service.id, 0))
        rows.append(_listing(service, org, lat, lon, service_facets, capacity_here, coarse))
        facet_rows.extend(
            m.ListingFacet(listing_id=service.id, kind=kind, value=value)
            for kind, value in sorted(service_facets)
        )
        hour_rows.extend(
            m.ListingHours(listing_id=service.id, weekday=d, opens=o, closes=c)
            for d, o, c in sorted(hours.get(service.id, set()))
        )
    with transaction.atomic():
        if service_ids is None:
            m.ListingHours.objects.all().delete()
            m.ListingFacet.objects.all().delete()
            m.ListingIndex.objects.all().delete()
        else:
            m.ListingIndex.objects.filter(service_id__in=ids).delete()
        m.ListingIndex.objects.bulk_create(rows, batch_size=BATCH)
        m.ListingFacet.objects.bulk_create(facet_rows, batch_size=BATCH)
        m.ListingHours.objects.bulk_create(hour_rows, batch_size=BATCH)
    return len(rows)


def reindex_all() -> int:
    count = rebuild(None)
    analyze()
    return count


def analyze() -> None:
    """Refresh the planner's statistics after a bulk rebuild, so each search starts from its most
    selective index (SQLite has none until asked; PostgreSQL would get there later on its own)."""
    from django.db import connection

    tables = [model._meta.db_table for model in (m.ListingIndex, m.ListingFacet, m.ListingHours)]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def reindex_organization(organization_id: str) -> int:
    ids = list(m.Service.objects.filter(organization_id=organization_id).values_list("id", flat=True))
    return rebuild(ids)
