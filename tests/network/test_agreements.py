"""A release of information never goes beyond the program's agreement with the partner; referrals
never need an agreement (seed 001: "We accept referrals from any agency, even if there is no formal
memorandum of understanding")."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from pytest_django import Settings as SettingsWrapper

from tests.conftest import ClientFor, Persona
from tests.factories.access import consent_share, guardian_add, youth_with_team
from tests.factories.network import agreement
from threadline.access.agreements import AgreementKind
from threadline.access.categories import Category
from threadline.access.models import Consent, TeamRole
from threadline.intake.models import Program, Referral
from threadline.youth.models import Youth

pytestmark = pytest.mark.django_db


@pytest.fixture
def youth(coordinator: Persona, dfps_caseworker: Persona) -> Youth:
    return youth_with_team(coordinator.membership, [(dfps_caseworker.organization, TeamRole.DFPS_CASEWORKER)])


def test_a_release_beyond_the_agreement_is_refused_and_nothing_is_recorded(
    coordinator: Persona, program_admin: Persona, dfps_caseworker: Persona, youth: Youth
) -> None:
    agreement(program_admin.membership, dfps_caseworker.organization, [Category.IDENTITY, Category.CARE_PLAN])
    with pytest.raises(ValidationError) as refused:
        consent_share(
            coordinator.membership, youth, dfps_caseworker.organization, [Category.CARE_PLAN, Category.HEALTH]
        )
    message = refused.value.message_dict["categories"][0]
    assert message == (
        "The agreement with Sagebrush DFPS Unit does not allow sharing: Health and behavioral health. It allows"
        " at most: Care plan, Identity and contact."
    )
    assert not Consent.objects.filter(youth=youth).exists()


def test_a_release_within_the_agreement_is_recorded(
    coordinator: Persona, program_admin: Persona, dfps_caseworker: Persona, youth: Youth
) -> None:
    agreement(program_admin.membership, dfps_caseworker.organization, [Category.IDENTITY, Category.CARE_PLAN])
    consent = consent_share(coordinator.membership, youth, dfps_caseworker.organization, [Category.CARE_PLAN])
    assert sorted(consent.scopes.values_list("category", flat=True)) == [Category.CARE_PLAN]


def test_a_release_cannot_outlast_the_agreement(
    coordinator: Persona, program_admin: Persona, dfps_caseworker: Persona, youth: Youth
) -> None:
    agreement(program_admin.membership, dfps_caseworker.organization, [Category.CARE_PLAN], ends_in_days=30)
    with pytest.raises(ValidationError) as refused:
        consent_share(
            coordinator.membership,
            youth,
            dfps_caseworker.organization,
            [Category.CARE_PLAN],
            expires_at=timezone.now() + datetime.timedelta(days=90),
        )
    assert list(refused.value.message_dict) == ["expires_at"]
    consent_share(
        coordinator.membership,
        youth,
        dfps_caseworker.organization,
        [Category.CARE_PLAN],
        expires_at=timezone.now() + datetime.timedelta(days=20),
    )
    assert Consent.objects.filter(youth=youth).count() == 1


def test_an_ended_agreement_stops_new_releases(
    coordinator: Persona, program_admin: Persona, dfps_caseworker: Persona, youth: Youth
) -> None:
    agreement(
        program_admin.membership,
        dfps_caseworker.organization,
        [Category.CARE_PLAN],
        signed_days_ago=400,
        ends_in_days=-1,
    )
    with pytest.raises(ValidationError) as refused:
        consent_share(coordinator.membership, youth, dfps_caseworker.organization, [Category.CARE_PLAN])
    assert refused.value.message_dict["organization"] == [
        "The agreement with Sagebrush DFPS Unit is not in effect. Renew it under Partners before sharing"
        " anything with it."
    ]


def test_a_letter_of_support_shares_nothing(
    coordinator: Persona, program_admin: Persona, dfps_caseworker: Persona, youth: Youth
) -> None:
    with pytest.raises(ValidationError) as refused:
        agreement(
            program_admin.membership,
            dfps_caseworker.organization,
            [Category.CARE_PLAN],
            kind=AgreementKind.LETTER_OF_SUPPORT,
        )
    assert list(refused.value.message_dict) == ["categories"]
    agreement(
        program_admin.membership, dfps_caseworker.organization, [], kind=AgreementKind.LETTER_OF_SUPPORT
    )
    with pytest.raises(ValidationError):
        consent_share(coordinator.membership, youth, dfps_caseworker.organization, [Category.CARE_PLAN])
    assert not Consent.objects.filter(youth=youth).exists()


def test_a_refusal_is_recorded_whatever_the_agreement(
    coordinator: Persona, program_admin: Persona, dfps_caseworker: Persona, youth: Youth
) -> None:
    agreement(program_admin.membership, dfps_caseworker.organization, [Category.IDENTITY])
    refused = consent_share(
        coordinator.membership, youth, dfps_caseworker.organization, [Category.HEALTH], state="refused"
    )
    assert refused.state == "refused"


def test_without_an_agreement_the_setting_decides(
    coordinator: Persona, dfps_caseworker: Persona, youth: Youth, settings: SettingsWrapper
) -> None:
    consent_share(coordinator.membership, youth, dfps_caseworker.organization, [Category.CARE_PLAN])
    settings.PARTNER_AGREEMENT_REQUIRED = True
    with pytest.raises(ValidationError) as refused:
        consent_share(coordinator.membership, youth, dfps_caseworker.organization, [Category.IDENTITY])
    assert list(refused.value.message_dict) == ["organization"]
    assert Consent.objects.filter(youth=youth).count() == 1


def test_the_consent_form_refuses_with_a_clear_message_and_keeps_what_was_typed(
    coordinator: Persona,
    program_admin: Persona,
    dfps_caseworker: Persona,
    youth: Youth,
    client_for: ClientFor,
) -> None:
    agreement(program_admin.membership, dfps_caseworker.organization, [Category.CARE_PLAN])
    guardian = guardian_add(coordinator.membership, youth)
    client = client_for(coordinator)
    page = client.get(f"/youth/{youth.pk}/consents")
    assert "What each partner's agreement allows at most" in page.content.decode()
    response = client.post(
        f"/youth/{youth.pk}/consents",
        {
            "organization": dfps_caseworker.organization.pk,
            "categories": [Category.CARE_PLAN, Category.SCREENINGS],
            "purpose": "Plan the school return together",
            "given_by": "parent_guardian",
            "guardian": guardian.pk,
            "expires_on": (timezone.localdate() + datetime.timedelta(days=100)).isoformat(),
            "state": "granted",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "The agreement with Sagebrush DFPS Unit does not allow sharing: Screenings." in html
    assert "Plan the school return together" in html
    assert not Consent.objects.filter(youth=youth).exists()


def test_an_agency_without_any_agreement_can_refer(
    care_coordinator_org: object, dfps_caseworker: Persona, client_for: ClientFor, settings: SettingsWrapper
) -> None:
    """Even where every release needs an agreement, a referral from an agency never does."""
    settings.PARTNER_AGREEMENT_REQUIRED = True
    program = Program.objects.get(slug="demo-five-county")
    program.organization = care_coordinator_org  # type: ignore[assignment]
    program.save(update_fields=["organization"])
    client: Client = client_for(dfps_caseworker)
    response = client.post(
        "/intake/referrals/new/",
        {
            "program": str(program.pk),
            "channel": "hotline",
            "source": "agency",
            "urgency": "other",
            "language": "en",
            "county": "Bexar",
            "age": "15",
            "what_is_known": "Caseworker is worried: a clear concern, no confirmed case.",
        },
    )
    assert response.status_code == 302
    assert Referral.objects.filter(program=program).count() == 1
