"""Issue 14, done when: a mentor sees only the assigned youth's mentoring categories, logs contacts from
a phone, and the mentorship continues after the case is closed (until someone ends it). Real HTTP."""

from __future__ import annotations

import pytest

from tests.conftest import ClientFor, Persona, make_persona
from tests.factories.access import guardian_add
from tests.factories.youth import make_youth
from threadline.access.categories import Category
from threadline.access.models import MentorAssignment
from threadline.accounts.models import Organization
from threadline.audit.models import AccessEvent
from threadline.care.services.closure import case_close
from threadline.core.roles import Role
from threadline.mentoring.models import MentorContact
from threadline.youth.models import Youth
from threadline.youth.sharing import consent_record

pytestmark = pytest.mark.django_db

NAME = "Wilhelmina"
OTHER = "Esperanza"
SCHOOL = "Mesquite Ridge Middle School"
GHOST = "7f1c2b3a-0000-4000-8000-000000000009"


@pytest.fixture
def mentor(care_coordinator_org: Organization) -> Persona:
    """Kai, peer mentor at the advocacy center."""
    return make_persona(email="kai@cedar.test", role=Role.PEER_MENTOR, organization=care_coordinator_org)


def _mentee(coordinator: Persona) -> Youth:
    youth = make_youth(coordinator.membership, preferred_name=NAME, school=SCHOOL)
    consent_record(
        membership=coordinator.membership,
        youth_id=youth.pk,
        organization_id=None,
        categories=[Category.IDENTITY],
        purpose="Long-term mentoring",
        given_by="parent_guardian",
        guardian_id=guardian_add(coordinator.membership, youth).pk,
        use="mentoring",
    )
    return youth


def _assign(coordinator: Persona, mentor: Persona, youth: Youth, client_for: ClientFor) -> None:
    nadia = client_for(coordinator)
    assert nadia.get(f"/mentoring/{youth.pk}/assign").status_code == 200
    response = nadia.post(f"/mentoring/{youth.pk}/assign", {"mentor": mentor.membership.pk})
    assert response.status_code == 302
    assert MentorAssignment.objects.filter(youth=youth, person=mentor.user).count() == 1


def test_a_mentor_sees_only_the_assigned_youths_mentoring_categories(
    coordinator: Persona, mentor: Persona, client_for: ClientFor
) -> None:
    youth = _mentee(coordinator)
    other = make_youth(coordinator.membership, preferred_name=OTHER)
    kai = client_for(mentor)
    assert kai.get(f"/mentoring/{youth.pk}/").status_code == 404  # not yet assigned
    _assign(coordinator, mentor, youth, client_for)

    listing = kai.get("/mentoring/").content.decode()
    assert youth.reference in listing and other.reference not in listing
    page = kai.get(f"/mentoring/{youth.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert NAME in html  # identity: consented for mentoring
    assert SCHOOL not in html  # education: not consented

    # Everything else answers like a youth that does not exist, and leaves no trace.
    before = AccessEvent.objects.filter(youth_id=other.pk).count()
    for path in (
        f"/mentoring/{other.pk}/",
        f"/youth/{other.pk}/",
        f"/care/{youth.pk}/notes",
        f"/care/{youth.pk}/plan",
    ):
        real = kai.get(path)
        ghost = kai.get(path.replace(str(youth.pk), GHOST).replace(str(other.pk), GHOST))
        assert real.status_code == ghost.status_code == 404, path
        assert OTHER not in real.content.decode() and NAME not in real.content.decode()
    assert kai.post(f"/mentoring/{other.pk}/", {"how": "phone"}).status_code == 404
    assert kai.get(f"/mentoring/{youth.pk}/assign").status_code == 404  # coordinators assign mentors
    record = kai.get(f"/youth/{youth.pk}/")  # the record page, through the same policy: consent only
    assert record.status_code == 200
    assert NAME in record.content.decode() and SCHOOL not in record.content.decode()
    assert kai.get("/youth/").status_code == 403
    assert AccessEvent.objects.filter(youth_id=other.pk).count() == before
    assert not MentorContact.objects.exists()


def test_contacts_from_a_phone_and_mentorship_continues_after_closure(
    coordinator: Persona, mentor: Persona, client_for: ClientFor
) -> None:
    youth = _mentee(coordinator)
    _assign(coordinator, mentor, youth, client_for)
    kai = client_for(mentor)
    logged = kai.post(f"/mentoring/{youth.pk}/", {"how": "text", "note": "Checked in after her exam"})
    assert logged.status_code == 302
    assert kai.post(f"/mentoring/{youth.pk}/", {"how": "carrier pigeon"}).status_code == 400
    assert MentorContact.objects.filter(youth=youth).count() == 1

    case_close(membership=coordinator.membership, youth_id=youth.pk, reason="moved_away")
    assert kai.get(f"/mentoring/{youth.pk}/").status_code == 200
    assert kai.post(f"/mentoring/{youth.pk}/", {"how": "phone"}).status_code == 302
    assert MentorContact.objects.filter(youth=youth).count() == 2
    coordinator_view = client_for(coordinator).get(f"/mentoring/{youth.pk}/").content.decode()
    assert "Checked in after her exam" in coordinator_view

    assignment = MentorAssignment.objects.get(youth=youth)
    ended = client_for(coordinator).post(f"/mentoring/{youth.pk}/assign", {"end": str(assignment.pk)})
    assert ended.status_code == 302
    assert kai.get(f"/mentoring/{youth.pk}/").status_code == 404
    assert youth.reference not in kai.get("/mentoring/").content.decode()
