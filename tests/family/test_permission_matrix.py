"""The permission matrix of issue 14's new routes and roles: every page under a family client id, every
role in each kind of organization; and the mentor roles over every page under a youth id. Whoever may
not see a family client gets what a missing one gets, learns no name, changes nothing, leaves no row."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.conftest import ClientFor, Persona, make_persona
from tests.factories.access import guardian_add
from tests.factories.accounts import OrganizationFactory
from tests.factories.youth import make_youth
from tests.matrix import route_ids, table_counts, url_routes
from tests.youth.test_permission_matrix import KINDS, assert_indistinguishable, scrub
from threadline.audit.models import AccessEvent
from threadline.core.actions import Action
from threadline.core.policy import may
from threadline.core.roles import Role
from threadline.family.models import FamilyClient
from threadline.family.services import family_client_open

pytestmark = pytest.mark.django_db

CAREGIVER = "Marisol Quintero-Abernathy"
MENTOR_ROLES = [Role.SURVIVOR_LEADER_MENTOR, Role.PEER_MENTOR, Role.VOLUNTEER_MENTOR]


def fill(route: str, client_id: uuid.UUID) -> str:
    return "/" + re.sub(r"<(?:\w+:)?client_id>", str(client_id), route)


def family_counts() -> dict[str, int]:
    return table_counts("family")


@pytest.fixture
def family_client(coordinator: Persona, care_coordinator_org: object) -> FamilyClient:
    family = make_persona(
        email="rowan@cedar.test", role=Role.FAMILY_COORDINATOR, organization=coordinator.organization
    )
    youth = make_youth(coordinator.membership)
    caregiver = guardian_add(coordinator.membership, youth, name=CAREGIVER)
    return family_client_open(
        membership=coordinator.membership,
        youth_id=youth.pk,
        household_member_id=caregiver.pk,
        coordinator_id=family.user.pk,
    )


def test_the_matrix_knows_the_family_routes() -> None:
    assert url_routes(lambda route: "client_id" in route_ids(route)) == ["family/<str:client_id>/"]


@pytest.mark.parametrize("kind", ["same", *sorted(KINDS)])
@pytest.mark.parametrize("role", Role.values)
def test_every_role_on_every_family_client_route(
    family_client: FamilyClient, coordinator: Persona, client_for: ClientFor, kind: str, role: str
) -> None:
    org = coordinator.organization if kind == "same" else OrganizationFactory(name=f"M {kind}", **KINDS[kind])
    persona = make_persona(email=f"{role}-{kind}@matrix.test", role=role, organization=org)
    client = client_for(persona)
    sees_all = kind == "same" and bool(may(persona.membership, Action.SEE_ALL_FAMILY_CLIENTS))
    listing = client.get("/family/")
    assert listing.status_code == (200 if may(persona.membership, Action.SERVE_FAMILIES) else 403)
    assert (CAREGIVER in listing.content.decode()) == sees_all
    mentees = client.get("/mentoring/")
    assert mentees.status_code == (200 if may(persona.membership, Action.MENTOR_YOUTH) else 403)
    ghost = uuid.uuid4()
    for route in url_routes(lambda route: "client_id" in route_ids(route)):
        if sees_all:
            assert client.get(fill(route, family_client.pk)).status_code == 200
            continue
        before = (family_counts(), AccessEvent.objects.filter(object_type="family_client").count())
        for method in ("get", "post"):
            real = getattr(client, method)(fill(route, family_client.pk), {"form": "note"})
            fake = getattr(client, method)(fill(route, ghost), {"form": "note"})
            assert real.status_code == fake.status_code == 404, (method, route)
            assert scrub(real.content, family_client.pk, ghost) == scrub(
                fake.content, family_client.pk, ghost
            )
            assert CAREGIVER not in real.content.decode()
        assert (family_counts(), AccessEvent.objects.filter(object_type="family_client").count()) == before


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("role", MENTOR_ROLES)
def test_a_mentor_not_assigned_sees_no_youth_on_any_route(
    coordinator: Persona, client_for: ClientFor, kind: str, role: str
) -> None:
    youth = make_youth(coordinator.membership, preferred_name="Philomena")
    org = OrganizationFactory(name=f"Mentors {kind}", **KINDS[kind])
    mentor = make_persona(email=f"{role}@mentors.test", role=role, organization=org)
    granted = {action for action in Action if may(mentor.membership, action)}
    assert granted == {Action.MENTOR_YOUTH}  # the least access of anyone
    assert_indistinguishable(client_for(mentor), youth)
