"""``POST /api/v1/contacts/``: the inbound channel for text, chat and e-mail gateways. Token auth,
idempotent with an Idempotency-Key header, 422 for malformed input, encrypted at rest."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from tests.conftest import Persona
from threadline.accounts.services import api_token_issue
from threadline.intake.models import Contact

pytestmark = pytest.mark.django_db
URL = "/api/v1/contacts/"


@pytest.fixture
def gateway(coordinator: Persona) -> str:
    return api_token_issue(membership=coordinator.membership, name="sms gateway").raw


def post(token: str, body: object, key: str | None = None) -> tuple[int, dict[str, Any]]:
    headers = {"Authorization": f"Bearer {token}"}
    if key is not None:
        headers["Idempotency-Key"] = key
    raw = body if isinstance(body, str) else json.dumps(body)
    response = Client().post(URL, raw, content_type="application/json", headers=headers)
    return response.status_code, response.json()


TEXT = {
    "channel": "text",
    "message": "i need help, im at the truck stop",
    "sender": "+12105550177",
    "crisis": "high",
}


def test_same_key_twice_makes_one_contact(gateway: str) -> None:
    status, first = post(gateway, TEXT, key="msg-SM123")
    assert status == 201 and first["created"] is True
    status, again = post(gateway, TEXT, key="msg-SM123")
    assert status == 200 and again["created"] is False
    assert again["id"] == first["id"]
    assert Contact.objects.count() == 1


def test_same_key_with_another_body_is_409(gateway: str) -> None:
    assert post(gateway, TEXT, key="k1")[0] == 201
    assert post(gateway, {**TEXT, "message": "something else"}, key="k1")[0] == 409
    assert Contact.objects.count() == 1


def test_without_a_key_each_delivery_is_new(gateway: str) -> None:
    assert post(gateway, TEXT)[0] == 201
    assert post(gateway, TEXT)[0] == 201
    assert Contact.objects.count() == 2


def test_words_are_encrypted_at_rest(gateway: str) -> None:
    post(gateway, TEXT, key="k2")
    with connection.cursor() as cursor:
        cursor.execute("SELECT message, sender FROM intake_contact")
        row = cursor.fetchone()
    blob = b"".join(bytes(value) for value in row)
    assert b"truck stop" not in blob and b"5550177" not in blob
    contact = Contact.objects.get()
    assert contact.message == TEXT["message"]


@pytest.mark.parametrize(
    "body",
    [
        "[]",
        {},
        {"channel": "pigeon"},
        {"channel": "text", "crisis": "extreme"},
        {"channel": "text", "message": 5},
        {"channel": "text", "message": "x" * 20_000},
        {"channel": "text", "received_at": "yesterday"},
    ],
)
def test_malformed_input_is_422(gateway: str, body: object) -> None:
    status, answer = post(gateway, body)
    assert status == 422, answer
    assert answer["detail"]
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    "raw", ["{nope", "[" * 100_000 + "]" * 100_000, '{"a": ' * 50_000 + "1" + "}" * 50_000]
)
def test_unreadable_body_is_400(gateway: str, raw: str) -> None:
    status, answer = post(gateway, raw)
    assert (status, answer["detail"]) == (400, "The body could not be read.")
    assert not Contact.objects.exists()


def test_a_long_key_is_422(gateway: str) -> None:
    assert post(gateway, TEXT, key="k" * 101)[0] == 422


def test_partner_tokens_and_anonymous_are_refused(dfps_caseworker: Persona) -> None:
    partner = api_token_issue(membership=dfps_caseworker.membership, name="partner").raw
    assert post(partner, TEXT)[0] == 403
    assert Client().post(URL, json.dumps(TEXT), content_type="application/json").status_code == 401
    assert not Contact.objects.exists()
