"""How the youth prefers to be met (issue 14, seed 003): stored encrypted in the identity category (the
category of the safe-contact flags it is shown beside), shown on the youth's page and on the field
response page to whoever may see the youth's identity, and to nobody else."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.conftest import ClientFor, Persona
from tests.factories.access import consent_share, guardian_add, youth_with_team
from threadline.access.categories import Category
from threadline.access.models import TeamRole
from threadline.accounts.models import Organization
from threadline.crypto.datakeys import data_key_create
from threadline.intake.models import Program, Referral
from threadline.youth.fields import category_of
from threadline.youth.meeting_services import meeting_preference_set
from threadline.youth.models import MeetingPreference, Youth

pytestmark = pytest.mark.django_db

AVOID = "Never pick her up at a police station"
WAYS = "Text first; she does not answer calls"


@pytest.fixture
def youth(coordinator: Persona, dfps_caseworker: Persona, probation_officer: Persona) -> Youth:
    return youth_with_team(
        coordinator.membership,
        [(dfps_caseworker.organization, TeamRole.OTHER), (probation_officer.organization, TeamRole.OTHER)],
        preferred_name="Ximena",
    )


def test_each_field_is_in_the_identity_category_and_encrypted(coordinator: Persona, youth: Youth) -> None:
    for name in ("ways", "places", "avoid"):
        assert category_of("youth.MeetingPreference", name) == Category.IDENTITY
    meeting_preference_set(
        membership=coordinator.membership, youth_id=youth.pk, ways=WAYS, places="", avoid=AVOID
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT avoid FROM youth_meetingpreference")
        (stored,) = cursor.fetchone()
    assert "police" not in str(stored)


def test_shown_beside_the_safe_contact_flags_to_who_may_see_identity(
    client_for: ClientFor,
    coordinator: Persona,
    dfps_caseworker: Persona,
    probation_officer: Persona,
    youth: Youth,
) -> None:
    client = client_for(coordinator)
    response = client.post(
        f"/youth/{youth.pk}/meeting", {"ways": WAYS, "places": "The library", "avoid": AVOID}
    )
    assert response.status_code == 302
    assert AVOID in client.get(f"/youth/{youth.pk}/").content.decode()
    api = client.get(f"/api/v1/youth/{youth.pk}").json()
    assert api["meeting_preference"] == {"ways": WAYS, "places": "The library", "avoid": AVOID}

    guardian = guardian_add(coordinator.membership, youth)
    consent_share(
        coordinator.membership, youth, dfps_caseworker.organization, [Category.IDENTITY], guardian=guardian
    )
    consent_share(
        coordinator.membership, youth, probation_officer.organization, [Category.CARE_PLAN], guardian=guardian
    )
    assert AVOID in client_for(dfps_caseworker).get(f"/youth/{youth.pk}/").content.decode()
    page = client_for(probation_officer).get(f"/youth/{youth.pk}/")
    assert (
        page.status_code == 200 and AVOID not in page.content.decode() and WAYS not in page.content.decode()
    )
    # The partner without identity may not write it either: the 404 of a missing youth, nothing changed.
    refused = client_for(probation_officer).post(
        f"/youth/{youth.pk}/meeting", {"ways": "x", "avoid": "", "places": ""}
    )
    assert refused.status_code == 404
    assert MeetingPreference.objects.get(youth=youth).avoid == AVOID


def test_two_people_editing_at_once_never_overwrite(
    client_for: ClientFor, coordinator: Persona, supervisor: Persona, youth: Youth
) -> None:
    meeting_preference_set(
        membership=coordinator.membership, youth_id=youth.pk, ways=WAYS, places="", avoid=""
    )
    # Ines saves version 1 first...
    meeting_preference_set(
        membership=supervisor.membership, youth_id=youth.pk, ways=WAYS, places="", avoid=AVOID, version=1
    )
    # ...Nadia's form was opened at version 1 too: refused, her text kept on the page.
    response = client_for(coordinator).post(
        f"/youth/{youth.pk}/meeting", {"ways": "Calls are fine", "places": "", "avoid": "", "version": "1"}
    )
    assert response.status_code == 409
    assert "Calls are fine" in response.content.decode()
    row = MeetingPreference.objects.get(youth=youth)
    assert (row.ways, row.avoid, row.version) == (WAYS, AVOID, 2)


def test_too_long_is_refused_with_the_text_kept(
    client_for: ClientFor, coordinator: Persona, youth: Youth
) -> None:
    response = client_for(coordinator).post(
        f"/youth/{youth.pk}/meeting", {"ways": "w" * 1001, "places": "", "avoid": ""}
    )
    assert response.status_code == 422
    assert "w" * 1001 in response.content.decode()
    assert not MeetingPreference.objects.exists()


def test_shown_on_the_field_response_page(
    client_for: ClientFor,
    coordinator: Persona,
    advocate: Persona,
    care_coordinator_org: Organization,
    youth: Youth,
) -> None:
    program = Program.objects.get(slug="demo-central-texas")
    program.organization = care_coordinator_org
    program.save(update_fields=["organization"])
    referral = Referral.objects.create(
        program=program, data_key=data_key_create(), channel="staff", youth=youth
    )
    meeting_preference_set(
        membership=coordinator.membership, youth_id=youth.pk, ways=WAYS, places="", avoid=AVOID
    )
    assert AVOID in client_for(coordinator).get(f"/intake/referrals/{referral.pk}/field/").content.decode()
    # The advocate responds in the field but is not on this youth's team: the page says nothing of it.
    page = client_for(advocate).get(f"/intake/referrals/{referral.pk}/field/")
    assert page.status_code == 200 and AVOID not in page.content.decode()
