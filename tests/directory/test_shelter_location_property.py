"""No sequence of searches can locate a confidential shelter (issue 15).

Two shelters in the same county, at different addresses and ZIP codes, otherwise alike: for any
sequence of searcher ZIP codes and radii, every answer about one (found or not, the distance shown,
its place in the ranking, the HSDS proximity answer) is the answer about the other, and is computed
from the county's fixed point only. So the answers are a function of coarse data: searching from
everywhere learns the county, never the street or the ZIP code.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.directory.conftest import Maker
from threadline.directory import models as m
from threadline.directory.audience import PUBLIC
from threadline.directory.geo import (
    county_centroid,
    distance_band,
    haversine_miles,
    zip_point,
    zips_in_county,
)
from threadline.directory.nearby import suggest
from threadline.directory.selectors import SearchPage, SearchQuery, search

pytestmark = pytest.mark.django_db

# Searchers from the shelters' county and the counties around it, and a few far away.
SEARCHER_ZIPS = sorted(
    {
        p.zip_code
        for fips in ("48029", "48091", "48187", "48325", "48013", "48493")
        for p in zips_in_county(fips)
    }
    | {"79901", "75201", "77002", "78701"}
)
RADII = (5, 10, 25, 50, 100)


@pytest.fixture
def shelters(listing: Maker) -> tuple[str, str]:
    a = listing("Shelter Alder", confidential=True, address="4 Hidden Row", zip_code="78205")
    b = listing("Shelter Birch", confidential=True, address="9 Quiet Lane", zip_code="78245")
    # open places around them, so that ranking among others is tested too
    listing("Clinic Downtown", zip_code="78205")
    listing("Clinic Westside", zip_code="78245")
    listing("Clinic New Braunfels", zip_code="78130", counties=["48091"])
    listing("Clinic Seguin", zip_code="78155", counties=["48187"])
    return (
        m.Service.objects.get(organization_id=a.id).id,
        m.Service.objects.get(organization_id=b.id).id,
    )


def answer(page: SearchPage, service_id: str) -> tuple[Any, ...] | None:
    for position, hit in enumerate(page.hits):
        if hit.listing.service_id == service_id:
            return (hit.distance_miles, hit.distance_band, position)
    return None


def test_the_shelters_are_indexed_far_from_their_own_zip_codes(shelters: tuple[str, str]) -> None:
    rows = {r.service_id: r for r in m.ListingIndex.objects.filter(service_id__in=shelters)}
    a, b = rows[shelters[0]], rows[shelters[1]]
    assert (a.lat, a.lon, a.cell, a.coarse) == (b.lat, b.lon, b.cell, True)
    for own in ("78205", "78245"):
        point = zip_point(own)
        assert point is not None and (a.lat, a.lon) != (point.lat, point.lon)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    searches=st.lists(
        st.tuples(st.sampled_from(SEARCHER_ZIPS), st.sampled_from(RADII)), min_size=1, max_size=6
    ),
    language=st.sampled_from(["", "en"]),
)
def test_any_sequence_of_searches_learns_only_the_county(
    shelters: tuple[str, str], searches: list[tuple[str, int]], language: str
) -> None:
    alder, birch = shelters
    centre = county_centroid("48029")
    assert centre is not None
    seen_alder, seen_birch = [], []
    for zip_code, radius in searches:
        origin = zip_point(zip_code)
        assert origin is not None
        page = search(
            SearchQuery(zip_code=zip_code, radius_miles=radius, language=language, per_page=100), PUBLIC
        )
        a, b = answer(page, alder), answer(page, birch)
        seen_alder.append(None if a is None else a[:2])
        seen_birch.append(None if b is None else b[:2])
        # found from the county's fixed point only, and shown as a band only
        from_centre = haversine_miles(origin.lat, origin.lon, centre[0], centre[1])
        if from_centre < radius * 0.98:
            assert a is not None and b is not None
        if from_centre > radius * 1.02:
            assert a is None and b is None
        if a is not None and b is not None:
            assert a[0] is None and b[0] is None
            assert a[1] == b[1] == (distance_band(from_centre) or 0)
            assert abs(a[2] - b[2]) == 1  # side by side: the ranking cannot tell them apart
        # an empty-result suggestion measures them the same way
        if not page.total:
            near = {
                n.hit.listing.service_id: n.hit for n in suggest(SearchQuery(zip_code=zip_code), PUBLIC).near
            }
            if alder in near and birch in near:
                assert near[alder].distance_band == near[birch].distance_band
        # the HSDS API's proximity search: both or neither
        meters = radius * 1609.344
        body = Client().get(f"/hsds/service_at_locations?postcode={zip_code}&proximity={meters}").json()
        services = {item.get("service", {}).get("id") or item.get("service_id") for item in body["contents"]}
        assert (alder in services) == (birch in services)
    assert seen_alder == seen_birch


@pytest.mark.parametrize("zip_code", ["78205", "78245", "78130", "78701"])
def test_service_referral_suggestions_give_a_confidential_place_only_a_band(
    listing: Maker, zip_code: str
) -> None:
    """The referral room's suggestions too: the same band for both shelters, never a finer figure."""
    from threadline.referrals.selectors import SuggestQuery
    from threadline.referrals.selectors import suggest as referral_suggest

    a = listing("Shelter Alder", confidential=True, zip_code="78205", service_types=["shelter"])
    b = listing("Shelter Birch", confidential=True, zip_code="78245", service_types=["shelter"])
    ids = [m.Service.objects.get(organization_id=o.id).id for o in (a, b)]
    query = SuggestQuery(service_types=("shelter",), zip_code=zip_code, radius_miles=250)
    found = {
        s.listing.service_id: (s.distance_miles, [str(r) for r in s.reasons if "mi" in str(r)])
        for s in referral_suggest(query, PUBLIC)
    }
    assert found[ids[0]] == found[ids[1]]
    assert found[ids[0]][0] in (10.0, 25.0, 50.0, 100.0, 101.0)
