"""Issue 14, found across programs without leaking: a referral to Cedar Hollow's program names a youth
Bluebonnet's program serves. Cedar Hollow's coordinator is told only "this youth may be known to
another program" with Bluebonnet's name and phone: no record, no reference, no reasons, no
probability. Bluebonnet learns nothing, and one ledger row records the check without a youth."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import ClientFor, Persona, make_persona
from tests.factories.accounts import OrganizationFactory
from threadline.accounts.models import Organization
from threadline.audit.models import AccessEvent
from threadline.core.actions import Action
from threadline.core.policy import may
from threadline.core.roles import OrganizationType, Role
from threadline.intake.models import Program, Referral
from threadline.intake.services.referrals import ReferralInput, referral_submit
from threadline.youth.models import Youth
from threadline.youth.services import youth_create

pytestmark = pytest.mark.django_db

SIGNAL = "This youth may be known to another program."


@pytest.fixture
def bluebonnet() -> Organization:
    return OrganizationFactory(
        name="Bluebonnet Advocacy Center",
        org_type=OrganizationType.CAC,
        is_care_coordinator=True,
        contact_phone="254-555-0142",
    )


@pytest.fixture
def rosa(bluebonnet: Organization) -> Persona:
    return make_persona(email="rosa@bluebonnet.test", role=Role.CARE_COORDINATOR, organization=bluebonnet)


@pytest.fixture
def theirs(rosa: Persona) -> Youth:
    """A youth Bluebonnet's program serves; Cedar Hollow has never seen her."""
    return youth_create(
        membership=rosa.membership,
        preferred_name="Alejandra Ruiz Torres",
        date_of_birth=date(2010, 3, 4),
        aliases=[("street", "Smokey")],
        counties=[("McLennan", "resides")],
    )


def submit(program: Program, **fields: object) -> Referral:
    data = {"what_is_known": "Missed school all week.", "county": "Bexar"} | fields
    return referral_submit(program=program, channel=Referral.Channel.WEB_FORM, data=ReferralInput(**data))  # type: ignore[arg-type]


def page(client_for: ClientFor, persona: Persona, referral: Referral) -> str:
    response = client_for(persona).get(f"/intake/referrals/{referral.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_coordinator_is_told_whom_to_call_and_nothing_else(
    client_for: ClientFor,
    program: Program,
    coordinator: Persona,
    rosa: Persona,
    bluebonnet: Organization,
    theirs: Youth,
) -> None:
    referral = submit(program, youth_name="Alejandra Ruiz", youth_date_of_birth=date(2010, 3, 4))
    their_rows = AccessEvent.objects.filter(youth_id=theirs.pk).count()
    bluebonnet_rows = AccessEvent.objects.filter(organization=bluebonnet).count()
    html = page(client_for, coordinator, referral)
    assert SIGNAL in html
    assert "Bluebonnet Advocacy Center" in html and "254-555-0142" in html
    # Never the record: no reference, no id, no other name, no county, no reasons, no probability.
    for secret in (theirs.reference, str(theirs.pk), "Smokey", "McLennan", "Torres", "same birth date"):
        assert secret not in html, secret
    assert "match probability" not in html
    # The other program learns nothing; one ledger row of ours records the check, with no youth.
    assert AccessEvent.objects.filter(youth_id=theirs.pk).count() == their_rows
    assert AccessEvent.objects.filter(organization=bluebonnet).count() == bluebonnet_rows
    check = AccessEvent.objects.filter(action="cross_program_check").get()
    assert check.youth_id is None and check.object_id == str(referral.pk)
    assert check.organization_id == coordinator.organization.pk
    assert check.purpose == "checked whether other programs may know this youth"
    assert rosa.organization == bluebonnet


def test_no_signal_for_a_youth_nobody_else_knows(
    client_for: ClientFor, program: Program, coordinator: Persona, theirs: Youth
) -> None:
    referral = submit(program, youth_name="Marisol Quintanilla", youth_date_of_birth=date(2012, 11, 30))
    html = page(client_for, coordinator, referral)
    assert SIGNAL not in html and "Bluebonnet" not in html
    assert AccessEvent.objects.filter(action="cross_program_check").count() == 1


def test_no_signal_for_a_youth_we_serve_too(
    client_for: ClientFor, program: Program, coordinator: Persona, rosa: Persona, theirs: Youth
) -> None:
    """Served by both programs: Cedar Hollow sees its own record among the likely matches instead."""
    from threadline.access.models import TeamRole
    from threadline.youth.sharing import care_team_add

    care_team_add(
        membership=rosa.membership,
        youth_id=theirs.pk,
        organization_id=coordinator.organization.pk,
        role=TeamRole.OTHER,
    )
    referral = submit(program, youth_name="Alejandra Ruiz", youth_date_of_birth=date(2010, 3, 4))
    html = page(client_for, coordinator, referral)
    assert SIGNAL not in html
    assert theirs.reference in html


@pytest.mark.parametrize("role", [Role.CARE_COORDINATOR, Role.SUPERVISOR, Role.CSEY_ADVOCATE])
def test_who_is_told_follows_the_action_table(
    client_for: ClientFor, program: Program, care_coordinator_org: Organization, theirs: Youth, role: str
) -> None:
    persona = make_persona(email=f"{role}@cedar-matrix.test", role=role, organization=care_coordinator_org)
    referral = submit(program, youth_name="Alejandra Ruiz", youth_date_of_birth=date(2010, 3, 4))
    told = bool(may(persona.membership, Action.SEE_KNOWN_ELSEWHERE))
    assert told == (role != Role.CSEY_ADVOCATE)
    html = page(client_for, persona, referral)
    assert (SIGNAL in html) == told
    assert theirs.reference not in html
    assert AccessEvent.objects.filter(action="cross_program_check").count() == (1 if told else 0)


def test_the_other_programs_staff_learn_nothing(
    client_for: ClientFor,
    program: Program,
    coordinator: Persona,
    rosa: Persona,
    bluebonnet: Organization,
    theirs: Youth,
) -> None:
    referral = submit(program, youth_name="Alejandra Ruiz", youth_date_of_birth=date(2010, 3, 4))
    page(client_for, coordinator, referral)
    supervisor = make_persona(email="sup@bluebonnet.test", role=Role.SUPERVISOR, organization=bluebonnet)
    for persona in (rosa, supervisor):
        client = client_for(persona)
        assert client.get(f"/intake/referrals/{referral.pk}/").status_code == 404
        timeline = client.get(f"/youth/{theirs.pk}/timeline").content.decode()
        history = client.get(f"/youth/{theirs.pk}/access").content.decode()
        for html in (timeline, history):
            assert "Cedar Hollow" not in html and "cross_program" not in html
    # Bluebonnet's supervisor may read every organization's ledger rows (an installation-wide audit):
    # Cedar Hollow's row says a check was made, never whether anything was found, nor where.
    ledger = client_for(supervisor).get("/audit/").content.decode()
    row = AccessEvent.objects.get(action="cross_program_check")
    assert row.purpose == "checked whether other programs may know this youth"
    shown = [r for r in ledger.split("<tr>") if "checked whether other programs may know this youth" in r]
    assert row.youth_id is None and len(shown) == 1 and "Bluebonnet" not in shown[0].split("</tr>")[0]
