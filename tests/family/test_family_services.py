"""Issue 14, done when: a caregiver gets a plan and a note from the Family Coordinator, who cannot open
the youth's notes without the youth's consent for family services; an alleged exploiter never becomes
a family client nor stays one. Through real HTTP on the real URLs."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

from tests.conftest import ClientFor, Persona, make_persona
from tests.factories.access import guardian_add
from tests.factories.youth import make_youth
from tests.youth.test_permission_matrix import scrub
from threadline.access.categories import Category
from threadline.audit.models import AccessEvent
from threadline.care.models import CaseNote
from threadline.care.services.notes import case_note_save
from threadline.core.roles import Role
from threadline.family.models import FamilyClient, FamilyNote, FamilyTask
from threadline.youth.models import HouseholdMember, Youth
from threadline.youth.services import household_member_add, household_member_flag_exploiter
from threadline.youth.sharing import consent_record

pytestmark = pytest.mark.django_db

NAME = "Philippa"
CAREGIVER = "Marisol Quintero-Abernathy"
SECRET = "She told me where she stayed last week"


def _youth_with_note(coordinator: Persona) -> tuple[Youth, HouseholdMember]:
    youth = make_youth(coordinator.membership, preferred_name=NAME)
    caregiver = guardian_add(coordinator.membership, youth, name=CAREGIVER, relationship="aunt")
    case_note_save(
        membership=coordinator.membership, youth_id=youth.pk, contact_type="in_person", narrative=SECRET
    )
    return youth, caregiver


def _refer(client: Client, youth: Youth, member: HouseholdMember, family: Persona) -> FamilyClient:
    response = client.post(
        f"/family/new/{youth.pk}", {"household_member": str(member.pk), "coordinator": family.user.pk}
    )
    assert response.status_code == 302
    created = FamilyClient.objects.get(household_member=member)
    assert response["Location"] == f"/family/{created.pk}/"
    return created


def test_caregiver_gets_a_plan_and_a_note_and_the_youths_notes_stay_closed(
    coordinator: Persona, family_coordinator: Persona, client_for: ClientFor
) -> None:
    youth, caregiver = _youth_with_note(coordinator)
    family_client = _refer(client_for(coordinator), youth, caregiver, family_coordinator)
    rowan = client_for(family_coordinator)

    listing = rowan.get("/family/")
    assert listing.status_code == 200 and CAREGIVER in listing.content.decode()
    page = f"/family/{family_client.pk}/"
    assert rowan.post(page, {"form": "need", "need-domain": "social_support"}).status_code == 302
    step = {"form": "task", "task-title": "Join the caregivers' support group"}
    assert rowan.post(page, step).status_code == 302
    note = {"form": "note", "note-contact_type": "phone", "note-narrative": "Talked about the first weeks"}
    assert rowan.post(page, note).status_code == 302
    html = rowan.get(page).content.decode()
    assert "Join the caregivers&#x27; support group" in html and "Talked about the first weeks" in html
    assert FamilyTask.objects.filter(client=family_client).count() == 1
    assert FamilyNote.objects.filter(client=family_client).count() == 1
    assert AccessEvent.objects.filter(object_type="family_client", object_id=str(family_client.pk)).exists()

    # The youth's own notes: not without consent. The same 404 as a youth that does not exist.
    notes_before = CaseNote.objects.count()
    ledger_before = AccessEvent.objects.filter(youth_id=youth.pk).count()
    ghost_id = uuid.uuid4()
    refused = rowan.get(f"/care/{youth.pk}/notes")
    ghost = rowan.get(f"/care/{ghost_id}/notes")
    assert refused.status_code == 404 and ghost.status_code == 404
    assert scrub(refused.content, youth.pk, ghost_id) == scrub(ghost.content, youth.pk, ghost_id)
    posted = rowan.post(
        f"/care/{youth.pk}/notes", {"action": "save", "contact_type": "phone", "narrative": "x"}
    )
    assert posted.status_code == 404
    for response in (refused, posted, rowan.get(page)):
        text = response.content.decode()
        assert SECRET not in text and NAME not in text
    assert CaseNote.objects.count() == notes_before
    assert AccessEvent.objects.filter(youth_id=youth.pk).count() == ledger_before
    shell = rowan.get(f"/youth/{youth.pk}/")  # the record's shell (the care team), never the name
    assert shell.status_code == 200
    assert NAME not in shell.content.decode() and SECRET not in shell.content.decode()

    # With the youth's consent for family services (case notes only): the notes open, nothing else.
    consent_record(
        membership=coordinator.membership,
        youth_id=youth.pk,
        organization_id=None,
        categories=[Category.CASE_NOTES],
        purpose="Support the family",
        given_by="parent_guardian",
        guardian_id=caregiver.pk,
        use="family",
    )
    opened = rowan.get(f"/care/{youth.pk}/notes")
    assert opened.status_code == 200 and SECRET in opened.content.decode()
    assert rowan.get(f"/care/{youth.pk}/plan").status_code == 404


def test_another_family_coordinator_and_a_partner_get_the_404_of_a_missing_client(
    coordinator: Persona,
    family_coordinator: Persona,
    dfps_caseworker: Persona,
    client_for: ClientFor,
) -> None:
    youth, caregiver = _youth_with_note(coordinator)
    family_client = _refer(client_for(coordinator), youth, caregiver, family_coordinator)
    other = make_persona(
        email="sol@cedar.test", role=Role.FAMILY_COORDINATOR, organization=coordinator.organization
    )
    for persona in (other, dfps_caseworker):
        client = client_for(persona)
        before = (FamilyTask.objects.count(), AccessEvent.objects.filter(object_type="family_client").count())
        ghost_id = uuid.uuid4()
        real = client.post(f"/family/{family_client.pk}/", {"form": "task", "task-title": "Sneak"})
        ghost = client.post(f"/family/{ghost_id}/", {"form": "task", "task-title": "Sneak"})
        assert real.status_code == ghost.status_code == 404
        assert scrub(real.content, family_client.pk, ghost_id) == scrub(
            ghost.content, family_client.pk, ghost_id
        )
        assert client.get(f"/family/{family_client.pk}/").status_code == 404
        assert CAREGIVER not in client.get("/family/").content.decode()
        after = (FamilyTask.objects.count(), AccessEvent.objects.filter(object_type="family_client").count())
        assert after == before


def test_an_alleged_exploiter_never_becomes_a_family_client_nor_stays_one(
    coordinator: Persona, family_coordinator: Persona, client_for: ClientFor
) -> None:
    youth, caregiver = _youth_with_note(coordinator)
    flagged = household_member_add(
        membership=coordinator.membership, youth_id=youth.pk, name="Flagged Person", relationship="other"
    )
    household_member_flag_exploiter(
        membership=coordinator.membership, youth_id=youth.pk, member_id=flagged.pk
    )
    nadia = client_for(coordinator)
    form = nadia.get(f"/family/new/{youth.pk}")
    assert form.status_code == 200 and "Flagged Person" not in form.content.decode()
    refused = nadia.post(
        f"/family/new/{youth.pk}",
        {"household_member": str(flagged.pk), "coordinator": family_coordinator.user.pk},
    )
    assert refused.status_code == 400
    assert not FamilyClient.objects.exists()

    family_client = _refer(nadia, youth, caregiver, family_coordinator)
    household_member_flag_exploiter(
        membership=coordinator.membership, youth_id=youth.pk, member_id=caregiver.pk
    )
    rowan = client_for(family_coordinator)
    assert rowan.get(f"/family/{family_client.pk}/").status_code == 404
    assert CAREGIVER not in rowan.get("/family/").content.decode()


def test_the_family_coordinator_cannot_refer_from_a_household_they_may_not_see(
    coordinator: Persona, family_coordinator: Persona, client_for: ClientFor
) -> None:
    youth, caregiver = _youth_with_note(coordinator)
    rowan = client_for(family_coordinator)
    response = rowan.post(
        f"/family/new/{youth.pk}",
        {"household_member": str(caregiver.pk), "coordinator": family_coordinator.user.pk},
    )
    assert response.status_code == 404
    assert CAREGIVER not in response.content.decode()
    assert not FamilyClient.objects.exists()
