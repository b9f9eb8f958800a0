"""``visible_among`` (the policy asked about a search's short list) decides exactly as ``visible_youth``
for reading and ``visible_youth(..., write=True)`` for writing, for every kind of person and category:
care team, own team, consent by category, family-services consent, mentoring, break the glass."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.utils import timezone

from tests.conftest import Persona, make_persona
from tests.factories.access import consent_share, guardian_add, youth_with_team
from tests.factories.youth import make_youth
from threadline.access.categories import Category
from threadline.access.models import BreakGlass, MentorAssignment, TeamRole
from threadline.accounts.models import Organization
from threadline.core.roles import OrganizationType, Role
from threadline.youth.policy import visible_among, visible_youth
from threadline.youth.sharing import care_team_add, consent_record

pytestmark = pytest.mark.django_db


def test_the_short_list_decides_as_the_lists_do(
    coordinator: Persona,
    advocate: Persona,
    supervisor: Persona,
    auditor: Persona,
    dfps_caseworker: Persona,
    probation_officer: Persona,
    care_coordinator_org: Organization,
) -> None:
    family = make_persona(
        email="rowan@cedar.test", role=Role.FAMILY_COORDINATOR, organization=care_coordinator_org
    )
    mentor = make_persona(email="kai@cedar.test", role=Role.PEER_MENTOR, organization=care_coordinator_org)
    elsewhere = Organization.objects.create(
        name="Pecos Plains Advocacy Center", org_type=OrganizationType.CAC, is_care_coordinator=True
    )
    other = make_persona(email="ada@pecos.test", role=Role.CARE_COORDINATOR, organization=elsewhere)

    shared = youth_with_team(
        coordinator.membership,
        [(dfps_caseworker.organization, TeamRole.DFPS_CASEWORKER)],
        preferred_name="Ana",
    )
    consent_share(coordinator.membership, shared, dfps_caseworker.organization, [Category.IDENTITY])
    care_plan_only = youth_with_team(
        coordinator.membership,
        [(dfps_caseworker.organization, TeamRole.DFPS_CASEWORKER)],
        preferred_name="Bo",
    )
    consent_share(coordinator.membership, care_plan_only, dfps_caseworker.organization, [Category.CARE_PLAN])
    advocated = make_youth(coordinator.membership, preferred_name="Cy")
    care_team_add(
        membership=coordinator.membership,
        youth_id=advocated.pk,
        organization_id=care_coordinator_org.pk,
        role=TeamRole.LEAD_ADVOCATE,
        person_id=advocate.user.pk,
    )
    care_team_add(
        membership=coordinator.membership,
        youth_id=advocated.pk,
        organization_id=care_coordinator_org.pk,
        role=TeamRole.FAMILY_COORDINATOR,
        person_id=family.user.pk,
    )
    consent_record(
        membership=coordinator.membership,
        youth_id=advocated.pk,
        organization_id=care_coordinator_org.pk,
        categories=[Category.IDENTITY],
        purpose="Family services",
        given_by="parent_guardian",
        guardian_id=guardian_add(coordinator.membership, advocated).pk,
        use="family",
    )
    mentored = make_youth(coordinator.membership, preferred_name="Di")
    MentorAssignment.objects.create(
        youth=mentored, person=mentor.user, organization=care_coordinator_org, assigned_by=coordinator.user
    )
    consent_record(
        membership=coordinator.membership,
        youth_id=mentored.pk,
        organization_id=None,
        categories=[Category.IDENTITY],
        purpose="Long-term mentoring",
        given_by="parent_guardian",
        guardian_id=guardian_add(coordinator.membership, mentored).pk,
        use="mentoring",
    )
    theirs = make_youth(other.membership, preferred_name="Eli")
    unserved = make_youth(other.membership, preferred_name="Fay")
    # A grant made earlier (the service refuses a youth another coordinator serves now; the policy
    # reads the grant as it finds it).
    BreakGlass.objects.create(
        youth=shared,
        user=other.user,
        organization=elsewhere,
        reason="Missing tonight; police asked.",
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )

    ids = [y.pk for y in (shared, care_plan_only, advocated, mentored, theirs, unserved)] + [uuid.uuid4()]
    people = (
        coordinator,
        advocate,
        supervisor,
        auditor,
        dfps_caseworker,
        probation_officer,
        family,
        mentor,
        other,
    )
    decided = 0
    for persona in people:
        for category in Category.values:
            readable = set(
                visible_youth(persona.membership, category).filter(pk__in=ids).values_list("pk", flat=True)
            )
            writable = set(
                visible_youth(persona.membership, category, write=True)
                .filter(pk__in=ids)
                .values_list("pk", flat=True)
            )
            expected = {pk: pk in writable for pk in readable}
            assert visible_among(persona.membership, category, ids) == expected, (
                persona.user.email,
                category,
            )
            assert visible_among(persona.membership, category, [str(pk) for pk in ids[:3]]) == {
                pk: w for pk, w in expected.items() if pk in ids[:3]
            }
            decided += len(expected)
    assert decided > 0
    # Not vacuous: the grants differ from person to person, and reading is not always writing.
    identity = {p.user.email: visible_among(p.membership, Category.IDENTITY, ids) for p in people}
    assert identity[coordinator.user.email] == {
        y.pk: True for y in (shared, care_plan_only, advocated, mentored)
    }
    assert identity[dfps_caseworker.user.email] == {shared.pk: True}
    assert identity[probation_officer.user.email] == {}
    assert identity[advocate.user.email] == {advocated.pk: True}
    assert identity[mentor.user.email] == {mentored.pk: False}
    assert identity[other.user.email] == {theirs.pk: True, unserved.pk: True, shared.pk: False}
    assert visible_among(None, Category.IDENTITY, ids) == {}
    assert visible_among(coordinator.membership, Category.IDENTITY, []) == {}
