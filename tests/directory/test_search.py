"""Staff and public search: every filter, combined with AND, ranked, paginated; only what the
audience may see."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from tests.conftest import Persona
from tests.directory.conftest import Maker
from threadline.directory.audience import NETWORK, PUBLIC, Scope, scope_for
from threadline.directory.selectors import SearchQuery, search

pytestmark = pytest.mark.django_db


def names(query: SearchQuery, scope: Scope = PUBLIC, now: datetime | None = None) -> list[str]:
    return [hit.listing.name for hit in search(query, scope, now).hits]


def test_each_filter_narrows_and_filters_combine_with_and(listing: Maker) -> None:
    listing(
        "Quillmere Youth Shelter",
        languages=["en", "es"],
        populations=["lgbtq"],
        service_types=["shelter"],
        minimum_age=12,
        maximum_age=17,
    )
    listing(
        "Fennwick Legal Aid",
        languages=["en"],
        populations=["lgbtq"],
        service_types=["legal"],
        minimum_age=18,
        maximum_age=99,
    )
    listing(
        "Mossbank Counseling",
        counties=["48453"],
        zip_code="78701",
        languages=["es"],
        service_types=["mental-health"],
    )
    assert names(SearchQuery(county="48029")) == ["Fennwick Legal Aid", "Quillmere Youth Shelter"]
    assert names(SearchQuery(language="es")) == ["Mossbank Counseling", "Quillmere Youth Shelter"]
    assert names(SearchQuery(population="lgbtq", age=15)) == ["Quillmere Youth Shelter"]
    assert names(SearchQuery(service_type="legal")) == ["Fennwick Legal Aid"]
    assert names(SearchQuery(serves_minors=True)) == ["Mossbank Counseling", "Quillmere Youth Shelter"]
    assert names(SearchQuery(county="48029", language="es", population="lgbtq", serves_minors=True)) == [
        "Quillmere Youth Shelter"
    ]
    assert names(SearchQuery(county="48453", population="lgbtq")) == []


def test_distance_from_a_zip_ranks_nearest_first(listing: Maker) -> None:
    listing("Far Away Clinic", zip_code="79901", counties=["48141"])  # El Paso
    listing("Downtown Clinic", zip_code="78205")  # San Antonio
    listing("Northside Clinic", zip_code="78232")
    page = search(SearchQuery(zip_code="78205", radius_miles=25), PUBLIC)
    assert [h.listing.name for h in page.hits] == ["Downtown Clinic", "Northside Clinic"]
    assert (
        page.hits[0].distance_miles is not None
        and page.hits[1].distance_miles is not None
        and page.hits[0].distance_miles < page.hits[1].distance_miles
    )
    assert search(SearchQuery(zip_code="00000"), PUBLIC).unknown_zip


def test_open_now_and_capacity(listing: Maker) -> None:
    listing("Weekday Office", hours=("MO,TU,WE,TH,FR", "09:00", "17:00"))
    listing("Night Shelter", hours=("MO,TU,WE,TH,FR,SA,SU", "19:00", "07:00"), capacity=2)
    listing("Full Shelter", capacity=0)
    tz = ZoneInfo("America/Chicago")
    monday_noon = datetime(2026, 11, 23, 12, 0, tzinfo=tz)
    tuesday_3am = datetime(2026, 11, 24, 3, 0, tzinfo=tz)
    assert names(SearchQuery(open_now=True), now=monday_noon) == ["Weekday Office"]
    assert names(SearchQuery(open_now=True), now=tuesday_3am) == ["Night Shelter"]
    assert names(SearchQuery(capacity=True)) == ["Night Shelter"]


def test_only_vetted_listings_at_the_audiences_levels(
    listing: Maker, coordinator: Persona, dfps_caseworker: Persona
) -> None:
    listing("Public One", visibility="public")
    listing("Network One", visibility="network")
    listing("Private One", visibility="private")
    listing("Applied One", status="applied", visibility="public")
    listing("Suspended One", status="suspended", visibility="public")
    assert names(SearchQuery()) == ["Public One"]
    assert names(SearchQuery(), NETWORK) == ["Network One", "Public One"]
    assert names(SearchQuery(), scope_for(dfps_caseworker.membership)) == ["Network One", "Public One"]
    assert names(SearchQuery(), scope_for(coordinator.membership)) == [
        "Network One",
        "Private One",
        "Public One",
    ]


def test_pagination_and_text_ranking(listing: Maker) -> None:
    for n in range(5):
        listing(f"Wrenfield Service {n}")
    listing("Aid from Wrenfield")
    page = search(SearchQuery(q="wrenfield", per_page=4), PUBLIC)
    assert page.total == 6 and page.pages == 2
    assert [h.listing.name for h in page.hits][:1] == ["Wrenfield Service 0"]
    last = search(SearchQuery(q="wrenfield", per_page=4, page=2), PUBLIC)
    assert [h.listing.name for h in last.hits] == ["Wrenfield Service 4", "Aid from Wrenfield"]
    assert search(SearchQuery(q="wrenfield", per_page=4, page=99), PUBLIC).page == 2


def test_a_group_of_checkboxes_is_named_before_its_options(client: Client) -> None:
    """The barriers filter is a fieldset whose legend comes first, so a screen reader (and a reader on a
    phone) meets the question before the answers; no label points at nothing."""
    page = client.get("/directory/", headers={"accept-language": "es"}).content.decode()
    legend = page.index("<legend>Sin estas barreras</legend>")
    assert (
        page.rindex('<fieldset class="field field-group">', 0, legend)
        < legend
        < page.index('id="id_access_0"')
    )
    assert '<label for="">' not in page
