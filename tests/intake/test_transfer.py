"""Transfer to another program on the same installation (issue 14), through real HTTP. The central-Texas
demo program (Cedar Hollow) transfers a youth to the five-county demo program, run here by another Care
Coordinator organization (Mesa Verde). Only the consented categories travel; until acceptance the
sending advocate stays responsible; after it, the sending team keeps its own history and sees nothing
new."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.conftest import ClientFor, Persona, make_persona
from tests.factories.accounts import OrganizationFactory
from tests.factories.youth import make_youth
from threadline.access.categories import Category
from threadline.access.models import Consent, ConsentState
from threadline.accounts.models import Organization
from threadline.audit.models import AccessEvent
from threadline.core.roles import OrganizationType, Role
from threadline.intake.models import Program, Transfer
from threadline.youth.models import (
    HouseholdMember,
    MissingEpisode,
    Placement,
    PlacementAddress,
    TimelineEntry,
    Youth,
)
from threadline.youth.services import household_member_add, missing_episode_open, placement_add
from threadline.youth.sharing import consent_revoke

pytestmark = pytest.mark.django_db

NAME = "Esperanza"
SCHOOL = "Lantana Middle School"
ADDRESS = "12 Quail Run, Fictional Springs"


@pytest.fixture
def mesa_verde(db: None) -> Organization:
    return OrganizationFactory(
        name="Mesa Verde Youth Network", org_type=OrganizationType.CAC, is_care_coordinator=True
    )


@pytest.fixture
def receiving(mesa_verde: Organization) -> Persona:
    """Rosa, care coordinator of the receiving program."""
    return make_persona(email="rosa@mesaverde.test", role=Role.CARE_COORDINATOR, organization=mesa_verde)


@pytest.fixture
def programs(care_coordinator_org: Organization, mesa_verde: Organization) -> dict[str, Program]:
    central = Program.objects.get(slug="demo-central-texas")
    central.organization = care_coordinator_org
    central.save(update_fields=["organization"])
    five = Program.objects.get(slug="demo-five-county")
    five.organization = mesa_verde
    five.save(update_fields=["organization"])
    return {"central": central, "five": five}


@pytest.fixture
def youth(advocate: Persona, coordinator: Persona, programs: dict[str, Program]) -> Youth:
    """Opened by Tomas; a full record: identity, school, legal status, a placement with its address,
    a missing episode, a household with an alleged exploiter."""
    youth = make_youth(
        advocate.membership,
        preferred_name=NAME,
        school=SCHOOL,
        legal_status="probation",
        languages=["Spanish"],
    )
    household_member_add(
        membership=coordinator.membership,
        youth_id=youth.pk,
        name="Older friend",
        alleged_exploiter=True,
        contact_restrictions="No contact.",
    )
    placement_add(
        membership=coordinator.membership,
        youth_id=youth.pk,
        placement_type="kinship",
        started_on=timezone.localdate() - datetime.timedelta(days=20),
        address=ADDRESS,
    )
    missing_episode_open(
        membership=coordinator.membership,
        youth_id=youth.pk,
        started_at=timezone.now() - datetime.timedelta(days=3),
    )
    return youth


def _request(
    client_for: ClientFor, coordinator: Persona, youth: Youth, programs: dict[str, Program]
) -> Transfer:
    client = client_for(coordinator)
    assert client.get(f"/intake/youth/{youth.pk}/transfer").status_code == 200
    response = client.post(
        f"/intake/youth/{youth.pk}/transfer",
        {
            "to_program": programs["five"].pk,
            "categories": [Category.IDENTITY, Category.EDUCATION],
            "given_by": "youth",
            "minor_may_consent_alone": "on",
            "expires_on": (timezone.localdate() + datetime.timedelta(days=60)).isoformat(),
        },
    )
    assert response.status_code == 302
    return Transfer.objects.get(youth=youth)


def test_a_transfer_carries_exactly_the_consented_categories(
    client_for: ClientFor,
    coordinator: Persona,
    advocate: Persona,
    receiving: Persona,
    youth: Youth,
    programs: dict[str, Program],
) -> None:
    transfer = _request(client_for, coordinator, youth, programs)
    consent = Consent.objects.get(pk=transfer.consent_id)
    assert (consent.organization, consent.purpose, consent.category_list) == (
        receiving.organization,
        "transfer",
        [Category.EDUCATION, Category.IDENTITY],
    )
    rosa = client_for(receiving)
    # Pending: the receiving program sees that a transfer waits, never who the youth is.
    assert rosa.get(f"/youth/{youth.pk}/").status_code == 404
    listing = rosa.get("/intake/transfers/")
    assert listing.status_code == 200 and NAME not in listing.content.decode()
    assert youth.reference not in listing.content.decode()
    # ...and the sending advocate stays responsible.
    assert client_for(advocate).get(f"/youth/{youth.pk}/").status_code == 200

    response = rosa.post(f"/intake/transfers/{transfer.pk}/answer", {"answer": "accept"})
    transfer.refresh_from_db()
    assert transfer.state == Transfer.State.ACCEPTED and transfer.received_youth_id is not None
    assert response.status_code == 302 and response["Location"] == f"/youth/{transfer.received_youth_id}/"
    received = transfer.received_youth
    assert received is not None

    data = rosa.get(f"/api/v1/youth/{received.pk}").json()
    # Carried: identity and education.
    assert data["preferred_name"] == NAME and data["school"] == SCHOOL and data["languages"] == ["Spanish"]
    # Not carried: the legal status, placements and their addresses, missing episodes.
    assert data["legal_status"] == "unknown"
    assert not Placement.objects.filter(youth=received).exists()
    assert not PlacementAddress.objects.filter(youth=received).exists()
    assert not MissingEpisode.objects.filter(youth=received).exists()
    page = rosa.get(f"/youth/{received.pk}/").content.decode()
    assert NAME in page and ADDRESS not in page
    # The household is identity: it travels, with the alleged-exploiter flag (safety first).
    assert list(
        HouseholdMember.objects.filter(youth=received).values_list("alleged_exploiter", flat=True)
    ) == [True]
    # The timeline carries the consented categories' entries and the hand-off, nothing else.
    categories = set(TimelineEntry.objects.filter(youth=received).values_list("category", flat=True))
    assert categories <= {Category.RECORD, Category.IDENTITY, Category.EDUCATION}
    assert TimelineEntry.objects.filter(youth=received, kind="transfer_received").count() == 1
    assert TimelineEntry.objects.filter(youth=youth, kind="transfer_accepted").count() == 1
    assert (
        AccessEvent.objects.filter(
            youth_id=youth.pk, action="transfer_receive", category="education,identity"
        ).count()
        == 1
    )


def test_the_sending_team_keeps_its_history_and_loses_new_entries(
    client_for: ClientFor,
    coordinator: Persona,
    advocate: Persona,
    receiving: Persona,
    youth: Youth,
    programs: dict[str, Program],
) -> None:
    transfer = _request(client_for, coordinator, youth, programs)
    rosa = client_for(receiving)
    assert rosa.post(f"/intake/transfers/{transfer.pk}/answer", {"answer": "accept"}).status_code == 302
    transfer.refresh_from_db()
    received = transfer.received_youth
    assert received is not None
    # A new entry after acceptance, by the receiving program.
    assert (
        rosa.post(f"/youth/{received.pk}/aliases", {"name": "Peregrina", "kind": "alias"}).status_code == 302
    )

    tomas = client_for(advocate)
    assert tomas.get(f"/youth/{received.pk}/").status_code == 404
    assert tomas.get(f"/api/v1/youth/{received.pk}").status_code == 404
    assert client_for(coordinator).get(f"/youth/{received.pk}/").status_code == 404
    history = tomas.get(f"/youth/{youth.pk}/")
    assert history.status_code == 200  # their own history, before acceptance
    assert "Peregrina" not in history.content.decode()
    timeline = tomas.get(f"/youth/{youth.pk}/timeline").content.decode()
    assert "accepted" in timeline and "Peregrina" not in timeline


def test_a_declined_transfer_leaves_the_youth_with_the_sending_program(
    client_for: ClientFor,
    coordinator: Persona,
    receiving: Persona,
    youth: Youth,
    programs: dict[str, Program],
) -> None:
    transfer = _request(client_for, coordinator, youth, programs)
    before = Youth.objects.count()
    response = client_for(receiving).post(
        f"/intake/transfers/{transfer.pk}/answer", {"answer": "decline", "reason": "No bed in our area"}
    )
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert (transfer.state, transfer.decline_reason, transfer.received_youth) == (
        Transfer.State.DECLINED,
        "No bed in our area",
        None,
    )
    assert Youth.objects.count() == before
    assert TimelineEntry.objects.filter(youth=youth, kind="transfer_declined").count() == 1


def test_a_withdrawn_consent_stops_the_transfer(
    client_for: ClientFor,
    coordinator: Persona,
    receiving: Persona,
    youth: Youth,
    programs: dict[str, Program],
) -> None:
    transfer = _request(client_for, coordinator, youth, programs)
    consent_revoke(membership=coordinator.membership, youth_id=youth.pk, consent_id=transfer.consent_id)
    before = Youth.objects.count()
    response = client_for(receiving).post(f"/intake/transfers/{transfer.pk}/answer", {"answer": "accept"})
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert transfer.state == Transfer.State.PENDING and Youth.objects.count() == before
    assert Consent.objects.get(pk=transfer.consent_id).state == ConsentState.REVOKED


def test_a_second_request_while_one_waits_is_refused(
    client_for: ClientFor, coordinator: Persona, youth: Youth, programs: dict[str, Program]
) -> None:
    _request(client_for, coordinator, youth, programs)
    response = client_for(coordinator).post(
        f"/intake/youth/{youth.pk}/transfer",
        {
            "to_program": programs["five"].pk,
            "categories": [Category.IDENTITY],
            "given_by": "youth",
            "minor_may_consent_alone": "on",
            "expires_on": (timezone.localdate() + datetime.timedelta(days=60)).isoformat(),
        },
    )
    assert response.status_code == 422
    assert "already waiting" in response.content.decode()
    assert Transfer.objects.count() == 1


def test_only_another_organizations_program_receives(
    client_for: ClientFor, coordinator: Persona, youth: Youth, programs: dict[str, Program]
) -> None:
    response = client_for(coordinator).post(
        f"/intake/youth/{youth.pk}/transfer",
        {
            "to_program": programs["central"].pk,
            "categories": [Category.IDENTITY],
            "given_by": "youth",
            "minor_may_consent_alone": "on",
            "expires_on": (timezone.localdate() + datetime.timedelta(days=60)).isoformat(),
        },
    )
    assert response.status_code == 422
    assert not Transfer.objects.exists() and not Consent.objects.filter(purpose="transfer").exists()
