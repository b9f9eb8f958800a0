"""The permission matrix of issue 14's routes. Routes under a youth id (``intake/youth/<id>/move`` and
``/transfer``, ``youth/<id>/meeting``) are covered by tests/youth/test_permission_matrix.py, which
discovers them. The transfer routes that take no youth id are classified here and tried by every role
of both kinds of organization, on the sending and the receiving side: only the receiving program's
coordinators and supervisors answer; everyone else gets 403 (the role may not) or the 404 of a
transfer that does not exist (another organization's), learns nothing about the youth and changes
nothing."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import ClientFor, Persona, make_persona
from tests.factories.accounts import OrganizationFactory
from tests.factories.youth import make_youth
from tests.matrix import routes_under
from threadline.access.categories import Category
from threadline.accounts.models import Organization
from threadline.audit.models import AccessEvent
from threadline.core.actions import Action
from threadline.core.policy import may
from threadline.core.roles import OrganizationType, Role
from threadline.intake.models import Program, Transfer
from threadline.intake.transfer_services import transfer_request
from threadline.youth.models import Youth

pytestmark = pytest.mark.django_db
NAME = "Clementina"

# Every route of issue 14 without a youth id, and what it is.
CLASSIFIED = {
    "intake/transfers/": "list",
    "intake/transfers/<str:transfer_id>/answer": "answer",
}


def test_every_transfer_route_is_classified() -> None:
    assert routes_under("intake/transfers") == sorted(CLASSIFIED)
    youth_routes = [r for r in ("intake/youth/<str:youth_id>/move", "intake/youth/<str:youth_id>/transfer")]
    from tests.youth.test_permission_matrix import html_routes

    assert set(youth_routes) <= set(html_routes())
    assert "youth/<str:youth_id>/meeting" in html_routes()


@pytest.fixture
def setting(coordinator: Persona, care_coordinator_org: Organization) -> dict[str, Any]:
    receiving_org = OrganizationFactory(
        name="Mesa Verde Youth Network", org_type=OrganizationType.CAC, is_care_coordinator=True
    )
    central = Program.objects.get(slug="demo-central-texas")
    central.organization = care_coordinator_org
    central.save(update_fields=["organization"])
    five = Program.objects.get(slug="demo-five-county")
    five.organization = receiving_org
    five.save(update_fields=["organization"])
    youth = make_youth(coordinator.membership, preferred_name=NAME)
    transfer = transfer_request(
        membership=coordinator.membership,
        youth_id=youth.pk,
        to_program_id=five.pk,
        categories=[Category.IDENTITY],
        given_by="youth",
        minor_may_consent_alone=True,
        expires_at=timezone.now() + datetime.timedelta(days=30),
    )
    return {"youth": youth, "transfer": transfer, "receiving": receiving_org, "sending": care_coordinator_org}


PARTNER = {"is_care_coordinator": False, "org_type": OrganizationType.DFPS_TRAFFICKING}


def _persona(setting: dict[str, Any], side: str, role: str) -> Persona:
    org = OrganizationFactory(name="Matrix partner agency", **PARTNER) if side == "partner" else setting[side]
    return make_persona(email=f"{role}-{side}@matrix.test", role=role, organization=org)


def _state(youth: Youth) -> tuple[Any, ...]:
    return (
        list(Transfer.objects.values_list("state", "received_youth")),
        Youth.objects.count(),
        AccessEvent.objects.filter(youth_id=youth.pk).count(),
    )


SIDES = ["sending", "receiving", "partner"]


@pytest.mark.parametrize("side", SIDES)
@pytest.mark.parametrize("role", Role.values)
def test_transfer_routes_by_role_and_side(
    setting: dict[str, Any], client_for: ClientFor, side: str, role: str
) -> None:
    youth, transfer = setting["youth"], setting["transfer"]
    persona = _persona(setting, side, role)
    client = client_for(persona)
    allowed = bool(may(persona.membership, Action.TRANSFER_YOUTH))
    listing = client.get("/intake/transfers/")
    assert listing.status_code == (200 if allowed else 403)
    # No name anywhere; the sending organization links to its own record, nobody else learns it exists.
    secrets = (NAME, youth.reference) if side == "sending" else (NAME, youth.reference, str(youth.pk))
    for secret in secrets:
        assert secret not in listing.content.decode()

    before = _state(youth)
    ghost = client.post(
        "/intake/transfers/7f1c2b3a-0000-4000-8000-000000000001/answer", {"answer": "decline"}
    )
    answer = client.post(f"/intake/transfers/{transfer.pk}/answer", {"answer": "decline", "reason": "matrix"})
    if not allowed:
        assert (answer.status_code, ghost.status_code) == (403, 403)
    elif side != "receiving":
        # Not their program's transfer: exactly like one that does not exist.
        assert (answer.status_code, ghost.status_code) == (404, 404)
    else:
        assert answer.status_code == 302 and ghost.status_code == 404
        transfer.refresh_from_db()
        assert transfer.state == Transfer.State.DECLINED
        return
    assert _state(youth) == before  # nothing changed, nothing disclosed
    assert client.get(f"/intake/transfers/{transfer.pk}/answer").status_code in (403, 405)
    assert re.search(NAME, answer.content.decode()) is None


def test_the_answer_page_takes_only_post(setting: dict[str, Any], client_for: ClientFor) -> None:
    persona = _persona(setting, "receiving", Role.CARE_COORDINATOR)
    assert client_for(persona).get(f"/intake/transfers/{setting['transfer'].pk}/answer").status_code == 405
