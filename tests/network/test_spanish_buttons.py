"""The word "Record" is a noun on the youth's pages ("Expediente") and a verb on the buttons that write
something down ("Registrar"): the buttons carry their own context, so the catalogs cannot mix them up."""

from __future__ import annotations

import re

import pytest

from tests.conftest import ClientFor, Persona

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/network/trainings/", "/network/", "/intake/contacts/"])
def test_record_buttons_say_registrar_in_spanish(
    client_for: ClientFor, coordinator: Persona, path: str
) -> None:
    coordinator.speaks("es")
    page = client_for(coordinator).get(path)
    assert page.status_code == 200
    buttons = re.findall(r"<button[^>]*>\s*([^<]*?)\s*</button>", page.content.decode())
    assert "Registrar" in buttons
    assert "Expediente" not in buttons
