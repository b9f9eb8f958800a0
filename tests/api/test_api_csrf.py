"""Issue 9 item 3: the API checks CSRF for browser sessions; bearer tokens are unaffected."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests.conftest import Persona
from threadline.accounts.models import ApiToken
from threadline.accounts.services import api_token_issue

pytestmark = pytest.mark.django_db


def _session_client(persona: Persona, client_for: Callable[[Persona], Client]) -> Client:
    signed_in = client_for(persona)
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = signed_in.cookies
    return strict


def test_cross_origin_post_with_only_the_cookie_is_refused(
    coordinator: Persona, client_for: Callable[[Persona], Client]
) -> None:
    issued = api_token_issue(membership=coordinator.membership, name="sync")
    client = _session_client(coordinator, client_for)
    assert client.get("/api/v1/me").status_code == 200  # reading with the cookie is fine
    response = client.post(
        f"/api/v1/tokens/{issued.token.pk}/revoke",
        HTTP_ORIGIN="https://evil.example",
        HTTP_HOST="testserver",
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "Not allowed."}  # the API error contract's 403
    assert ApiToken.objects.get(pk=issued.token.pk).revoked_at is None


def test_text_plain_json_body_with_only_the_cookie_is_refused(
    coordinator: Persona, client_for: Callable[[Persona], Client]
) -> None:
    issued = api_token_issue(membership=coordinator.membership, name="sync")
    client = _session_client(coordinator, client_for)
    response = client.post(
        f"/api/v1/tokens/{issued.token.pk}/revoke", data='{"a": 1}', content_type="text/plain"
    )
    assert response.status_code == 403
    assert ApiToken.objects.get(pk=issued.token.pk).revoked_at is None


def test_same_origin_post_with_the_csrf_token_passes(
    coordinator: Persona, client_for: Callable[[Persona], Client]
) -> None:
    issued = api_token_issue(membership=coordinator.membership, name="sync")
    client = _session_client(coordinator, client_for)
    client.get("/team/tokens/")  # any page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(f"/api/v1/tokens/{issued.token.pk}/revoke", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 204
    assert ApiToken.objects.get(pk=issued.token.pk).revoked_at is not None


def test_bearer_token_needs_no_csrf(coordinator: Persona) -> None:
    issued = api_token_issue(membership=coordinator.membership, name="sync")
    target = api_token_issue(membership=coordinator.membership, name="other")
    response = Client(enforce_csrf_checks=True).post(
        f"/api/v1/tokens/{target.token.pk}/revoke",
        HTTP_AUTHORIZATION=f"Bearer {issued.raw}",
        HTTP_ORIGIN="https://integration.example",
    )
    assert response.status_code == 204
    assert ApiToken.objects.get(pk=target.token.pk).revoked_at is not None
