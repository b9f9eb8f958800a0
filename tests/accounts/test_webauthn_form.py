"""The page to add a security key reads in Spanish: its name field was labelled 'Name:' (Django's default
label for allauth's unlabelled field) on an otherwise Spanish page."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from tests.conftest import PASSWORD, Persona

pytestmark = pytest.mark.django_db


def test_the_spanish_add_a_security_key_page_labels_its_name_field(
    coordinator: Persona, client_for: Callable[[Persona], Client]
) -> None:
    client = client_for(coordinator)
    client.post("/i18n/language", {"language": "es", "next": "/"})  # the footer's language form
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    response = client.get("/accounts/2fa/webauthn/add/")
    assert response.status_code == 200
    html = response.content.decode()
    label = re.search(r'<label for="id_name">([^<]*)</label>', html)
    assert label is not None and label.group(1).strip() == "Nombre:"
