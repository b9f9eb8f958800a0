"""Relocation within a program (issue 14), through real HTTP: a youth moves from the San Antonio region
to the Waco region of the central-Texas demo program; the record follows them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import ClientFor, Persona, make_persona
from tests.factories.access import consent_share, guardian_add, youth_with_team
from tests.factories.youth import make_youth
from tests.youth.main_county_rule import main_counties_off_the_rule
from threadline.access.categories import Category
from threadline.access.models import CareTeamMember, TeamRole
from threadline.accounts.models import Organization
from threadline.audit.models import AccessEvent
from threadline.core.roles import Role
from threadline.intake.demo_programs import CENTRAL_TEXAS
from threadline.intake.models import Program, Region, Relocation, Shift
from threadline.intake.routing import demo_routing_install
from threadline.youth.models import CountyConnection, TimelineEntry, Youth

pytestmark = pytest.mark.django_db

NAME = "Marisol"


@pytest.fixture
def central(care_coordinator_org: Organization) -> Program:
    program = Program.objects.get(slug="demo-central-texas")
    program.organization = care_coordinator_org
    program.save(update_fields=["organization"])
    demo_routing_install(program=program, regions=CENTRAL_TEXAS["routing"], default="San Antonio")
    return program


@pytest.fixture
def waco_oncall(care_coordinator_org: Organization) -> Persona:
    """Wren, the advocate on call for the Waco office."""
    return make_persona(email="wren@cedar.test", role=Role.CSEY_ADVOCATE, organization=care_coordinator_org)


@pytest.fixture
def regions(
    central: Program, advocate: Persona, waco_oncall: Persona, coordinator: Persona
) -> dict[str, Region]:
    """Tomas on call in San Antonio, Wren on call in Waco (both covering now); Nadia coordinates Waco."""
    now = timezone.now()
    found = {r.name: r for r in Region.objects.filter(program=central)}
    for name, person in (("San Antonio", advocate), ("Waco", waco_oncall)):
        Shift.objects.create(
            region=found[name],
            starts_at=now - timedelta(hours=2),
            ends_at=now + timedelta(hours=10),
            primary=person.user,
        )
    found["Waco"].coordinator = coordinator.user
    found["Waco"].save(update_fields=["coordinator"])
    return found


@pytest.fixture
def youth(advocate: Persona, regions: dict[str, Region]) -> Youth:
    """Opened by Tomas (the lead advocate) while the youth lived in Bexar County (San Antonio)."""
    return make_youth(
        advocate.membership, preferred_name=NAME, counties=[("Bexar", "resides"), ("Kerr", "victimized_in")]
    )


def _counties(youth: Youth) -> set[tuple[str, str]]:
    return set(CountyConnection.objects.filter(youth=youth).values_list("county", "kind"))


def test_the_new_regions_on_call_sees_the_record_after_the_move(
    client_for: ClientFor,
    coordinator: Persona,
    advocate: Persona,
    waco_oncall: Persona,
    regions: dict[str, Region],
    youth: Youth,
) -> None:
    waco = client_for(waco_oncall)
    assert waco.get(f"/youth/{youth.pk}/").status_code == 404  # not on the team yet: like a missing youth
    assert client_for(advocate).get(f"/youth/{youth.pk}/").status_code == 200

    coordinator_client = client_for(coordinator)
    page = coordinator_client.get(f"/intake/youth/{youth.pk}/move")
    assert page.status_code == 200
    assert "San Antonio" in page.content.decode()  # the region now
    response = coordinator_client.post(
        f"/intake/youth/{youth.pk}/move", {"region": regions["Waco"].pk, "county": "mclennan county"}
    )
    assert response.status_code == 302

    seen = waco.get(f"/youth/{youth.pk}/")
    assert seen.status_code == 200 and NAME in seen.content.decode()
    # The advocate did not choose to stay: they left the team and see the youth no more.
    assert client_for(advocate).get(f"/youth/{youth.pk}/").status_code == 404
    assert _counties(youth) == {("McLennan", "resides"), ("Kerr", "victimized_in")}
    move = Relocation.objects.get(youth=youth)
    assert (move.from_region, move.to_region, move.advocate_stayed) == (
        regions["San Antonio"],
        regions["Waco"],
        False,
    )
    team = CareTeamMember.objects.filter(youth=youth, ended_on__isnull=True)
    assert {(m.person_id, m.role) for m in team if m.person_id} == {
        (waco_oncall.user.pk, TeamRole.LEAD_ADVOCATE),
        (coordinator.user.pk, TeamRole.CARE_COORDINATOR),
    }
    kinds = list(TimelineEntry.objects.filter(youth=youth).values_list("kind", flat=True))
    assert kinds.count("relocated") == 1 and kinds.count("team_left") == 1 and kinds.count("team_joined") == 2
    assert AccessEvent.objects.filter(youth_id=youth.pk, action="relocate").count() == 1


def test_the_advocate_may_stay_on_the_team(
    client_for: ClientFor, advocate: Persona, waco_oncall: Persona, regions: dict[str, Region], youth: Youth
) -> None:
    # The advocate records the move themself and chooses to stay.
    response = client_for(advocate).post(
        f"/intake/youth/{youth.pk}/move",
        {"region": regions["Waco"].pk, "county": "McLennan", "keep_advocate": "on"},
    )
    assert response.status_code == 302
    assert client_for(advocate).get(f"/youth/{youth.pk}/").status_code == 200
    assert client_for(waco_oncall).get(f"/youth/{youth.pk}/").status_code == 200
    assert Relocation.objects.get(youth=youth).advocate_stayed is True


def test_the_main_county_follows_the_move(
    client_for: ClientFor, coordinator: Persona, advocate: Persona, regions: dict[str, Region]
) -> None:
    """Counted where they are now, from the move on (the column the dashboards group by)."""
    youth = make_youth(
        advocate.membership, counties=[("Bexar", "physically_present"), ("Kerr", "victimized_in")]
    )
    assert Youth.objects.get(pk=youth.pk).main_county == "Bexar"
    response = client_for(coordinator).post(
        f"/intake/youth/{youth.pk}/move", {"region": regions["Waco"].pk, "county": "McLennan"}
    )
    assert response.status_code == 302
    moved = Youth.objects.get(pk=youth.pk)
    assert (moved.main_county, moved.version) == ("McLennan", youth.version)
    assert main_counties_off_the_rule([youth.pk]) == {}


def test_a_county_outside_the_region_is_refused_and_nothing_changes(
    client_for: ClientFor,
    coordinator: Persona,
    waco_oncall: Persona,
    regions: dict[str, Region],
    youth: Youth,
) -> None:
    before = _counties(youth)
    response = client_for(coordinator).post(
        f"/intake/youth/{youth.pk}/move", {"region": regions["Waco"].pk, "county": "Bexar"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "That county is not in this region" in html and 'value="Bexar"' in html  # nothing typed is lost
    assert _counties(youth) == before
    assert Youth.objects.get(pk=youth.pk).main_county == "Bexar"
    assert not Relocation.objects.exists()
    assert client_for(waco_oncall).get(f"/youth/{youth.pk}/").status_code == 404


def test_a_region_of_another_organizations_program_is_refused(
    client_for: ClientFor, coordinator: Persona, regions: dict[str, Region], youth: Youth
) -> None:
    other = Organization.objects.create(name="Other Coordinator", org_type="cac", is_care_coordinator=True)
    five = Program.objects.get(slug="demo-five-county")
    five.organization = other
    five.save(update_fields=["organization"])
    theirs = Region.objects.create(program=five, name="Five-county area", counties=["Kerr"])
    response = client_for(coordinator).post(
        f"/intake/youth/{youth.pk}/move", {"region": theirs.pk, "county": "Kerr"}
    )
    assert response.status_code == 422
    assert not Relocation.objects.exists()


def test_who_may_not_move_a_youth(
    client_for: ClientFor,
    coordinator: Persona,
    dfps_caseworker: Persona,
    program_admin: Persona,
    regions: dict[str, Region],
) -> None:
    youth = youth_with_team(
        coordinator.membership, [(dfps_caseworker.organization, TeamRole.OTHER)], preferred_name=NAME
    )
    consent_share(
        coordinator.membership,
        youth,
        dfps_caseworker.organization,
        [Category.IDENTITY],
        guardian=guardian_add(coordinator.membership, youth),
    )
    before = _counties(youth)
    body = {"region": regions["Waco"].pk, "county": "McLennan"}
    # A partner who sees the youth's identity may not move the record: 403, nothing changed.
    assert client_for(dfps_caseworker).post(f"/intake/youth/{youth.pk}/move", body).status_code == 403
    # A program admin does not work with youths: the 404 of a missing youth.
    assert client_for(program_admin).post(f"/intake/youth/{youth.pk}/move", body).status_code == 404
    assert _counties(youth) == before
    assert not Relocation.objects.exists()
    # Nor is the partner offered the link (it was shown to anyone who may read the identity); the
    # coordinator, who may move the record, is.
    move = f'href="/intake/youth/{youth.pk}/move"'
    assert move not in client_for(dfps_caseworker).get(f"/youth/{youth.pk}/").content.decode()
    assert move in client_for(coordinator).get(f"/youth/{youth.pk}/").content.decode()


def test_the_program_admin_names_a_regions_coordinator(
    client_for: ClientFor,
    program_admin: Persona,
    coordinator: Persona,
    dfps_caseworker: Persona,
    central: Program,
) -> None:
    waco = Region.objects.get(program=central, name="Waco")
    body = {"form": "lead", "lead-region": waco.pk, "lead-coordinator": coordinator.user.pk}
    assert client_for(dfps_caseworker).post(f"/intake/programs/{central.slug}/rota/", body).status_code == 403
    waco.refresh_from_db()
    assert waco.coordinator is None
    response = client_for(program_admin).post(f"/intake/programs/{central.slug}/rota/", body)
    assert response.status_code == 302
    waco.refresh_from_db()
    assert waco.coordinator == coordinator.user
    assert AccessEvent.objects.filter(object_type="oncall_region", purpose="region coordinator").count() == 1
