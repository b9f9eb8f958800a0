"""A program with no owning organization (a freshly migrated demo program) is looked after by the
Care Coordinator only: a partner agency's program admin can neither see nor edit it, and a partner's
staff never see its referrals or alerts."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from tests.conftest import ClientFor, Persona, make_persona
from tests.intake.test_views_rules import rules_post
from threadline.accounts.models import Organization
from threadline.audit.models import AccessEvent
from threadline.core.roles import Role
from threadline.intake import oncall, selectors
from threadline.intake.models import Program, Referral, Region, RuleVersion
from threadline.intake.services.referrals import ReferralInput, referral_submit
from threadline.intake.services.rules import CountyLimit, rules_version_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def unowned() -> Program:
    program = Program.objects.get(slug="demo-five-county")
    assert program.organization_id is None  # as migrated
    return program


@pytest.fixture
def dfps_admin(dfps_org: Organization) -> Persona:
    """Ada, program admin at the state child-welfare unit (a partner): she manages her agency's users."""
    return make_persona(email="ada@sagebrush-dfps.test", role=Role.PROGRAM_ADMIN, organization=dfps_org)


@pytest.fixture
def dfps_supervisor(dfps_org: Organization) -> Persona:
    return make_persona(email="gil@sagebrush-dfps.test", role=Role.SUPERVISOR, organization=dfps_org)


def _edit(persona: Persona, program: Program) -> RuleVersion:
    rules = program.current_rules()
    assert rules is not None
    return rules_version_create(
        membership=persona.membership,
        program=program,
        based_on=rules.number,
        counties=[CountyLimit("Bexar", 25)],
        connections=["resides"],
        note="everyone up to 25",
    )


def test_a_partners_program_admin_can_neither_see_nor_edit_an_unowned_program(
    unowned: Program, dfps_admin: Persona, client_for: ClientFor
) -> None:
    versions = RuleVersion.objects.count()
    ledger = AccessEvent.objects.count()
    with pytest.raises(PermissionDenied):
        _edit(dfps_admin, unowned)
    client = client_for(dfps_admin)
    # A partner agency's program admin manages its people, never a program (issue 19 V8): every program
    # page is refused by role, whichever program it names.
    assert unowned.name not in client.get("/intake/programs/").content.decode()
    assert client.get(f"/intake/programs/{unowned.slug}/").status_code == 403
    assert client.post(f"/intake/programs/{unowned.slug}/", rules_post(unowned)).status_code == 403
    assert client.get(f"/intake/programs/{unowned.slug}/rota/").status_code == 403
    assert (
        client.post(
            f"/intake/programs/{unowned.slug}/rota/", {"form": "region", "region-name": "Hill Country"}
        ).status_code
        == 403
    )
    with pytest.raises(PermissionDenied):
        oncall.region_create(membership=dfps_admin.membership, program=unowned, name="Hill Country")
    assert RuleVersion.objects.count() == versions
    assert not Region.objects.filter(program=unowned).exists()
    assert AccessEvent.objects.count() == ledger
    unowned.refresh_from_db()
    assert unowned.organization_id is None


def test_the_care_coordinators_program_admin_looks_after_it(
    unowned: Program, program_admin: Persona, client_for: ClientFor
) -> None:
    assert selectors.program_is_managed_by(program=unowned, membership=program_admin.membership)
    version = _edit(program_admin, unowned)
    assert version.program_id == unowned.pk
    client = client_for(program_admin)
    assert client.get(f"/intake/programs/{unowned.slug}/").status_code == 200


def test_a_partners_staff_never_see_the_referrals_of_an_unowned_program(
    unowned: Program, dfps_supervisor: Persona, coordinator: Persona
) -> None:
    referral = referral_submit(
        program=unowned,
        channel=Referral.Channel.WEB_FORM,
        data=ReferralInput(what_is_known="Sleeping in a car behind the laundromat.", youth_name="Noemi"),
    )
    assert not selectors.referral_queue(membership=dfps_supervisor.membership).exists()
    assert selectors.referral_open(membership=dfps_supervisor.membership, referral_id=referral.pk) is None
    assert unowned not in selectors.programs_for(membership=dfps_supervisor.membership)
    # The Care Coordinator's own coordinator still has it in the queue.
    assert list(selectors.referral_queue(membership=coordinator.membership)) == [referral]
