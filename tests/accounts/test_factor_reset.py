"""Issue 19 (V6): a lost second factor is removed only after two different program admins of the
person's organization each confirmed who is asking; never by one admin, never by a superuser alone."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied
from django.test import Client

from tests.conftest import Persona, make_persona
from threadline.accounts.models import FactorResetRequest, Organization
from threadline.accounts.services import factor_reset_approve, factor_reset_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_admin(care_coordinator_org: Organization) -> Persona:
    """Rhea, the other program admin at the advocacy center."""
    return make_persona(email="rhea@cedar.test", role="program_admin", organization=care_coordinator_org)


def test_two_admins_remove_the_factor(
    program_admin: Persona, second_admin: Persona, advocate: Persona, client_for: Callable[[Persona], Client]
) -> None:
    phone = client_for(advocate)
    walt = client_for(program_admin)
    asked = walt.post(f"/team/{advocate.user.pk}/factor-reset", {"identity_check": "in person, staff badge"})
    assert asked.status_code == 302
    reset = FactorResetRequest.objects.get(user=advocate.user)
    assert Authenticator.objects.filter(user=advocate.user).count() == 1  # nothing removed yet
    # the admin who asked cannot approve
    assert (
        walt.post(f"/team/factor-resets/{reset.pk}/approve", {"identity_check": "again"}).status_code == 403
    )
    assert Authenticator.objects.filter(user=advocate.user).count() == 1
    rhea = client_for(second_admin)
    done = rhea.post(f"/team/factor-resets/{reset.pk}/approve", {"identity_check": "video call, badge"})
    assert done.status_code == 302
    assert Authenticator.objects.filter(user=advocate.user).count() == 0
    reset.refresh_from_db()
    assert reset.approved_by == second_admin.user
    assert phone.get("/").status_code == 302  # signed out everywhere


def test_the_person_cannot_approve_their_own_reset(program_admin: Persona, second_admin: Persona) -> None:
    reset = factor_reset_request(
        membership=program_admin.membership, user=second_admin.user, identity_check="in person"
    )
    with pytest.raises(PermissionDenied):
        factor_reset_approve(membership=second_admin.membership, reset_id=reset.pk, identity_check="me")
    assert Authenticator.objects.filter(user=second_admin.user).count() == 1


def test_another_agencys_admin_sees_nothing(
    program_admin: Persona, advocate: Persona, dfps_org: Organization, client_for: Callable[[Persona], Client]
) -> None:
    outsider = make_persona(email="gus@sagebrush-dfps.test", role="program_admin", organization=dfps_org)
    reset = factor_reset_request(
        membership=program_admin.membership, user=advocate.user, identity_check="in person"
    )
    client = client_for(outsider)
    assert client.post(f"/team/factor-resets/{reset.pk}/approve", {"identity_check": "x"}).status_code == 404
    assert client.post(f"/team/{advocate.user.pk}/factor-reset", {"identity_check": "x"}).status_code == 404
    assert Authenticator.objects.filter(user=advocate.user).count() == 1
