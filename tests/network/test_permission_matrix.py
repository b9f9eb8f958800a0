"""The permission matrix for the partner network's pages: every route × every role × both kinds of
organization answers exactly as the Action table says, and a refused write changes nothing. Routes
are discovered: a new page of the network room must be classified here or this test fails. Volunteers
and interns see trainings only, never anything about a youth."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.conftest import ClientFor, Persona, make_persona
from tests.factories.access import youth_with_team
from tests.factories.network import agreement
from tests.matrix import routes_under, table_counts
from threadline.access.agreements import PartnerAgreement
from threadline.access.categories import Category
from threadline.accounts.models import Organization
from threadline.audit.models import AccessEvent
from threadline.core.actions import Action, kind_of, roles_for_kind
from threadline.core.policy import may
from threadline.core.roles import Role
from threadline.network.meeting_services import program_meeting_schedule
from threadline.network.models import ProgramMeetingKind
from threadline.network.training_services import training_record

pytestmark = pytest.mark.django_db

# route -> (the action to read it, the form a POST sends, the action that POST needs)
ROUTES: dict[str, tuple[Action, dict[str, str], Action]] = {
    "network/": (Action.SEE_NETWORK, {"form": "agreement"}, Action.MANAGE_PARTNERSHIPS),
    "network/agreements/<int:agreement_id>": (
        Action.SEE_NETWORK,
        {"form": "change"},
        Action.MANAGE_PARTNERSHIPS,
    ),
    "network/meetings/": (Action.SEE_NETWORK, {"form": "schedule"}, Action.MANAGE_PARTNERSHIPS),
    "network/meetings/<int:meeting_id>": (
        Action.SEE_NETWORK,
        {"form": "minutes"},
        Action.MANAGE_PARTNERSHIPS,
    ),
    "network/meetings/<int:meeting_id>/minutes": (Action.SEE_NETWORK, {}, Action.SEE_NETWORK),  # GET only
    "network/trainings/": (Action.SEE_TRAININGS, {"form": "training"}, Action.MANAGE_PARTNERSHIPS),
    "network/trainings/<int:training_id>": (
        Action.SEE_TRAININGS,
        {"form": "attendance"},
        Action.MANAGE_PARTNERSHIPS,
    ),
    "network/plans/": (Action.WORK_NETWORK_TASKS, {"form": "plan"}, Action.MANAGE_PARTNERSHIPS),
    "network/tasks/": (
        Action.WORK_NETWORK_TASKS,
        {"done": "999999", "version": "1"},
        Action.WORK_NETWORK_TASKS,
    ),
}
GET_ONLY = {"network/meetings/<int:meeting_id>/minutes"}


def test_every_network_route_is_classified() -> None:
    assert set(routes_under("network/")) == set(ROUTES)


def network_counts() -> dict[str, int]:
    counts = table_counts("network")
    counts["agreements"] = PartnerAgreement.objects.count()
    return counts


@pytest.fixture
def world(program_admin: Persona, dfps_org: Organization) -> dict[str, int]:
    """The program's agreement, meeting and training (attended by DFPS)."""
    m = program_admin.membership
    return {
        "agreement_id": agreement(m, dfps_org, [Category.CARE_PLAN]).pk,
        "meeting_id": program_meeting_schedule(
            membership=m, kind=ProgramMeetingKind.ADVISORY_COUNCIL, scheduled_at=timezone.now()
        ).pk,
        "training_id": training_record(
            membership=m,
            topic="Matrix training",
            delivered_on=timezone.localdate() - datetime.timedelta(days=1),
            hours="1",
            attendance=[(dfps_org.pk, 3)],
        ).pk,
    }


def fill(route: str, ids: dict[str, int]) -> str:
    path = route
    for name, value in ids.items():
        path = path.replace(f"<int:{name}>", str(value))
    return "/" + path


def expected_get(persona: Persona, route: str) -> int:
    return 200 if may(persona.membership, ROUTES[route][0]) else 403


def expected_post(persona: Persona, route: str) -> int:
    read, _body, write = ROUTES[route]
    if route in GET_ONLY:
        return 405
    if not may(persona.membership, read) or not may(persona.membership, write):
        return 403
    if route == "network/tasks/":
        return 404  # no such item
    return 200  # the empty form comes back with its errors


@pytest.mark.parametrize("kind", ["care_coordinator", "partner"])
@pytest.mark.parametrize("role", Role.values)
def test_each_role_gets_exactly_what_the_action_table_says(
    world: dict[str, int],
    care_coordinator_org: Organization,
    dfps_org: Organization,
    client_for: ClientFor,
    kind: str,
    role: str,
) -> None:
    org = care_coordinator_org if kind == "care_coordinator" else dfps_org
    if role not in roles_for_kind(kind_of(org)):
        pytest.skip("this kind of organization cannot hold the role (tests/youth/test_permission_matrix.py)")
    persona = make_persona(email=f"{role}-{kind}@network-matrix.test", role=role, organization=org)
    client = client_for(persona)
    before, ledger = network_counts(), AccessEvent.objects.count()
    for route in ROUTES:
        path = fill(route, world)
        assert client.get(path).status_code == expected_get(persona, route), (route, "GET")
        body = ROUTES[route][1]
        assert client.post(path, body).status_code == expected_post(persona, route), (route, "POST")
    assert network_counts() == before  # nothing changed
    assert AccessEvent.objects.count() == ledger


def test_a_partner_sees_only_the_trainings_it_attended(
    world: dict[str, int],
    program_admin: Persona,
    probation_officer: Persona,
    dfps_caseworker: Persona,
    client_for: ClientFor,
) -> None:
    path = f"/network/trainings/{world['training_id']}"
    assert client_for(dfps_caseworker).get(path).status_code == 200
    assert client_for(probation_officer).get(path).status_code == 404
    assert "Matrix training" not in client_for(probation_officer).get("/network/trainings/").content.decode()


def test_another_programs_records_answer_404(world: dict[str, int], client_for: ClientFor) -> None:
    other = Organization.objects.create(
        name="Second Advocacy Center", org_type="cac", is_care_coordinator=True
    )
    admin = make_persona(email="admin@second.test", role=Role.PROGRAM_ADMIN, organization=other)
    client = client_for(admin)
    for route in (
        "network/agreements/<int:agreement_id>",
        "network/meetings/<int:meeting_id>",
        "network/trainings/<int:training_id>",
    ):
        assert client.get(fill(route, world)).status_code == 404, route
    assert client.get(fill("network/meetings/<int:meeting_id>/minutes", world)).status_code == 404


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.INTERN])
def test_volunteers_and_interns_see_trainings_and_nothing_about_youths(
    world: dict[str, int],
    coordinator: Persona,
    care_coordinator_org: Organization,
    client_for: ClientFor,
    role: str,
) -> None:
    youth = youth_with_team(coordinator.membership, [], preferred_name="Philomena")
    persona = make_persona(email=f"{role}@cedar.test", role=role, organization=care_coordinator_org)
    granted = {a for a in Action if may(persona.membership, a)}
    assert granted == {Action.SEE_TRAININGS}
    client = client_for(persona)
    before = AccessEvent.objects.filter(youth_id=youth.pk).count()
    home = client.get("/").content.decode()
    assert 'href="/network/trainings/"' in home and 'href="/youth/"' not in home
    assert client.get("/network/trainings/").status_code == 200
    for path in (
        "/youth/",
        "/care/",
        "/care/today",
        "/intake/referrals/",
        "/directory/staff/",
        "/outcomes/",
        "/network/",
    ):
        assert client.get(path).status_code == 403, path
    assert client.get(f"/youth/{youth.pk}/").status_code == 404
    assert "Philomena" not in client.get(f"/youth/{youth.pk}/").content.decode()
    assert client.get(f"/api/v1/youth/{youth.pk}").status_code == 404
    assert AccessEvent.objects.filter(youth_id=youth.pk).count() == before
