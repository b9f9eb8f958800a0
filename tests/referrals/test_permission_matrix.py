"""The permission matrix, extended to every referral route (pages and API). Routes are discovered, not
listed: a new page or endpoint of the referrals room must be classified here or this test fails.

Routes under a youth id are covered by tests/youth/test_permission_matrix.py (it discovers them).
Routes under a referral id are covered here: whoever may not see a referral (another agency, a
coordinator of another program, roles that do not work with youth, another provider, the provider
while it is only a draft) gets exactly what a non-existent referral gets, learns no name, changes
nothing and leaves no ledger row about the youth."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.test import Client

from tests.conftest import Persona, make_persona
from tests.factories.accounts import OrganizationFactory
from tests.matrix import api_routes, routes_under
from tests.referrals.conftest import Draft, Release
from threadline.audit.models import AccessEvent
from threadline.core.roles import Role
from threadline.directory import models as dm
from threadline.referrals import sending_services
from threadline.referrals.models import ServiceReferral

pytestmark = pytest.mark.django_db
GHOST = "7f1c2b3a-0000-4000-8000-000000000001"


BY_YOUTH = {"referrals/youth/<str:youth_id>/", "referrals/youth/<str:youth_id>/suggest"}
BY_REFERRAL = {"referrals/<str:referral_id>/", "referrals/inbox/<str:referral_id>"}
OTHERS = {
    "referrals/",
    "referrals/inbox/",
    "referrals/answer/<str:token>",
    "referrals/from-listing/<str:service_id>",
}


def test_every_referral_route_is_classified() -> None:
    assert set(routes_under("referrals/")) == BY_YOUTH | BY_REFERRAL | OTHERS
    from tests.youth.test_permission_matrix import html_routes

    assert set(html_routes()) >= BY_YOUTH  # the youth matrix covers these
    api = {path for _method, path in api_routes(lambda path: path.startswith("/api/v1/service-referrals/"))}
    assert {p for p in api if "{referral_id}" in p} == {
        "/api/v1/service-referrals/{referral_id}",
        "/api/v1/service-referrals/{referral_id}/fhir-task",
        "/api/v1/service-referrals/{referral_id}/transitions",
        "/api/v1/service-referrals/{referral_id}/contact-attempts",
        "/api/v1/service-referrals/{referral_id}/hand-off",
        "/api/v1/service-referrals/{referral_id}/feedback",
    }


def counts() -> dict[str, int]:
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.app_label in {"youth", "access", "care", "referrals", "directory"}
    }


def scrub(body: bytes, real: Any) -> str:
    text = body.decode(errors="replace")
    text = re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', "", text)
    return text.replace(str(real), "ID").replace(GHOST, "ID")


def assert_like_a_missing_referral(client: Client, referral: ServiceReferral) -> None:
    before, ledger = counts(), AccessEvent.objects.filter(youth_id=referral.youth_id).count()
    state = ServiceReferral.objects.get(pk=referral.pk).state
    for route in sorted(BY_REFERRAL):
        for method in ("get", "post"):
            path = "/" + route.replace("<str:referral_id>", "{}")
            data = {"action": "move", "to_state": "accepted"}
            real = getattr(client, method)(path.format(referral.pk), data)
            fake = getattr(client, method)(path.format(GHOST), data)
            assert (real.status_code, scrub(real.content, referral.pk)) == (
                fake.status_code,
                scrub(fake.content, referral.pk),
            ), (method, route)
            assert real.status_code in (403, 404), (method, route, real.status_code)
            assert "Paloma" not in real.content.decode(errors="replace")
    for method, path in api_routes(lambda path: path.startswith("/api/v1/service-referrals/")):
        if "{referral_id}" not in path:
            continue
        send = getattr(client, method.lower())
        body = {"to_state": "accepted"} if path.endswith("transitions") else {}
        real = send(path.replace("{referral_id}", str(referral.pk)), body, content_type="application/json")
        fake = send(path.replace("{referral_id}", GHOST), body, content_type="application/json")
        assert (real.status_code, scrub(real.content, referral.pk)) == (
            fake.status_code,
            scrub(fake.content, referral.pk),
        ), (method, path)
        assert real.status_code in (401, 403, 404, 422), (method, path, real.status_code)
    assert counts() == before
    assert AccessEvent.objects.filter(youth_id=referral.youth_id).count() == ledger
    assert ServiceReferral.objects.get(pk=referral.pk).state == state


@pytest.fixture
def sent(
    coordinator: Persona, shelter_staff: Persona, shelter: dm.Service, draft: Draft, release: Release
) -> ServiceReferral:
    release(shelter_staff.organization)
    referral = draft(shelter)
    sending_services.referral_send(membership=coordinator.membership, referral_id=referral.pk)
    return referral


OUTSIDERS = [
    ("partner", Role.PARTNER_STAFF, False),
    ("other_coordinator", Role.CARE_COORDINATOR, True),
    ("other_advocate", Role.CSEY_ADVOCATE, True),
]


@pytest.mark.parametrize(("name", "role", "is_cc"), OUTSIDERS)
def test_other_agencies_see_nothing(
    sent: ServiceReferral, client_for: Callable[[Persona], Client], name: str, role: str, is_cc: bool
) -> None:
    org = OrganizationFactory(name=f"Elsewhere {name}", is_care_coordinator=is_cc)
    persona = make_persona(email=f"{name}@elsewhere.test", role=role, organization=org)
    assert_like_a_missing_referral(client_for(persona), sent)


@pytest.mark.parametrize(
    "role", [Role.PROGRAM_ADMIN, Role.DIRECTORY_ADMIN, Role.AUDITOR, Role.ANALYST, Role.FAMILY_COORDINATOR]
)
def test_roles_that_do_not_refer_see_nothing(
    sent: ServiceReferral, coordinator: Persona, client_for: Callable[[Persona], Client], role: str
) -> None:
    persona = make_persona(email=f"{role}@cedar.test", role=role, organization=coordinator.organization)
    assert_like_a_missing_referral(client_for(persona), sent)


def test_the_provider_does_not_see_a_draft(
    shelter_staff: Persona, shelter: dm.Service, draft: Draft, client_for: Callable[[Persona], Client]
) -> None:
    assert_like_a_missing_referral(client_for(shelter_staff), draft(shelter))


def test_the_provider_sees_only_its_own_pages(
    sent: ServiceReferral, shelter_staff: Persona, client_for: Callable[[Persona], Client]
) -> None:
    client = client_for(shelter_staff)
    assert client.get(f"/referrals/{sent.pk}/").status_code == 404  # the sender's page
    assert client.get("/referrals/").status_code == 404
    assert client.get(f"/referrals/inbox/{sent.pk}").status_code == 200


def test_a_referral_of_another_provider_is_not_found(
    sent: ServiceReferral, client_for: Callable[[Persona], Client]
) -> None:
    org = OrganizationFactory(name="Another Shelter")
    persona = make_persona(email="wren@another.test", role=Role.PARTNER_STAFF, organization=org)
    client = client_for(persona)
    assert client.get("/referrals/inbox/").status_code == 200
    assert_like_a_missing_referral(client, sent)


def test_links_that_do_not_work_look_alike(client: Client) -> None:
    unknown = client.get(f"/referrals/answer/{uuid.uuid4().hex}")
    assert unknown.status_code == 404 and "This link no longer works" in unknown.content.decode()


def test_anonymous_gets_sign_in_everywhere_but_the_link(client: Client) -> None:
    for route in sorted(BY_REFERRAL | OTHERS - {"referrals/answer/<str:token>"}):
        path = "/" + re.sub(r"<str:\w+>", GHOST, route)
        assert client.get(path).status_code == 302, route
