"""Referral fixtures: a vetted shelter in the directory whose provider has Threadline accounts (and a
staff member, Marisela), a second one without accounts, and a youth with a housing need.
Every name is fictional."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import Persona, make_persona
from tests.factories.accounts import OrganizationFactory
from tests.factories.youth import make_youth
from threadline.access.categories import Category
from threadline.access.models import Consent
from threadline.accounts.models import Organization
from threadline.care.models import PlanNeed
from threadline.care.services.plan import plan_need_add
from threadline.core.roles import OrganizationType, Role
from threadline.directory import models as dm
from threadline.directory import services as directory_services
from threadline.directory.search_index import reindex_organization
from threadline.directory.taxonomy import ACCESS_TAXONOMY, GENDER_TAXONOMY
from threadline.referrals import services
from threadline.referrals.models import ServiceReferral
from threadline.youth.models import HouseholdMember, Youth
from threadline.youth.services import household_member_add
from threadline.youth.sharing import consent_record

SHELTER = "Sotol Springs Youth Shelter"
NO_ACCOUNTS = "Quillmere Host Homes"


def make_listing(
    name: str,
    *,
    service_types: Iterable[str] = ("shelter",),
    counties: Iterable[str] = ("48029",),
    zip_code: str = "78205",
    languages: Iterable[str] = ("en",),
    populations: Iterable[str] = ("trafficking-survivors",),
    access: Iterable[str] = (),
    genders: Iterable[str] = (),
    minimum_age: int | None = 12,
    maximum_age: int | None = 17,
    visibility: str = "network",
) -> dm.Service:
    org = directory_services.application_submit(
        data=directory_services.ApplicationData(
            organization_name=name,
            description=f"{name}: fictional provider for tests.",
            email=f"intake@{name.lower().replace(' ', '-')}.example.org",
            address_1="12 Quillmere Street",
            city="San Antonio",
            postal_code=zip_code,
            counties=list(counties),
            languages=list(languages),
            populations=list(populations),
            service_types=list(service_types),
            minimum_age=minimum_age,
            maximum_age=maximum_age,
        )
    )
    service = dm.Service.objects.get(organization_id=org.id)
    directory_services._attach_terms(service.id, ACCESS_TAXONOMY, list(access))
    directory_services._attach_terms(service.id, GENDER_TAXONOMY, list(genders))
    dm.Organization.objects.filter(id=org.id).update(
        vetting_status="vetted",
        visibility=visibility,
        approved_at=timezone.now(),
        next_audit_date=timezone.localdate() + datetime.timedelta(days=365),
    )
    reindex_organization(org.id)
    return service


@pytest.fixture
def shelter_org(db: Any) -> Organization:
    return OrganizationFactory(name=SHELTER, org_type=OrganizationType.NON_PROFIT)


@pytest.fixture
def shelter_staff(shelter_org: Organization) -> Persona:
    """Marisela, intake worker at the shelter (a provider with Threadline accounts)."""
    return make_persona(email="marisela@sotol.test", role=Role.PARTNER_STAFF, organization=shelter_org)


@pytest.fixture
def shelter(shelter_org: Organization) -> dm.Service:
    return make_listing(SHELTER, languages=("en", "es"), access=("no-id-required", "walk-in"), genders=())


@pytest.fixture
def host_homes(db: Any) -> dm.Service:
    """A provider without Threadline accounts: it answers through a one-time link."""
    return make_listing(NO_ACCOUNTS, service_types=("housing",), minimum_age=14, maximum_age=21)


@dataclass
class Case:
    youth: Youth
    need: PlanNeed
    guardian: HouseholdMember


@pytest.fixture
def case(coordinator: Persona) -> Case:
    """Paloma (fictional), 15, Spanish-speaking, with a housing need in her plan."""
    youth = make_youth(
        coordinator.membership,
        preferred_name="Paloma",
        legal_name="Paloma Quintanilla-Ostrander",
        date_of_birth=None,
        estimated_age=15,
        languages=["es", "en"],
        contact_ways=[
            {"kind": "phone", "value": "(210) 555-0142", "safe_to_contact": True},
            {"kind": "email", "value": "unsafe@example.test", "safe_to_contact": False},
            {"kind": "text", "value": "(210) 555-0199", "safe_to_contact": None},
        ],
    )
    need = plan_need_add(
        membership=coordinator.membership,
        youth_id=youth.pk,
        domain="housing",
        description="A safe bed tonight",
    )
    guardian = household_member_add(
        membership=coordinator.membership,
        youth_id=youth.pk,
        name="Guardian (fictional)",
        relationship="aunt",
        is_guardian=True,
        is_non_offending_caregiver=True,
    )
    return Case(youth=youth, need=need, guardian=guardian)


Release = Callable[..., Consent]


@pytest.fixture
def release(coordinator: Persona, case: Case) -> Release:
    def grant(
        organization: Organization, categories: Iterable[str] = (Category.IDENTITY, Category.CARE_PLAN)
    ) -> Consent:
        return consent_record(
            membership=coordinator.membership,
            youth_id=case.youth.pk,
            organization_id=organization.pk,
            categories=list(categories),
            purpose="service referral",
            given_by="parent_guardian",
            guardian_id=case.guardian.pk,
        )

    return grant


Draft = Callable[..., ServiceReferral]


@pytest.fixture
def draft(coordinator: Persona, case: Case) -> Draft:
    def make(service: dm.Service, **kw: Any) -> ServiceReferral:
        return services.referral_draft(
            membership=coordinator.membership,
            youth_id=case.youth.pk,
            service_id=service.id,
            need_id=case.need.pk,
            **kw,
        )

    return make


def provider_org(service: dm.Service) -> Organization:
    return services.provider_link_ensure(
        directory_organization_id=service.organization_id,
        name=dm.Organization.objects.get(id=service.organization_id).name,
    ).organization
