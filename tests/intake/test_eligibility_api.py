"""``POST /api/v1/eligibility/check``: the same decision as the command line; 422 for malformed input."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tests.conftest import ClientFor, Persona, make_persona
from tests.factories.accounts import OrganizationFactory
from threadline.accounts.models import Organization
from threadline.accounts.services import api_token_issue
from threadline.core.roles import Role
from threadline.intake.models import Program

pytestmark = pytest.mark.django_db
URL = "/api/v1/eligibility/check"


def post(client: Client, body: object, headers: dict[str, str] | None = None) -> tuple[int, dict[str, Any]]:
    raw = body if isinstance(body, str) else json.dumps(body)
    response = client.post(URL, raw, content_type="application/json", headers=headers)
    return response.status_code, response.json()


def test_signed_in_coordinator_gets_a_decision(coordinator: Persona, client_for: ClientFor) -> None:
    status, body = post(
        client_for(coordinator), {"program": "demo-five-county", "county": "Bexar", "age": 18}
    )
    assert status == 200
    assert body["decision"] == "eligible"
    assert body["rule_version"] == 1
    assert body["reason"]


def test_token_auth_and_zip_code(coordinator: Persona) -> None:
    issued = api_token_issue(membership=coordinator.membership, name="intake gateway")
    status, body = post(
        Client(),
        {"program": "demo-central-texas", "zip": "76701", "age": 24, "connection": "travelling_to"},
        headers={"Authorization": f"Bearer {issued.raw}"},
    )
    assert status == 200, body
    assert (body["county"], body["decision"]) == ("McLennan", "eligible")


def test_unknown_age_and_not_eligible(coordinator: Persona, client_for: ClientFor) -> None:
    client = client_for(coordinator)
    assert post(client, {"program": "demo-five-county", "county": "Kerr"})[1]["decision"] == "needs_review"
    body = post(client, {"program": "demo-five-county", "county": "Travis", "age": 9})[1]
    assert body["decision"] == "not_eligible"
    assert body["next_steps"]["refer_out"] is True


@pytest.mark.parametrize(
    "body",
    [
        "[]",
        {},
        {"program": "demo-five-county", "age": "seventeen"},
        {"program": "demo-five-county", "age": -3},
        {"program": "demo-five-county", "age": 10**30},
        {"program": "demo-five-county", "county": "Bexar", "connection": "nearby"},
        {"program": "demo-five-county", "zip": "abcde"},
        {"program": "demo-five-county", "state": "Texas!"},
        {"program": "demo-five-county", "county": "Bexar", "date_of_birth": "2010-13-40"},
        {"program": "demo-five-county", "county": "Bexar", "date_of_birth": "2999-01-01"},
        {"program": "demo-five-county", "county": "x" * 500},
        {"program": ["demo-five-county"]},
    ],
)
def test_malformed_input_is_422_never_500(coordinator: Persona, client_for: ClientFor, body: object) -> None:
    status, answer = post(client_for(coordinator), body)
    assert status == 422, answer
    assert answer["detail"]


@pytest.mark.parametrize(
    "raw", ["{not json", "[" * 100_000 + "]" * 100_000, '{"a": ' * 50_000 + "1" + "}" * 50_000]
)
def test_unreadable_body_is_400_never_500(coordinator: Persona, client_for: ClientFor, raw: str) -> None:
    status, answer = post(client_for(coordinator), raw)
    assert (status, answer["detail"]) == (400, "The body could not be read.")


def test_unknown_program_is_404(coordinator: Persona, client_for: ClientFor) -> None:
    assert post(client_for(coordinator), {"program": "nowhere", "county": "Bexar"})[0] == 404


def test_anonymous_is_refused() -> None:
    assert post(Client(), {"program": "demo-five-county", "county": "Bexar", "age": 3})[0] == 401


def test_the_api_asks_for_the_same_action_as_the_page(
    care_coordinator_org: Organization,
    dfps_caseworker: Persona,
    client_for: Callable[[Persona], Client],
) -> None:
    """Issue 19 V8: an analyst (403 on the page) and a partner's staff get 403 from the API too."""
    analyst = make_persona(email="reese@cedar.test", role=Role.ANALYST, organization=care_coordinator_org)
    body = {"program": "demo-five-county", "county": "Bexar", "age": 15}
    for persona in (analyst, dfps_caseworker):
        client = client_for(persona)
        assert client.get("/intake/eligibility/").status_code == 403
        assert post(client, body) == (403, {"detail": "Not allowed."})  # the API error contract's 403


def test_another_organizations_program_answers_like_a_missing_one(
    coordinator: Persona, client_for: Callable[[Persona], Client]
) -> None:
    other_cc = OrganizationFactory(name="Second Advocacy Center", is_care_coordinator=True)
    Program.objects.filter(slug="demo-five-county").update(organization=other_cc)
    answer = post(client_for(coordinator), {"program": "demo-five-county", "county": "Bexar", "age": 15})
    assert answer == (404, {"detail": "Not found."})  # the API error contract's 404
