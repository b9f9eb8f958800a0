"""A generated permission matrix: every URL and API route that takes a youth id × every role × every
consent state. Whoever may not see the youth gets exactly what a non-existent youth gets (status and
body), learns no name, changes nothing, and leaves no ledger row about that youth.

Routes are discovered, not listed: a new page or endpoint under a youth id is covered automatically.
"""

from __future__ import annotations

import datetime
import re
import uuid
from typing import Any, TypedDict

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import resolve
from django.utils import timezone

from tests import matrix
from tests.conftest import ClientFor, Persona, make_persona
from tests.factories.access import guardian_add, youth_with_team
from tests.factories.accounts import OrganizationFactory
from tests.matrix import route_ids, table_counts, url_routes
from threadline.access.categories import Category
from threadline.access.models import BreakGlass, Consent, TeamRole
from threadline.accounts.models import Membership
from threadline.accounts.services import staff_user_create
from threadline.audit.models import AccessEvent
from threadline.core.actions import Action
from threadline.core.policy import may
from threadline.core.roles import OrganizationType, Role
from threadline.youth.models import HouseholdMember, Youth
from threadline.youth.services import household_member_flag_exploiter
from threadline.youth.sharing import consent_record, consent_revoke

pytestmark = pytest.mark.django_db

NAME = "Philomena"
LEGAL = "Philomena Arriaga-Westerholt"


def html_routes() -> list[str]:
    """Every page pattern that takes a youth id, e.g. 'youth/<str:youth_id>/edit' or
    'care/<str:youth_id>/tasks/<str:task_id>' (other ids are filled with one that matches nothing)."""
    return url_routes(
        lambda route: "youth_id" in route_ids(route), skip=("api/", "django-admin/", "accounts/")
    )


def api_routes() -> list[tuple[str, str]]:
    """(method, path) of every API operation that takes a youth id."""
    return matrix.api_routes(lambda path: "youth_id" in set(re.findall(r"{(\w+)}", path)))


OTHER_ID = "7f1c2b3a-0000-4000-8000-000000000001"  # a second id (task, note, meeting...) that matches nothing


def fill(route: str, youth_id: uuid.UUID) -> str:
    path = re.sub(r"<(?:\w+:)?youth_id>", str(youth_id), route)
    path = re.sub(r"<int:\w+>", "1", path)
    return "/" + re.sub(r"<(?:\w+:)?\w+>", OTHER_ID, path)


def api_fill(path: str, youth_id: uuid.UUID) -> str:
    return re.sub(r"{\w+}", OTHER_ID, path.replace("{youth_id}", str(youth_id)))


def youth_table_counts() -> dict[str, int]:
    return table_counts("youth", "access", "care", "intake", "referrals", "family", "mentoring")


def test_the_matrix_covers_the_known_routes() -> None:
    html = html_routes()
    assert "youth/<str:youth_id>/" in html and "youth/<str:youth_id>/consents" in html
    assert ("GET", "/api/v1/youth/{youth_id}") in api_routes()
    assert ("PATCH", "/api/v1/youth/{youth_id}") in api_routes()


STATES = ["none", "active", "expired", "revoked", "other_organization", "alleged_exploiter"]
NO_YOUTH_ROLES = [
    Role.PROGRAM_ADMIN,
    Role.DIRECTORY_ADMIN,
    Role.AUDITOR,
    Role.ANALYST,
    Role.VOLUNTEER,
    Role.INTERN,
]


class World(TypedDict):
    youth: Youth
    guardian: HouseholdMember
    coordinator: Persona
    partner: Persona
    other_partner: Persona


@pytest.fixture
def world(coordinator: Persona, dfps_caseworker: Persona, probation_officer: Persona) -> World:
    youth = youth_with_team(
        coordinator.membership,
        [(dfps_caseworker.organization, TeamRole.OTHER), (probation_officer.organization, TeamRole.OTHER)],
        preferred_name=NAME,
        legal_name=LEGAL,
    )
    guardian = guardian_add(coordinator.membership, youth, name="Guardian")
    return {
        "youth": youth,
        "guardian": guardian,
        "coordinator": coordinator,
        "partner": dfps_caseworker,
        "other_partner": probation_officer,
    }


def set_state(world: World, state: str, categories: list[str]) -> None:
    coordinator, youth = world["coordinator"], world["youth"]

    def grant(org_id: int) -> Consent:
        return consent_record(
            membership=coordinator.membership,
            youth_id=youth.pk,
            organization_id=org_id,
            categories=categories,
            purpose="matrix",
            given_by="parent_guardian",
            guardian_id=world["guardian"].pk,
        )

    partner_org = world["partner"].organization.pk
    if state == "active":
        grant(partner_org)
    elif state == "expired":
        consent = grant(partner_org)
        Consent.objects.filter(pk=consent.pk).update(
            starts_at=timezone.now() - datetime.timedelta(days=10),
            expires_at=timezone.now() - datetime.timedelta(minutes=1),
        )
    elif state == "revoked":
        consent = grant(partner_org)
        consent_revoke(membership=coordinator.membership, youth_id=youth.pk, consent_id=consent.pk)
    elif state == "other_organization":
        grant(world["other_partner"].organization.pk)
    elif state == "alleged_exploiter":
        grant(partner_org)
        household_member_flag_exploiter(
            membership=coordinator.membership, youth_id=youth.pk, member_id=world["guardian"].pk
        )


def scrub(body: bytes, youth_id: uuid.UUID, other_id: uuid.UUID) -> str:
    text = body.decode(errors="replace")
    text = re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', "", text)
    return text.replace(str(youth_id), "ID").replace(str(other_id), "ID")


HTTP_METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}


def allowed_methods(path: str) -> set[str] | None:
    """The methods a page's view accepts (``require_POST`` and friends), None when it accepts any."""
    func: Any = resolve(path).func
    while func is not None:
        for cell in getattr(func, "__closure__", None) or ():
            value = cell.cell_contents
            if isinstance(value, (list, tuple)) and value and set(value) <= HTTP_METHODS:
                return set(value)
        func = getattr(func, "__wrapped__", None)
    return None


def expected_html(method: str, path: str) -> int:
    """A refusal is the 404 of a missing youth; 405 only where the page never takes this method."""
    allowed = allowed_methods(path)
    return 405 if allowed is not None and method.upper() not in allowed else 404


def expected_api(method: str, path: str) -> int:
    """An empty body where the operation requires fields is a 422 for everyone, before any lookup
    (the contract validates first); otherwise a refusal is the 404 of a missing youth, never a 403."""
    schema = matrix.api_schema()
    body = schema["paths"][path][method.lower()].get("requestBody")
    if body is None:
        return 404
    ref = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    return 422 if schema["components"]["schemas"][ref].get("required") else 404


def assert_indistinguishable(client: Client, youth: Youth) -> None:
    ghost = uuid.uuid4()
    before_counts = youth_table_counts()
    before_ledger = AccessEvent.objects.filter(youth_id=youth.pk).count()
    for route in html_routes():
        for method in ("get", "post"):
            real = getattr(client, method)(fill(route, youth.pk))
            fake = getattr(client, method)(fill(route, ghost))
            assert real.status_code == fake.status_code, (method, route, real.status_code, fake.status_code)
            assert real.status_code == expected_html(method, fill(route, youth.pk)), (
                method,
                route,
                real.status_code,
            )
            assert scrub(real.content, youth.pk, ghost) == scrub(fake.content, youth.pk, ghost), (
                method,
                route,
            )
            for secret in (NAME, "Arriaga", youth.reference):
                assert secret not in real.content.decode(errors="replace"), (method, route)
    for method, path in api_routes():
        send = getattr(client, method.lower())
        real = send(api_fill(path, youth.pk), {}, content_type="application/json")
        fake = send(api_fill(path, ghost), {}, content_type="application/json")
        assert real.status_code == fake.status_code, (method, path, real.status_code, fake.status_code)
        assert real.status_code == expected_api(method, path), (method, path, real.status_code)
        assert scrub(real.content, youth.pk, ghost) == scrub(fake.content, youth.pk, ghost), (method, path)
    assert youth_table_counts() == before_counts  # nothing changed
    assert AccessEvent.objects.filter(youth_id=youth.pk).count() == before_ledger  # nothing disclosed


@pytest.mark.parametrize("state", [state for state in STATES if state != "active"])
def test_partner_without_a_valid_consent_sees_nothing(
    world: World, client_for: ClientFor, state: str
) -> None:
    set_state(world, state, [Category.IDENTITY, Category.CARE_PLAN, Category.CASE_NOTES])
    assert_indistinguishable(client_for(world["partner"]), world["youth"])


@pytest.mark.parametrize("role", NO_YOUTH_ROLES)
@pytest.mark.parametrize("state", ["none", "active"])
def test_roles_that_do_not_work_with_youth_see_nothing(
    world: World, client_for: ClientFor, role: Role, state: str
) -> None:
    set_state(world, state, [Category.IDENTITY])
    persona = make_persona(
        email=f"{role}@cedar.test", role=role, organization=world["coordinator"].organization
    )
    assert_indistinguishable(client_for(persona), world["youth"])


@pytest.mark.parametrize("role", [Role.CSEY_ADVOCATE, Role.FAMILY_COORDINATOR, Role.CARE_COORDINATOR])
def test_coordinator_agency_staff_not_on_this_team_see_nothing(
    world: World, client_for: ClientFor, role: Role
) -> None:
    other_cc = OrganizationFactory(name="Second Advocacy Center", is_care_coordinator=True)
    persona = make_persona(email=f"{role}@second.test", role=role, organization=other_cc)
    assert_indistinguishable(client_for(persona), world["youth"])


def test_partner_with_consent_sees_only_that_category(world: World, client_for: ClientFor) -> None:
    set_state(world, "active", [Category.CARE_PLAN])
    client = client_for(world["partner"])
    youth = world["youth"]
    for route in html_routes():
        response = client.get(fill(route, youth.pk))
        assert response.status_code in (200, 302, 403, 404, 405), route
        assert NAME not in response.content.decode(errors="replace"), route
    for method, path in api_routes():
        if method == "GET":
            response = client.get(api_fill(path, youth.pk))
            assert NAME not in response.content.decode(errors="replace"), path


@pytest.mark.parametrize("who", ["coordinator", "supervisor"])
def test_care_coordinator_team_sees_the_record(
    world: World, client_for: ClientFor, supervisor: Persona, who: str
) -> None:
    persona = world["coordinator"] if who == "coordinator" else supervisor
    client = client_for(persona)
    youth = world["youth"]
    for route in html_routes():
        response = client.get(fill(route, youth.pk))
        assert response.status_code in (200, 302, 405), (route, response.status_code)
    response = client.get(f"/api/v1/youth/{youth.pk}")
    assert response.status_code == 200 and response.json()["preferred_name"] == NAME


# --- Roles × kinds of organization (issue 19 V8) -----------------------------------------------------------

KINDS = {
    "care_coordinator": {"is_care_coordinator": True, "org_type": OrganizationType.CAC},
    "partner": {"is_care_coordinator": False, "org_type": OrganizationType.DFPS_TRAFFICKING},
}
# Only these (kind, role) pairs may exist; everything else is refused when the membership is made.
HELD = {("care_coordinator", role) for role in Role.values} | {
    ("partner", Role.PARTNER_STAFF),
    ("partner", Role.SUPERVISOR),
    ("partner", Role.PROGRAM_ADMIN),
    ("partner", Role.AUDITOR),
    ("partner", Role.ANALYST),
    # Issue 14: a survivor-leader organization's mentors.
    ("partner", Role.SURVIVOR_LEADER_MENTOR),
    ("partner", Role.PEER_MENTOR),
    ("partner", Role.VOLUNTEER_MENTOR),
}
CARE_COORDINATOR_ONLY = {
    Action.BREAK_GLASS,
    Action.REVIEW_BREAK_GLASS,
    Action.CREATE_YOUTH,
    Action.TAKE_REFERRALS,
    Action.MANAGE_PROGRAM,
    Action.MANAGE_DIRECTORY,
    Action.VIEW_AUDIT_ALL_ORGANIZATIONS,
}


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("role", Role.values)
def test_roles_by_kind_of_organization(world, client_for, kind: str, role: str) -> None:  # type: ignore[no-untyped-def]
    """Each role in each kind of organization, even one forced into the database: it may hold the role
    or not; a partner never breaks the glass, never reads another organization's ledger rows, never
    checks eligibility; and someone without a consent learns nothing about the youth."""
    youth = world["youth"]
    org = OrganizationFactory(name=f"Matrix {kind} agency", **KINDS[kind])
    admin = make_persona(email=f"admin-{kind}@matrix.test", role=Role.PROGRAM_ADMIN, organization=org)

    held = (kind, role) in HELD
    if held:
        staff_user_create(
            membership=admin.membership, email=f"{role}@matrix.test", full_name="New", role=role
        )
    else:
        with pytest.raises(ValidationError):
            staff_user_create(
                membership=admin.membership, email=f"{role}@matrix.test", full_name="New", role=role
            )
        with pytest.raises(ValidationError):
            Membership(user=admin.user, organization=org, role=role).full_clean()
    # Forced in (an old row, a slip in the admin): the kind still decides what the role may do.
    persona = make_persona(email=f"{role}-{kind}@matrix.test", role=role, organization=org)
    granted = {action for action in Action if may(persona.membership, action)}
    if not held:
        assert granted == set()
    if kind == "partner":
        assert granted & CARE_COORDINATOR_ONLY == set()

    client = client_for(persona)
    before = AccessEvent.objects.filter(youth_id=youth.pk).count()
    glass = client.post(
        "/youth/emergency-access",
        {"reference": youth.reference, "reason": "Called from a stranger's phone, in danger now"},
    )
    # The matrix organization is on no team of this youth; another Care Coordinator serves it.
    assert glass.status_code in (200, 403)
    assert client.get(f"/youth/{youth.pk}/").status_code == 404
    assert NAME not in glass.content.decode()
    assert AccessEvent.objects.filter(youth_id=youth.pk).count() == before

    ledger_page = client.get("/audit/")
    if Action.VIEW_AUDIT in granted:
        assert ledger_page.status_code == 200
        html = ledger_page.content.decode()
        coordinator_email = world["coordinator"].user.email
        assert (coordinator_email in html) == (Action.VIEW_AUDIT_ALL_ORGANIZATIONS in granted)
    else:
        assert ledger_page.status_code == 403

    eligibility = client.post(
        "/api/v1/eligibility/check",
        {"program": "demo-five-county", "county": "Bexar", "age": 15},
        content_type="application/json",
    )
    assert eligibility.status_code == (200 if Action.TAKE_REFERRALS in granted else 403)


def test_a_partner_supervisor_cannot_break_the_glass(world, client_for) -> None:  # type: ignore[no-untyped-def]
    """The probe: DFPS's supervisor broke the glass on a youth DFPS had no consent for, and read the name."""
    supervisor = make_persona(
        email="gil@sagebrush-dfps.test", role=Role.SUPERVISOR, organization=world["partner"].organization
    )
    client = client_for(supervisor)
    response = client.post(
        "/youth/emergency-access",
        {"reference": world["youth"].reference, "reason": "Called from a stranger's phone, in danger now"},
    )
    assert response.status_code == 403
    assert not BreakGlass.objects.exists()
    assert client.get(f"/youth/{world['youth'].pk}/").status_code == 404
