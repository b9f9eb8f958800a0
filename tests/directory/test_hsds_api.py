"""/hsds/: every response validates against the official schemas; anonymous callers get public
listings, partner token holders network listings too; bad input is a 4xx, never a 500."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tests.conftest import Persona
from tests.directory.conftest import Maker
from tests.directory.hsds_helpers import require_spec
from threadline.accounts.services import api_token_issue, api_token_revoke
from threadline.directory import models as m
from threadline.directory.hsds import schemas

pytestmark = pytest.mark.django_db


def get(path: str, token: str = "") -> tuple[int, dict[str, Any]]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = Client().get(path, headers=headers)
    return response.status_code, response.json()


@pytest.fixture
def directory(listing: Maker) -> tuple[m.Organization, m.Organization]:
    public = listing(
        "Sorrelridge Youth Shelter",
        visibility="public",
        populations=["serves-minors"],
        service_types=["shelter"],
        capacity=3,
        hours=("MO,TU,WE,TH,FR", "09:00", "17:00"),
    )
    network = listing("Kestrel Flats Counseling", visibility="network", service_types=["mental-health"])
    return public, network


def test_meta_and_every_list_validates(directory: tuple[m.Organization, m.Organization]) -> None:
    require_spec()
    status, body = get("/hsds/")
    assert status == 200 and body["version"].startswith("3.1") and not schemas.meta_errors(body)
    for path, item_type in [
        ("/hsds/services", "service"),
        ("/hsds/services?full=true", "service"),
        ("/hsds/organizations", "organization"),
        ("/hsds/organizations?full=true", "organization"),
        ("/hsds/service_at_locations", "service_at_location"),
        ("/hsds/service_at_locations?full=true&postcode=78205&proximity=20000", "service_at_location"),
        ("/hsds/taxonomies", "taxonomy"),
        ("/hsds/taxonomy_terms", "taxonomy_term"),
    ]:
        status, body = get(path)
        assert status == 200, path
        assert schemas.page_errors(body, item_type) == [], path
        assert body["total_items"] >= 1, path


def test_details_validate(directory: tuple[m.Organization, m.Organization]) -> None:
    require_spec()
    public, _network = directory
    service = m.Service.objects.get(organization_id=public.id)
    sal = m.ServiceAtLocation.objects.get(service_id=service.id)
    term = m.TaxonomyTerm.objects.order_by("id").first()
    assert term is not None
    for path, item_type in [
        (f"/hsds/services/{service.id}", "service"),
        (f"/hsds/organizations/{public.id}", "organization"),
        (f"/hsds/organizations/{public.id}?full_service=true", "organization"),
        (f"/hsds/service_at_locations/{sal.id}", "service_at_location"),
        (f"/hsds/taxonomy_terms/{term.id}", "taxonomy_term"),
        (f"/hsds/taxonomies/{term.taxonomy_id}", "taxonomy"),
    ]:
        status, body = get(path)
        assert status == 200, path
        assert schemas.errors(item_type, body) == [], path
    status, body = get(f"/hsds/services/{service.id}")
    assert body["organization"]["vetting"]["status"] == "vetted"
    assert body["capacities"][0]["available"] == 3
    assert {a["taxonomy_term"]["code"] for a in body["attributes"]} == {"serves-minors", "shelter"}


def test_anonymous_sees_public_partner_token_sees_network(
    directory: tuple[m.Organization, m.Organization], dfps_caseworker: Persona
) -> None:
    _public, network = directory
    network_service = m.Service.objects.get(organization_id=network.id)
    status, body = get("/hsds/services")
    assert [s["name"] for s in body["contents"]] == ["Sorrelridge Youth Shelter"]
    assert get(f"/hsds/services/{network_service.id}")[0] == 404
    assert get(f"/hsds/organizations/{network.id}")[0] == 404
    issued = api_token_issue(membership=dfps_caseworker.membership, name="directory sync")
    status, body = get("/hsds/services", issued.raw)
    assert status == 200
    assert [s["name"] for s in body["contents"]] == ["Kestrel Flats Counseling", "Sorrelridge Youth Shelter"]
    assert get(f"/hsds/services/{network_service.id}", issued.raw)[0] == 200
    api_token_revoke(user=dfps_caseworker.user, token_id=issued.token.pk)
    assert get("/hsds/services", issued.raw)[0] == 401
    assert get("/hsds/services", "tl_not-a-token")[0] == 401


def test_pagination_filters_and_ndjson(listing: Maker) -> None:
    for n in range(5):
        listing(f"Thistledown Service {n}", service_types=["legal"] if n % 2 else ["medical"])
    status, body = get("/hsds/services?per_page=2&page=3")
    assert (body["total_items"], body["total_pages"], body["page_number"], body["size"]) == (5, 3, 3, 1)
    assert body["last_page"] and not body["first_page"] and not body["empty"]
    from threadline.directory.taxonomy import SERVICE_TYPE_TAXONOMY, term_id

    status, body = get(f"/hsds/services?taxonomy_term_id={term_id(SERVICE_TYPE_TAXONOMY, 'legal')}")
    assert status == 200 and body["total_items"] == 2
    status, body = get("/hsds/services?search=service%204")
    assert status == 200
    assert [s["name"] for s in body["contents"]] == ["Thistledown Service 4"]
    _status, body = get("/hsds/services?modified_after=2999-01-01")
    assert body["empty"] and body["contents"] == []
    response = Client().get("/hsds/services?format=ndjson")
    assert response["Content-Type"] == "application/x-ndjson"
    lines = response.getvalue().decode().splitlines()
    assert len(lines) == 5 and all(json.loads(line)["id"] for line in lines)
    _status, body = get("/hsds/services?minimal=true")
    assert set(body["contents"][0]) <= {"id", "name", "status", "last_modified"}


def test_malformed_input_is_400_not_500() -> None:
    for path in [
        "/hsds/services?page=abc",
        "/hsds/services?per_page=x",
        "/hsds/services?full=maybe",
        "/hsds/services?modified_after=yesterday",
        "/hsds/services?format=xml",
        "/hsds/service_at_locations?postcode=ABCDE",
        "/hsds/service_at_locations?postcode=78205&proximity=far",
    ]:
        assert Client().get(path).status_code == 400, path
    assert Client().post("/hsds/services").status_code == 405
    assert Client().get("/hsds/services/not-an-id").status_code == 404
