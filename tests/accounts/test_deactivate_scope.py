"""Issue 9 item 4: a program admin ends memberships in their own organization; only the account's own
organization (or an installation admin) disables the account; foreign ids answer like missing ones."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests.conftest import Persona
from threadline.accounts.models import Membership, Organization, User

pytestmark = pytest.mark.django_db


def _page(content: bytes) -> str:
    import re

    # The CSRF token and the CSP nonce differ on every page; nothing else may.
    return re.sub(r'(X-CSRFToken": "|value="|nonce=")[A-Za-z0-9+/=_-]+', r"\1*", content.decode())


def _invite(admin_client: Client, email: str) -> int:
    response = admin_client.post(
        "/team/", {"email": email, "full_name": "Invited Person", "role": "csey_advocate", "language": "en"}
    )
    assert response.status_code == 302
    return User.objects.get(email=email).pk


def test_invite_then_deactivate_ends_only_the_own_membership(
    program_admin: Persona, dfps_caseworker: Persona, client_for: Callable[[Persona], Client]
) -> None:
    admin = client_for(program_admin)
    victim_id = _invite(admin, dfps_caseworker.user.email)
    assert victim_id == dfps_caseworker.user.pk
    response = admin.post(f"/team/{victim_id}/deactivate")
    assert response.status_code == 302
    victim = User.objects.get(pk=victim_id)
    assert victim.is_active is True  # the account lives on at its own agency
    assert Membership.objects.get(pk=dfps_caseworker.membership.pk).is_active is True
    ended = Membership.objects.get(user=victim, organization=program_admin.organization)
    assert ended.is_active is False
    assert ended.ended_at is not None
    # and the caseworker still works for their agency
    assert client_for(dfps_caseworker).get("/").status_code == 200


def test_foreign_account_id_answers_like_a_missing_one(
    program_admin: Persona, dfps_caseworker: Persona, client_for: Callable[[Persona], Client]
) -> None:
    admin = client_for(program_admin)
    foreign = admin.post(f"/team/{dfps_caseworker.user.pk}/deactivate")
    missing = admin.post("/team/987654/deactivate")
    assert foreign.status_code == 404
    assert missing.status_code == 404
    assert _page(foreign.content) == _page(missing.content)
    assert User.objects.get(pk=dfps_caseworker.user.pk).is_active is True
    assert Membership.objects.get(pk=dfps_caseworker.membership.pk).is_active is True


def test_own_organization_admin_disables_the_account(
    program_admin: Persona, advocate: Persona, client_for: Callable[[Persona], Client]
) -> None:
    advocate_client = client_for(advocate)
    response = client_for(program_admin).post(f"/team/{advocate.user.pk}/deactivate")
    assert response.status_code == 302
    assert User.objects.get(pk=advocate.user.pk).is_active is False
    assert advocate_client.get("/").status_code == 302


def test_installation_admin_disables_any_account(
    care_coordinator_org: Organization, dfps_caseworker: Persona, program_admin: Persona
) -> None:
    from threadline.accounts.services import user_deactivate

    program_admin.user.is_superuser = True
    program_admin.user.save(update_fields=["is_superuser"])
    Membership.objects.create(
        user=dfps_caseworker.user, organization=care_coordinator_org, role="partner_staff"
    )
    user_deactivate(membership=program_admin.membership, user=dfps_caseworker.user)
    assert User.objects.get(pk=dfps_caseworker.user.pk).is_active is False


def test_inviting_an_email_gives_no_power_over_its_sessions_or_factors(
    program_admin: Persona, dfps_caseworker: Persona, client_for: Callable[[Persona], Client]
) -> None:
    from allauth.mfa.models import Authenticator

    from threadline.accounts.models import FactorResetRequest

    victim = client_for(dfps_caseworker)
    admin = client_for(program_admin)
    _invite(admin, dfps_caseworker.user.email)
    assert admin.post(f"/team/{dfps_caseworker.user.pk}/sign-out").status_code == 403
    assert victim.get("/").status_code == 200
    reset = admin.post(f"/team/{dfps_caseworker.user.pk}/factor-reset", {"identity_check": "phone call"})
    assert reset.status_code == 403
    assert not FactorResetRequest.objects.filter(user=dfps_caseworker.user).exists()
    assert Authenticator.objects.filter(user=dfps_caseworker.user).count() == 1
