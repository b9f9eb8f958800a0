"""Who may list a youth's releases of information: one rule (``Action.MANAGE_SHARING``), the same answer
on the consents page, the API and the record selector, for every role."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests.conftest import Persona, make_persona
from tests.factories.youth import make_youth
from threadline.access.categories import Category
from threadline.accounts.models import Organization
from threadline.core.roles import Role
from threadline.youth.models import Youth
from threadline.youth.policy import YouthNotFound
from threadline.youth.selectors import youth_record
from threadline.youth.services import household_member_add
from threadline.youth.sharing import care_team_add, consent_record

pytestmark = pytest.mark.django_db

# (role, organization: "coordinator" or "partner", on the youth's team personally) -> may list releases
CASES = [
    (Role.CARE_COORDINATOR, "coordinator", True, True),
    (Role.SUPERVISOR, "coordinator", False, True),
    (Role.CSEY_ADVOCATE, "coordinator", True, False),
    (Role.FAMILY_COORDINATOR, "coordinator", True, False),
    (Role.PARTNER_STAFF, "coordinator", True, False),
    (Role.PROGRAM_ADMIN, "coordinator", False, False),
    (Role.DIRECTORY_ADMIN, "coordinator", False, False),
    (Role.AUDITOR, "coordinator", False, False),
    (Role.ANALYST, "coordinator", False, False),
    (Role.PARTNER_STAFF, "partner", True, False),
    (Role.SUPERVISOR, "partner", True, False),
    (Role.CARE_COORDINATOR, "partner", True, False),
]


def _youth_with_a_release(coordinator: Persona, partner_org: Organization) -> Youth:
    youth = make_youth(coordinator.membership, preferred_name="Maribel")
    care_team_add(
        membership=coordinator.membership, youth_id=youth.pk, organization_id=partner_org.pk, role="other"
    )
    guardian = household_member_add(
        membership=coordinator.membership,
        youth_id=youth.pk,
        name="Rosalind Quist",
        is_guardian=True,
        is_non_offending_caregiver=True,
    )
    consent_record(
        membership=coordinator.membership,
        youth_id=youth.pk,
        organization_id=partner_org.pk,
        categories=[Category.IDENTITY, Category.CARE_PLAN],
        purpose="Coordinate placement",
        given_by="parent_guardian",
        guardian_id=guardian.pk,
    )
    return youth


def _selector_answer(persona: Persona, youth: Youth) -> int | None:
    """How many releases the record selector hands this person (None: the record is a 404)."""
    try:
        return len(youth_record(membership=persona.membership, youth_id=youth.pk).consents)
    except YouthNotFound:
        return None


@pytest.mark.parametrize(("role", "where", "on_team", "allowed"), CASES)
def test_listing_releases_answers_the_same_on_page_api_and_selector(
    role: str,
    where: str,
    on_team: bool,
    allowed: bool,
    coordinator: Persona,
    dfps_org: Organization,
    client_for: Callable[[Persona], Client],
) -> None:
    youth = _youth_with_a_release(coordinator, dfps_org)
    organization = coordinator.organization if where == "coordinator" else dfps_org
    persona = make_persona(email=f"{role}.{where}@consents.test", role=role, organization=organization)
    if on_team and where == "coordinator":
        care_team_add(
            membership=coordinator.membership,
            youth_id=youth.pk,
            organization_id=organization.pk,
            person_id=persona.user.pk,
            role="lead_advocate",
        )
    client = client_for(persona)
    page = client.get(f"/youth/{youth.pk}/consents")
    api = client.get(f"/api/v1/youth/{youth.pk}/consents")
    listed = _selector_answer(persona, youth)
    if allowed:
        assert (page.status_code, api.status_code) == (200, 200)
        assert len(api.json()) == 1 and listed == 1
        assert "Coordinate placement" in page.content.decode()
    else:
        assert (page.status_code, api.status_code) == (404, 404)
        assert listed in (0, None)
        assert "Coordinate placement" not in page.content.decode() + api.content.decode()
