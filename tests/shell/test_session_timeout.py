"""Idle and absolute session limits, and disabling an account ends its sessions at once."""

from __future__ import annotations

import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from pytest_django import Settings

from tests.conftest import ClientFor, Persona
from threadline.accounts.services import user_deactivate
from threadline.middleware import SESSION_LAST_SEEN, SESSION_STARTED

pytestmark = pytest.mark.django_db


def age_session(client: Client, key: str, seconds: int) -> None:
    session = client.session
    session[key] = int(time.time()) - seconds
    session.save()


def test_idle_session_ends_after_15_minutes(advocate: Persona, client_for: ClientFor) -> None:
    client = client_for(advocate)
    assert client.get("/").status_code == 200
    age_session(client, SESSION_LAST_SEEN, 14 * 60)
    assert client.get("/").status_code == 200
    age_session(client, SESSION_LAST_SEEN, 16 * 60)
    response = client.get("/")
    assert response.status_code == 302 and "timeout=1" in response["Location"]
    assert client.get("/").status_code == 302  # signed out for good


def test_absolute_limit_ends_even_an_active_session(
    advocate: Persona, client_for: ClientFor, settings: Settings
) -> None:
    client = client_for(advocate)
    assert client.get("/").status_code == 200
    age_session(client, SESSION_STARTED, settings.SESSION_ABSOLUTE_TIMEOUT_MINUTES * 60 + 5)
    response = client.get("/")
    assert response.status_code == 302


def test_api_session_timeout_answers_json(advocate: Persona, client_for: ClientFor) -> None:
    client = client_for(advocate)
    assert client.get("/api/v1/me").status_code == 200
    age_session(client, SESSION_LAST_SEEN, 16 * 60)
    response = client.get("/api/v1/me")
    assert response.status_code == 401


def test_disabling_an_account_kills_its_sessions(
    advocate: Persona, program_admin: Persona, client_for: ClientFor
) -> None:
    client = client_for(advocate)
    other_device = client_for(advocate)
    assert client.get("/").status_code == 200
    user_deactivate(membership=program_admin.membership, user=advocate.user)
    assert client.get("/").status_code == 302
    assert other_device.get("/").status_code == 302
    remaining = [
        s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(advocate.user.pk)
    ]
    assert remaining == []
