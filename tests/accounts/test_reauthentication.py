"""Issue 19 (V6/V7): every account-security change asks for the password again; re-authenticating
rotates the session key."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from tests.conftest import PASSWORD, Persona

pytestmark = pytest.mark.django_db


def test_adding_an_email_needs_the_password_again(
    coordinator: Persona, client_for: Callable[[Persona], Client]
) -> None:
    client = client_for(coordinator)
    response = client.post("/accounts/email/", {"email": "taker@evil.example", "action_add": ""})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert not EmailAddress.objects.filter(email="taker@evil.example").exists()


def test_making_an_email_primary_needs_the_password_again(
    coordinator: Persona, client_for: Callable[[Persona], Client]
) -> None:
    EmailAddress.objects.create(
        user=coordinator.user, email=coordinator.user.email, primary=True, verified=True
    )
    EmailAddress.objects.create(
        user=coordinator.user, email="second@cedar.test", primary=False, verified=True
    )
    client = client_for(coordinator)
    response = client.post("/accounts/email/", {"email": "second@cedar.test", "action_primary": ""})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert EmailAddress.objects.get(email="second@cedar.test").primary is False


def test_reauthentication_rotates_the_session_key_then_allows_the_change(
    coordinator: Persona, client_for: Callable[[Persona], Client]
) -> None:
    client = client_for(coordinator)
    before = client.session.session_key
    done = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert done.status_code == 302
    after = client.session.session_key
    assert after != before
    assert client.get("/").status_code == 200  # still signed in on the new key
    old = Client()
    old.cookies["sessionid"] = str(before)
    assert old.get("/").status_code == 302  # the copied old key is worth nothing
    added = client.post("/accounts/email/", {"email": "new@cedar.test", "action_add": ""})
    assert added.status_code == 302
    assert EmailAddress.objects.filter(email="new@cedar.test", user=coordinator.user).exists()
