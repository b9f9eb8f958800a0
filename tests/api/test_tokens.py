"""Personal access tokens: hashed at rest, one organization, expiring, revocable, re-checked every call."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import ClientFor, Persona
from threadline.accounts.models import ApiToken, Membership, Organization
from threadline.accounts.services import api_token_issue, api_token_revoke, user_deactivate

pytestmark = pytest.mark.django_db


def call(raw: str, path: str = "/api/v1/me") -> tuple[int, dict[str, Any]]:
    response = Client().get(path, HTTP_AUTHORIZATION=f"Bearer {raw}")
    return response.status_code, response.json()


def test_token_acts_for_one_organization_and_is_hashed_at_rest(
    dfps_caseworker: Persona, probation_org: Organization
) -> None:
    Membership.objects.create(user=dfps_caseworker.user, organization=probation_org, role="partner_staff")
    issued = api_token_issue(membership=dfps_caseworker.membership, name="case system sync")
    status, body = call(issued.raw)
    assert status == 200
    assert body["organization_id"] == dfps_caseworker.organization.pk
    stored = ApiToken.objects.get(pk=issued.token.pk)
    assert issued.raw not in {stored.token_hash, stored.prefix, stored.name}
    assert len(stored.token_hash) == 64


def test_expired_token_is_refused(dfps_caseworker: Persona) -> None:
    issued = api_token_issue(membership=dfps_caseworker.membership, name="sync", days=1)
    assert call(issued.raw)[0] == 200
    ApiToken.objects.filter(pk=issued.token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    status, body = call(issued.raw)
    assert status == 401
    assert "email" not in body


def test_revoked_token_is_refused_on_the_next_call(dfps_caseworker: Persona) -> None:
    issued = api_token_issue(membership=dfps_caseworker.membership, name="sync")
    assert call(issued.raw)[0] == 200
    api_token_revoke(user=dfps_caseworker.user, token_id=issued.token.pk)
    assert call(issued.raw)[0] == 401


def test_token_dies_with_its_membership_or_account(dfps_caseworker: Persona, program_admin: Persona) -> None:
    issued = api_token_issue(membership=dfps_caseworker.membership, name="sync")
    Membership.objects.filter(pk=dfps_caseworker.membership.pk).update(is_active=False)
    assert call(issued.raw)[0] == 401
    Membership.objects.filter(pk=dfps_caseworker.membership.pk).update(is_active=True)
    assert call(issued.raw)[0] == 200
    dfps_caseworker.user.is_active = False
    dfps_caseworker.user.save(update_fields=["is_active"])
    assert call(issued.raw)[0] == 401


def test_garbage_tokens_are_401_not_500() -> None:
    for raw in ["", "x", "tl_" + "a" * 300, "Bearer Bearer", "\u00e9\u00e9"]:
        response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert response.status_code == 401


def test_token_lifetime_is_bounded(dfps_caseworker: Persona) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        api_token_issue(membership=dfps_caseworker.membership, name="forever", days=10_000)
    assert ApiToken.objects.count() == 0


def test_someone_elses_token_cannot_be_revoked(dfps_caseworker: Persona, probation_officer: Persona) -> None:
    issued = api_token_issue(membership=dfps_caseworker.membership, name="sync")
    with pytest.raises(ApiToken.DoesNotExist):
        api_token_revoke(user=probation_officer.user, token_id=issued.token.pk)
    assert ApiToken.objects.get(pk=issued.token.pk).revoked_at is None


def test_tokens_page_shows_the_raw_value_once(dfps_caseworker: Persona, client_for: ClientFor) -> None:
    client = client_for(dfps_caseworker)
    response = client.post("/team/tokens/", {"name": "sync", "days": 30})
    assert response.status_code == 200
    token = ApiToken.objects.get()
    html = response.content.decode()
    assert token.prefix in html
    again = client.get("/team/tokens/").content.decode()
    assert 'data-testid="new-token"' not in again


def test_openapi_is_published() -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Threadline API"


def test_deactivated_user_token_revoked(dfps_caseworker: Persona, program_admin: Persona) -> None:
    # The caseworker also works for the admin's organization: ending that membership revokes the
    # token acting for it (the account itself lives on at its own agency, issue 9 item 4).
    here = Membership.objects.create(
        user=dfps_caseworker.user, organization=program_admin.organization, role="partner_staff"
    )
    issued = api_token_issue(membership=here, name="sync")
    user_deactivate(membership=program_admin.membership, user=dfps_caseworker.user)
    assert ApiToken.objects.get(pk=issued.token.pk).revoked_at is not None
    assert call(issued.raw)[0] == 401
