"""The security suite's world: one fictional youth known to the Care Coordinator, a partner agency with a
limited release (care plan only) and a partner agency on the care team with no release at all."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.conftest import Persona
from tests.factories.youth import make_youth
from threadline.access.categories import Category
from threadline.access.models import Consent
from threadline.intake.models import Program, Referral
from threadline.intake.services.referrals import ReferralInput, referral_submit
from threadline.youth.models import HouseholdMember, Youth
from threadline.youth.services import household_member_add
from threadline.youth.sharing import care_team_add, consent_record

# The fictional youth whose identifying data must never show up where it must not (see test_no_pii).
YOUTH_NAME = "Marisol"
YOUTH_LEGAL_NAME = "Marisol Quintanilla-Abernathy"
YOUTH_ALIAS = "Sunny Q"
YOUTH_PHONE = "+12105550187"
YOUTH_ADDRESS = "4417 Larkspur Hollow Lane"


@dataclass
class World:
    youth: Youth
    guardian: HouseholdMember
    consent: Consent
    referral: Referral
    coordinator: Persona
    limited_partner: Persona
    unconsented_partner: Persona


@pytest.fixture
def world(coordinator: Persona, dfps_caseworker: Persona, probation_officer: Persona) -> World:
    youth = make_youth(coordinator.membership, preferred_name=YOUTH_NAME, legal_name=YOUTH_LEGAL_NAME)
    for partner in (dfps_caseworker, probation_officer):
        care_team_add(
            membership=coordinator.membership,
            youth_id=youth.pk,
            organization_id=partner.organization.pk,
            role="other",
        )
    guardian = household_member_add(
        membership=coordinator.membership,
        youth_id=youth.pk,
        name="Guardian Quintanilla",
        is_guardian=True,
        is_non_offending_caregiver=True,
    )
    consent = consent_record(
        membership=coordinator.membership,
        youth_id=youth.pk,
        organization_id=dfps_caseworker.organization.pk,
        categories=[Category.CARE_PLAN],
        purpose="coordinate services",
        given_by="parent_guardian",
        guardian_id=guardian.pk,
    )
    program = Program.objects.get(slug="demo-five-county")
    program.organization = coordinator.organization
    program.save(update_fields=["organization"])
    referral = referral_submit(
        program=program,
        data=ReferralInput(what_is_known="A clear concern, fictional.", county="Bexar", age=15),
        channel="web",
    )
    return World(
        youth=youth,
        guardian=guardian,
        consent=consent,
        referral=referral,
        coordinator=coordinator,
        limited_partner=dfps_caseworker,
        unconsented_partner=probation_officer,
    )
