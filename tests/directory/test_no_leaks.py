"""Network, private and confidential-address data never reach the public: not through /hsds/, the
public directory pages, or a public export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from tests.conftest import ClientFor, Persona
from tests.directory.conftest import Maker
from threadline.directory import models as m

pytestmark = pytest.mark.django_db

SECRETS = [
    "Duskwater Network Only",
    "Hollowmere Private Only",
    "Cindervale Applicant",
    "77 Hidden Safehouse Road",
    "(210) 555-0199",
]


@pytest.fixture
def mixed(listing: Maker) -> m.Organization:
    listing("Bramblecrest Public Clinic", visibility="public")
    listing("Duskwater Network Only", visibility="network")
    listing("Hollowmere Private Only", visibility="private")
    listing("Cindervale Applicant", visibility="public", status="applied")
    shelter = listing(
        "Saltgrass Point Shelter",
        visibility="public",
        confidential=True,
        address="77 Hidden Safehouse Road",
        zip_code="78207",
    )
    location = m.Location.objects.get(organization_id=shelter.id)
    # the shelter's own line at its confidential location: never public either
    m.Phone.objects.create(
        id="9a1f7c4e-6a0b-4f3e-8a55-0c1d2e3f4a5b", location_id=location.id, number="(210) 555-0199"
    )
    m.Location.objects.filter(id=location.id).update(latitude=29.4301, longitude=-98.5102)
    return shelter


def _assert_clean(text: str, where: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} leaked in {where}"
    assert "29.4301" not in text and "-98.5102" not in text, f"shelter coordinates leaked in {where}"


def test_public_api_never_shows_hidden_listings_or_confidential_addresses(mixed: m.Organization) -> None:
    client = Client()
    shelter_service = m.Service.objects.get(organization_id=mixed.id)
    sal = m.ServiceAtLocation.objects.get(service_id=shelter_service.id)
    paths = [
        "/hsds/services",
        "/hsds/services?full=true",
        "/hsds/services?format=ndjson&full=true",
        "/hsds/organizations?full=true&full_service=true",
        "/hsds/service_at_locations?full=true",
        "/hsds/service_at_locations?postcode=78205&proximity=50000",
        f"/hsds/services/{shelter_service.id}",
        f"/hsds/service_at_locations/{sal.id}",
        f"/hsds/organizations/{mixed.id}?full_service=true",
    ]
    seen_shelter = False
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        text = response.getvalue().decode()
        _assert_clean(text, path)
        seen_shelter = seen_shelter or "Saltgrass Point Shelter" in text
    assert seen_shelter, "the shelter itself is public: only its address is withheld"
    body = client.get(f"/hsds/services/{shelter_service.id}").json()
    location = body["service_at_locations"][0]["location"]
    assert (
        location["location_type"] == "virtual" and "addresses" not in location and "latitude" not in location
    )


def test_public_pages_never_show_them(mixed: m.Organization) -> None:
    client = Client()
    shelter_service = m.Service.objects.get(organization_id=mixed.id)
    pages = [
        ("/directory/", client.get("/directory/")),
        ("search near a ZIP", client.post("/directory/", {"zip_code": "78205", "radius": "50"}, follow=True)),
        ("search all", client.post("/directory/", {"q": "only"}, follow=True)),
        ("shelter page", client.get(f"/directory/services/{shelter_service.id}/")),
    ]
    for where, response in pages:
        assert response.status_code == 200, where
        _assert_clean(response.content.decode(), where)
    assert "Saltgrass Point Shelter" in pages[1][1].content.decode()
    hidden = m.Service.objects.get(name="Duskwater Network Only")
    assert client.get(f"/directory/services/{hidden.id}/").status_code == 404


def test_public_export_never_contains_them(mixed: m.Organization, tmp_path: Path) -> None:
    call_command("hsds_export", str(tmp_path / "public"), visibility="public")
    text = "".join(p.read_text() for p in sorted((tmp_path / "public").rglob("*")) if p.is_file())
    _assert_clean(text, "public export")
    assert "Bramblecrest Public Clinic" in text and "Saltgrass Point Shelter" in text
    network = tmp_path / "network"
    call_command("hsds_export", str(network), visibility="network")
    network_text = "".join(p.read_text() for p in sorted(network.rglob("*")) if p.is_file())
    assert "Duskwater Network Only" in network_text
    assert "Hollowmere Private Only" not in network_text and "77 Hidden Safehouse Road" not in network_text
    call_command("hsds_export", str(tmp_path / "all"), visibility="all")
    everything = json.loads((tmp_path / "all" / "json" / "address.json").read_text())
    assert any(a["address_1"] == "77 Hidden Safehouse Road" for a in everything)


def test_distance_search_places_a_shelter_at_its_county_point_only(mixed: m.Organization) -> None:
    """Not its door, not even its ZIP code: the fixed point of its county (issue 15)."""
    from threadline.directory.geo import county_centroid, zip_point

    index = m.ListingIndex.objects.get(organization_id=mixed.id)
    centroid, own_zip = county_centroid("48029"), zip_point("78207")
    assert centroid is not None and own_zip is not None
    assert (index.lat, index.lon, index.coarse) == (centroid[0], centroid[1], True)
    assert (index.lat, index.lon) != (own_zip.lat, own_zip.lon)


def test_staff_see_a_shelter_address_only_with_permission_and_it_is_ledgered(
    mixed: m.Organization, directory_admin: Persona, dfps_caseworker: Persona, client_for: ClientFor
) -> None:
    from threadline.audit.models import AccessEvent

    service = m.Service.objects.get(organization_id=mixed.id)
    partner_html = (
        client_for(dfps_caseworker).get(f"/directory/staff/services/{service.id}/").content.decode()
    )
    _assert_clean(partner_html, "partner staff page")
    assert not AccessEvent.objects.filter(category="safe_house_address").exists()
    admin_html = client_for(directory_admin).get(f"/directory/staff/services/{service.id}/").content.decode()
    assert "77 Hidden Safehouse Road" in admin_html
    event = AccessEvent.objects.get(category="safe_house_address")
    assert (event.actor_id, event.object_id) == (directory_admin.user.pk, service.id)


def test_a_shelter_stays_confidential_through_a_csv_round_trip(mixed: m.Organization, tmp_path: Path) -> None:
    import shutil

    call_command("hsds_export", str(tmp_path / "all"), visibility="all")
    shutil.rmtree(tmp_path / "all" / "json")
    m.Location.objects.all().delete()
    m.Organization.objects.all().update(visibility="public", vetting_status="applied")
    call_command("hsds_import", str(tmp_path / "all"))  # the CSV package
    shelter_location = m.Location.objects.get(organization_id=mixed.id)
    assert shelter_location.confidential is True
    assert m.Organization.objects.get(name="Duskwater Network Only").visibility == "network"
    assert m.Organization.objects.get(id=mixed.id).vetting_status == "vetted"
