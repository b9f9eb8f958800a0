"""``POST /api/v1/eligibility/check``: the same decision as the command line; 422 for malformed input."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from threadline.accounts.services import api_token_issue

pytestmark = pytest.mark.django_db
URL = "/api/v1/eligibility/check"


def post(client: Client, body: object, **extra: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    raw = body if isinstance(body, str) else json.dumps(body)
    response = client.post(URL, raw, content_type="application/json", **extra)  # type: ignore[arg-type]
    return response.status_code, response.json()


def test_signed_in_coordinator_gets_a_decision(coordinator, client_for) -> None:  # type: ignore[no-untyped-def]
    status, body = post(
        client_for(coordinator), {"program": "demo-five-county", "county": "Bexar", "age": 18}
    )
    assert status == 200
    assert body["decision"] == "eligible"
    assert body["rule_version"] == 1
    assert body["reason"]


def test_token_auth_and_zip_code(dfps_caseworker) -> None:  # type: ignore[no-untyped-def]
    issued = api_token_issue(membership=dfps_caseworker.membership, name="intake gateway")
    status, body = post(
        Client(),
        {"program": "demo-central-texas", "zip": "76701", "age": 24, "connection": "travelling_to"},
        HTTP_AUTHORIZATION=f"Bearer {issued.raw}",
    )
    assert status == 200, body
    assert (body["county"], body["decision"]) == ("McLennan", "eligible")


def test_unknown_age_and_not_eligible(coordinator, client_for) -> None:  # type: ignore[no-untyped-def]
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
def test_malformed_input_is_422_never_500(coordinator, client_for, body) -> None:  # type: ignore[no-untyped-def]
    status, answer = post(client_for(coordinator), body)
    assert status == 422, answer
    assert answer["detail"]


@pytest.mark.parametrize(
    "raw", ["{not json", "[" * 100_000 + "]" * 100_000, '{"a": ' * 50_000 + "1" + "}" * 50_000]
)
def test_unreadable_body_is_400_never_500(coordinator, client_for, raw: str) -> None:  # type: ignore[no-untyped-def]
    status, answer = post(client_for(coordinator), raw)
    assert (status, answer["detail"]) == (400, "The body could not be read.")


def test_unknown_program_is_404(coordinator, client_for) -> None:  # type: ignore[no-untyped-def]
    assert post(client_for(coordinator), {"program": "nowhere", "county": "Bexar"})[0] == 404


def test_anonymous_is_refused() -> None:
    assert post(Client(), {"program": "demo-five-county", "county": "Bexar", "age": 3})[0] == 401
