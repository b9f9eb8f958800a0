"""Consent for a minor (issue 16, item 10): the adult who signed is added to the household from the
consent form itself, in the same service call, instead of only "Nobody else"."""

from __future__ import annotations

import pytest

from tests.conftest import ClientFor, Persona
from tests.factories.access import youth_with_team
from threadline.access.models import Consent, TeamRole
from threadline.youth.models import HouseholdMember, Youth

pytestmark = pytest.mark.django_db


@pytest.fixture
def minor(coordinator: Persona, dfps_caseworker: Persona) -> Youth:
    return youth_with_team(
        coordinator.membership,
        [(dfps_caseworker.organization, TeamRole.OTHER)],
        preferred_name="Itzel",
        estimated_age=15,
    )


def release(partner: Persona, **extra: object) -> dict[str, object]:
    return {
        "organization": str(partner.organization.pk),
        "categories": ["care_plan"],
        "purpose": "plan school support",
        "given_by": "parent_guardian",
        "guardian": "",
        "expires_on": "2027-06-30",
        "state": "granted",
        **extra,
    }


def test_the_form_offers_a_group_to_add_the_adult_who_signed(
    coordinator: Persona, client_for: ClientFor, minor: Youth
) -> None:
    html = client_for(coordinator).get(f"/youth/{minor.pk}/consents").content.decode()
    assert '<option value="" selected>Nobody else</option>' in html
    assert "<legend>The adult who signed is not listed? Add them to the household</legend>" in html
    for name in (
        "signer_name",
        "signer_relationship",
        "signer_is_guardian",
        "signer_is_non_offending_caregiver",
    ):
        assert f'name="{name}"' in html


def test_a_new_guardian_signs_and_joins_the_household_in_one_step(
    coordinator: Persona, dfps_caseworker: Persona, client_for: ClientFor, minor: Youth
) -> None:
    response = client_for(coordinator).post(
        f"/youth/{minor.pk}/consents",
        release(
            dfps_caseworker,
            signer_name="Rosa (fictional)",
            signer_relationship="mother",
            signer_is_guardian="on",
            signer_is_non_offending_caregiver="on",
        ),
    )
    assert response.status_code == 302
    member = HouseholdMember.objects.select_related("youth__data_key").get(youth=minor)
    assert (member.name, member.relationship, member.is_guardian) == ("Rosa (fictional)", "mother", True)
    consent = Consent.objects.get(youth=minor)
    assert consent.guardian_id == member.pk and consent.category_list == ["care_plan"]


def test_a_refused_release_adds_nobody_and_keeps_what_was_typed(
    coordinator: Persona, dfps_caseworker: Persona, client_for: ClientFor, minor: Youth
) -> None:
    # Named as the signer, but not a guardian: a parent/guardian release needs one. Nothing is saved.
    response = client_for(coordinator).post(
        f"/youth/{minor.pk}/consents",
        release(dfps_caseworker, signer_name="Beto (fictional)", signer_relationship="neighbour"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose the parent or guardian who signed." in html
    assert 'value="Beto (fictional)"' in html and 'value="neighbour"' in html
    assert HouseholdMember.objects.filter(youth=minor).count() == 0
    assert Consent.objects.filter(youth=minor).count() == 0


def test_a_partner_cannot_record_a_release_or_add_a_signer(
    dfps_caseworker: Persona, client_for: ClientFor, minor: Youth
) -> None:
    response = client_for(dfps_caseworker).post(
        f"/youth/{minor.pk}/consents",
        release(dfps_caseworker, signer_name="Rosa (fictional)", signer_is_guardian="on"),
    )
    assert response.status_code == 404
    assert "Rosa" not in response.content.decode()
    assert HouseholdMember.objects.filter(youth=minor).count() == 0
    assert Consent.objects.filter(youth=minor).count() == 0
