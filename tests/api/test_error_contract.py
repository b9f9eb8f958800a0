"""One API error contract: the same situation answers the same status and the same body shape in
every room, and the OpenAPI documents it (one ``Error`` schema) on every operation."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tests.conftest import Persona
from tests.factories.youth import make_youth
from threadline.api.api import api
from threadline.intake.models import Contact

pytestmark = pytest.mark.django_db


def _schema() -> dict[str, Any]:
    return api.get_openapi_schema()


def test_every_operation_documents_the_one_error_schema() -> None:
    schema = _schema()
    assert "Error" in schema["components"]["schemas"]
    ref = {"$ref": "#/components/schemas/Error"}
    operations = [(path, method, op) for path, ops in schema["paths"].items() for method, op in ops.items()]
    assert len(operations) > 10
    for path, method, op in operations:
        responses = op["responses"]
        for status in ("401", "404", "422"):
            assert responses[status]["content"]["application/json"]["schema"] == ref, (path, method, status)
        if op.get("requestBody"):
            assert {"400", "413"} <= responses.keys(), (path, method)
        # A refusal under a youth id is the 404 of a missing youth: 403 is never documented there.
        assert ("403" in responses) is ("{youth_id}" not in path), (path, method)


def test_the_openapi_declares_enforced_enums_and_lengths() -> None:
    components = _schema()["components"]["schemas"]
    contact = components["ContactIn"]["properties"]
    channel_ref = contact["channel"]["$ref"].rsplit("/", 1)[-1]
    assert components[channel_ref]["enum"] == list(Contact.Channel.values)
    assert contact["message"]["maxLength"] == 10_000
    consent = components["ConsentIn"]["properties"]
    assert consent["purpose"]["maxLength"] == 300


def test_a_too_large_body_is_413_in_the_error_schema(
    coordinator: Persona, client_for: Callable[[Persona], Client], settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = json.dumps({"channel": "text", "message": "x" * 20_000})
    response = client_for(coordinator).post("/api/v1/contacts/", body, content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {"detail": "The body is too large."}
    assert not Contact.objects.exists()


def test_refusal_is_403_outside_youth_data_and_404_under_a_youth_id(
    coordinator: Persona, dfps_caseworker: Persona, client_for: Callable[[Persona], Client]
) -> None:
    youth = make_youth(coordinator.membership)
    client = client_for(dfps_caseworker)
    contact = client.post("/api/v1/contacts/", {"channel": "text"}, content_type="application/json")
    assert (contact.status_code, contact.json()) == (403, {"detail": "Not allowed."})
    team = client.post(
        f"/api/v1/youth/{youth.pk}/team",
        {"organization_id": dfps_caseworker.organization.pk, "role": "other"},
        content_type="application/json",
    )
    assert (team.status_code, team.json()) == (404, {"detail": "Not found."})


def test_validation_names_the_field_and_a_conflict_carries_the_current_version(
    coordinator: Persona, client_for: Callable[[Persona], Client]
) -> None:
    youth = make_youth(coordinator.membership, preferred_name="Odalys")
    client = client_for(coordinator)
    bad = client.patch(
        f"/api/v1/youth/{youth.pk}",
        {"version": youth.version, "estimated_age": 99},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert [e["loc"] for e in bad.json()["errors"]] == [["body", "payload", "estimated_age"]]
    saved = client.patch(
        f"/api/v1/youth/{youth.pk}",
        {"version": youth.version, "pronouns": "she/her"},
        content_type="application/json",
    )
    assert saved.status_code == 200
    stale = client.patch(
        f"/api/v1/youth/{youth.pk}",
        {"version": youth.version, "pronouns": "they"},
        content_type="application/json",
    )
    assert stale.status_code == 409
    assert stale.json()["current_version"] == youth.version + 1
    assert stale.json()["theirs"] == {"pronouns": "she/her"}


def test_a_method_a_route_does_not_take_is_405_in_the_error_schema(
    coordinator: Persona, client_for: Callable[[Persona], Client]
) -> None:
    """An id spelled like a fixed sibling route (``/youth/search`` asked as ``/youth/{youth_id}``) reaches
    that route: its 405 answers the error contract's JSON body, not django-ninja's plain text, keeps the
    ``Allow`` header, and the OpenAPI declares it on exactly those paths."""
    response = client_for(coordinator).patch("/api/v1/youth/search", {}, content_type="application/json")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {"detail": "This address does not take this method."}
    assert response["Allow"] == "POST"
    paths = _schema()["paths"]
    documented = {path for path, ops in paths.items() if any("405" in op["responses"] for op in ops.values())}
    assert "/api/v1/youth/{youth_id}" in documented
    assert "/api/v1/youth/search" not in documented
    assert "/api/v1/contacts/" not in documented


def test_an_address_the_api_does_not_have_is_the_contracts_404(
    coordinator: Persona, client_for: Callable[[Persona], Client]
) -> None:
    client = client_for(coordinator)
    for path in ("/api/v1/no-such-room", "/api/v1/youth/1/no-such-page"):
        response = client.get(path)
        assert (response.status_code, response.json()) == (404, {"detail": "Not found."}), path
        assert response["Content-Type"] == "application/json"
