"""The HSDS 3.1 API at /hsds/, following the Open Referral openapi.json.

Plain Django views, not a second NinjaAPI: the response shapes are HSDS's JSON Schemas (validated
in the tests against the official files), not models we define, so pydantic schemas would only
duplicate them; the HSDS openapi.json is the published contract, not one generated from our code;
and ``format=ndjson`` is a streamed response. Authentication reuses threadline.api.auth.TokenAuth,
so a token works here exactly as under /api/v1/ (revoked or expired: 401 on the next call).

Anonymous callers see vetted public listings; token holders (and signed-in staff) of partner
agencies see network listings too; the Care Coordinator's staff see private ones. Something a
caller may not see answers 404, exactly like something that does not exist.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC
from functools import wraps
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase as HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.http import require_GET

from threadline.api.auth import TokenAuth
from threadline.directory import models as m
from threadline.directory.audience import PUBLIC, Scope, scope_for
from threadline.directory.geo import haversine_miles, zip_point
from threadline.directory.hsds.serialize import Gate, flat, nested, visible_organizations, visible_services

HSDS_VERSION = "3.1"
PROFILE_URL = "https://github.com/threadline/threadline/tree/main/docs/hsds-profile"
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/specification/3.1/schema/openapi.json"
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 500
METERS_PER_MILE = 1609.344

View = Callable[..., HttpResponse]


class BadRequest(Exception):
    pass


def _scope(request: HttpRequest) -> Scope | None:
    """None: a token was offered and refused (401). No token: the session, or the public."""
    header = request.headers.get("Authorization", "")
    if header:
        kind, _, raw = header.partition(" ")
        if kind.lower() != "bearer" or not raw.strip():
            return None
        if TokenAuth().authenticate(request, raw.strip()) is None:
            return None
    membership = getattr(request, "membership", None)
    return scope_for(membership) if membership is not None else PUBLIC


def hsds_view(view: Callable[..., HttpResponse]) -> View:
    @require_GET
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        scope = _scope(request)
        if scope is None:
            response = JsonResponse({"detail": "Unauthorized"}, status=401)
            response["WWW-Authenticate"] = "Bearer"
            return response
        try:
            return view(request, scope, *args, **kwargs)
        except BadRequest as exc:
            # Malformed input is the caller's mistake: say what was wrong, never a 500.
            return JsonResponse({"detail": str(exc)}, status=400)

    return wrapper


def _not_found() -> JsonResponse:
    return JsonResponse({"detail": "Not Found"}, status=404)


def _one(rows: QuerySet[Any], hsds_id: str, render: Callable[[Any], dict[str, Any]]) -> HttpResponse:
    """One record by id, or the HSDS 404 where it is not among ``rows``."""
    row = rows.filter(id=hsds_id).first()
    if row is None:
        return _not_found()
    return JsonResponse(render(row), json_dumps_params={"ensure_ascii": False})


def _int(request: HttpRequest, name: str, default: int, low: int, high: int) -> int:
    raw = request.GET.get(name, "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise BadRequest(f"{name} must be a whole number") from exc
    return max(low, min(value, high))


def _bool(request: HttpRequest, name: str) -> bool:
    raw = request.GET.get(name, "").strip().lower()
    if raw in ("", "false", "0", "no"):
        return False
    if raw in ("true", "1", "yes"):
        return True
    raise BadRequest(f"{name} must be true or false")


def _page(request: HttpRequest, items: Any, render: Callable[[Any], dict[str, Any]]) -> HttpResponse:
    """The HSDS Page wrapper, or every result as newline-delimited JSON when format=ndjson."""
    fmt = request.GET.get("format", "json").lower()
    if fmt not in ("json", "ndjson"):
        raise BadRequest("format must be json or ndjson")
    if fmt == "ndjson":
        rows: Iterable[Any] = items.iterator(chunk_size=500) if isinstance(items, QuerySet) else items

        def stream() -> Iterator[str]:
            for item in rows:
                yield json.dumps(render(item), ensure_ascii=False) + "\n"

        return StreamingHttpResponse(stream(), content_type="application/x-ndjson")
    per_page = _int(request, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    total = items.count() if isinstance(items, QuerySet) else len(items)
    pages = max(1, math.ceil(total / per_page))
    page = _int(request, "page", 1, 1, 10**6)
    start = (page - 1) * per_page
    contents = [render(item) for item in items[start : start + per_page]]
    return JsonResponse(
        {
            "total_items": total,
            "total_pages": pages,
            "page_number": page,
            "size": len(contents),
            "first_page": page == 1,
            "last_page": page >= pages,
            "empty": total == 0,
            "contents": contents,
        },
        json_dumps_params={"ensure_ascii": False},
    )


def _modified_after(request: HttpRequest) -> Any:
    raw = request.GET.get("modified_after", "").strip()
    if not raw:
        return None
    try:
        value = parse_datetime(raw)
        if value is None and parse_date(raw) is not None:
            value = parse_datetime(f"{raw}T00:00:00Z")
    except ValueError:
        value = None
    if value is None:
        raise BadRequest("modified_after must be an ISO 8601 date or date-time")
    return value if timezone.is_aware(value) else timezone.make_aware(value, UTC)


def _linked_to_terms(request: HttpRequest, entity_ids: str = "link_id") -> Any:
    term = request.GET.get("taxonomy_term_id", "").strip()
    taxonomy = request.GET.get("taxonomy_id", "").strip()
    if not term and not taxonomy:
        return None
    attributes = m.Attribute.objects.all()
    if term:
        attributes = attributes.filter(taxonomy_term_id=term)
    if taxonomy:
        attributes = attributes.filter(
            taxonomy_term_id__in=m.TaxonomyTerm.objects.filter(taxonomy_id=taxonomy).values("id")
        )
    return attributes.values(entity_ids)


# --- endpoints --------------------------------------------------------------------------------------


@hsds_view
def meta(request: HttpRequest, scope: Scope) -> HttpResponse:
    return JsonResponse({"version": HSDS_VERSION, "profile": PROFILE_URL, "openapi_url": OPENAPI_URL})


@hsds_view
def services(request: HttpRequest, scope: Scope) -> HttpResponse:
    qs = visible_services(scope).order_by("name", "id")
    search = request.GET.get("search", "").strip()
    if search:
        qs = qs.filter(
            Q(name__icontains=search) | Q(description__icontains=search) | Q(alternate_name__icontains=search)
        )
    if request.GET.get("organization_id"):
        qs = qs.filter(organization_id=request.GET["organization_id"].strip())
    linked = _linked_to_terms(request)
    if linked is not None:
        qs = qs.filter(id__in=linked)
    after = _modified_after(request)
    if after is not None:
        qs = qs.filter(last_modified__gte=after)
    gate = Gate(scope)
    if _bool(request, "minimal"):
        return _page(
            request,
            qs,
            lambda s: {
                "id": s.id,
                "name": s.name,
                "status": s.status,
                "last_modified": flat("service", s, gate).get("last_modified"),
            },
        )
    if _bool(request, "full"):
        return _page(request, qs, lambda s: nested("service", s, gate))
    return _page(request, qs, lambda s: flat("service", s, gate))


@hsds_view
def service_detail(request: HttpRequest, scope: Scope, hsds_id: str) -> HttpResponse:
    return _one(visible_services(scope), hsds_id, lambda s: nested("service", s, Gate(scope)))


@hsds_view
def organizations(request: HttpRequest, scope: Scope) -> HttpResponse:
    qs = visible_organizations(scope).order_by("name", "id")
    search = request.GET.get("search", "").strip()
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(description__icontains=search))
    linked = _linked_to_terms(request)
    if linked is not None:
        qs = qs.filter(
            Q(id__in=linked) | Q(id__in=m.Service.objects.filter(id__in=linked).values("organization_id"))
        )
    gate = Gate(scope)
    if _bool(request, "full") or _bool(request, "full_service"):
        return _page(request, qs, lambda o: _organization_full(o, gate, _bool(request, "full_service")))
    return _page(request, qs, lambda o: flat("organization", o, gate))


def _organization_full(org: m.Organization, gate: Gate, full_service: bool) -> dict[str, Any]:
    out = nested("organization", org, gate)
    visible = visible_services(gate.scope).filter(organization_id=org.id).order_by("name", "id")
    if full_service:
        out["services"] = [nested("service", s, gate, ("organization",)) for s in visible]
    else:
        out["services"] = [flat("service", s, gate) for s in visible]
    return out


@hsds_view
def organization_detail(request: HttpRequest, scope: Scope, hsds_id: str) -> HttpResponse:
    gate = Gate(scope)
    return _one(
        visible_organizations(scope),
        hsds_id,
        lambda o: _organization_full(o, gate, _bool(request, "full_service")),
    )


def _visible_sal(scope: Scope) -> QuerySet[m.ServiceAtLocation]:
    return m.ServiceAtLocation.objects.filter(service_id__in=visible_services(scope).values("id"))


def _sal_list_item(sal: m.ServiceAtLocation, gate: Gate) -> dict[str, Any]:
    out = flat("service_at_location", sal, gate)
    service = m.Service.objects.filter(id=sal.service_id).first()
    if service is not None:
        out["service"] = flat("service", service, gate)
    location = m.Location.objects.filter(id=sal.location_id).first()
    if location is not None and gate.visible("location", location.id):
        out["location"] = flat("location", location, gate)
    return out


@hsds_view
def service_at_locations(request: HttpRequest, scope: Scope) -> HttpResponse:
    qs = _visible_sal(scope).order_by("id")
    search = request.GET.get("search", "").strip()
    if search:
        qs = qs.filter(service_id__in=m.Service.objects.filter(name__icontains=search).values("id"))
    if request.GET.get("organization_id"):
        qs = qs.filter(
            service_id__in=m.Service.objects.filter(organization_id=request.GET["organization_id"]).values(
                "id"
            )
        )
    linked = _linked_to_terms(request)
    if linked is not None:
        qs = qs.filter(Q(id__in=linked) | Q(service_id__in=linked))
    after = _modified_after(request)
    if after is not None:
        qs = qs.filter(service_id__in=m.Service.objects.filter(last_modified__gte=after).values("id"))
    gate = Gate(scope)
    postcode = request.GET.get("postcode", "").strip()
    if postcode:
        qs = _near(qs, postcode, request.GET.get("proximity", "").strip(), gate)
    render = (
        (lambda s: nested("service_at_location", s, gate))
        if _bool(request, "full")
        else (lambda s: _sal_list_item(s, gate))
    )
    return _page(request, qs, render)


def _near(qs: QuerySet[m.ServiceAtLocation], postcode: str, proximity: str, gate: Gate) -> Any:
    """HSDS: with proximity (meters), results within that distance of the postcode's centroid,
    nearest first; without, results whose service area covers the postcode (its county).
    Confidential locations count by their ZIP centroid only, never their coordinates."""
    point = zip_point(postcode)
    if point is None:
        raise BadRequest("postcode must be a known five-digit ZIP code")
    if not proximity:
        covering = (
            m.ServiceArea.objects.filter(uri=point.county_fips).values("service_id")
            if point.county_fips
            else []
        )
        return qs.filter(service_id__in=covering) if covering else qs.none()
    try:
        meters = float(proximity)
    except ValueError as exc:
        raise BadRequest("proximity must be a number of meters") from exc
    miles = meters / METERS_PER_MILE
    placed = []
    points = {
        i.service_id: (i.lat, i.lon)
        for i in m.ListingIndex.objects.filter(service_id__in=qs.values("service_id"), lat__isnull=False)
        if i.lat is not None and i.lon is not None
    }
    for sal in qs:
        where = points.get(sal.service_id)
        if where is None:
            continue
        distance = haversine_miles(point.lat, point.lon, where[0], where[1])
        if distance <= miles:
            placed.append((distance, sal.id, sal))
    return [sal for _d, _id, sal in sorted(placed, key=lambda row: (row[0], row[1]))]


@hsds_view
def service_at_location_detail(request: HttpRequest, scope: Scope, hsds_id: str) -> HttpResponse:
    return _one(_visible_sal(scope), hsds_id, lambda sal: nested("service_at_location", sal, Gate(scope)))


@hsds_view
def taxonomies(request: HttpRequest, scope: Scope) -> HttpResponse:
    qs = m.Taxonomy.objects.order_by("name", "id")
    search = request.GET.get("search", "").strip()
    if search:
        qs = qs.filter(name__icontains=search)
    gate = Gate(scope)
    return _page(request, qs, lambda t: flat("taxonomy", t, gate))


@hsds_view
def taxonomy_detail(request: HttpRequest, scope: Scope, hsds_id: str) -> HttpResponse:
    return _one(m.Taxonomy.objects.all(), hsds_id, lambda t: flat("taxonomy", t, Gate(scope)))


@hsds_view
def taxonomy_terms(request: HttpRequest, scope: Scope) -> HttpResponse:
    qs = m.TaxonomyTerm.objects.order_by("taxonomy_id", "code", "id")
    search = request.GET.get("search", "").strip()
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(code__icontains=search))
    if request.GET.get("taxonomy_id"):
        qs = qs.filter(taxonomy_id=request.GET["taxonomy_id"].strip())
    if request.GET.get("parent_id"):
        qs = qs.filter(parent_id=request.GET["parent_id"].strip())
    if _bool(request, "top_only"):
        qs = qs.filter(parent_id="")
    gate = Gate(scope)
    return _page(request, qs, lambda t: nested("taxonomy_term", t, gate))


@hsds_view
def taxonomy_term_detail(request: HttpRequest, scope: Scope, hsds_id: str) -> HttpResponse:
    return _one(m.TaxonomyTerm.objects.all(), hsds_id, lambda t: nested("taxonomy_term", t, Gate(scope)))
