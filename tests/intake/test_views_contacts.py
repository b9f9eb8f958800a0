"""The contact log page: a call recorded with one tap on the defaults."""

from __future__ import annotations

import pytest

from tests.conftest import ClientFor, Persona
from threadline.intake.models import Contact

pytestmark = pytest.mark.django_db


def test_record_a_call_with_the_defaults(coordinator: Persona, client_for: ClientFor) -> None:
    client = client_for(coordinator)
    page = client.get("/intake/contacts/")
    assert page.status_code == 200
    response = client.post(
        "/intake/contacts/",
        {
            "channel": "hotline_call",
            "caller_role": "unknown",
            "crisis": "none",
            "outcome": "information",
            "language": "es",
        },
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert (contact.channel, contact.anonymous, contact.language, contact.recorded_by) == (
        "hotline_call",
        True,
        "es",
        coordinator.user,
    )
    assert "Hotline call" in client.get("/intake/contacts/").content.decode()


def test_bad_choice_keeps_the_note(coordinator: Persona, client_for: ClientFor) -> None:
    response = client_for(coordinator).post(
        "/intake/contacts/",
        {
            "channel": "pigeon",
            "caller_role": "unknown",
            "crisis": "none",
            "outcome": "information",
            "language": "en",
            "message": "asked about shelters",
        },
    )
    assert response.status_code == 422
    assert "asked about shelters" in response.content.decode()
    assert not Contact.objects.exists()


def test_partner_staff_cannot_see_the_log(
    coordinator: Persona, dfps_caseworker: Persona, client_for: ClientFor
) -> None:
    client_for(coordinator).post(
        "/intake/contacts/",
        {"channel": "text", "caller_role": "youth", "crisis": "high", "outcome": "pending", "language": "en"},
    )
    client = client_for(dfps_caseworker)
    assert client.get("/intake/contacts/").status_code == 403
    assert client.post("/intake/contacts/", {"channel": "text"}).status_code == 403
    assert Contact.objects.count() == 1
