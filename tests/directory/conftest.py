"""Directory fixtures: a directory admin, and providers made through the real application path."""

from __future__ import annotations

from datetime import timedelta
from typing import Protocol

import pytest
from django.utils import timezone

from tests.conftest import Persona, make_persona
from threadline.accounts.models import Organization
from threadline.core.roles import Role
from threadline.directory import models as m
from threadline.directory import services
from threadline.directory.models import VettingStatus
from threadline.directory.search_index import reindex_organization


@pytest.fixture
def directory_admin(care_coordinator_org: Organization) -> Persona:
    """Priya, directory admin at the advocacy center."""
    return make_persona(
        email="priya@cedar.test", role=Role.DIRECTORY_ADMIN, organization=care_coordinator_org
    )


class Maker(Protocol):
    """The `listing` fixture: a provider listed through the real application path."""

    def __call__(
        self,
        name: str,
        *,
        visibility: str = ...,
        status: str = ...,
        confidential: bool = ...,
        address: str = ...,
        zip_code: str = ...,
        counties: list[str] | None = ...,
        languages: list[str] | None = ...,
        populations: list[str] | None = ...,
        service_types: list[str] | None = ...,
        minimum_age: int | None = ...,
        maximum_age: int | None = ...,
        capacity: int | None = ...,
        hours: tuple[str, str, str] | None = ...,
        phone: str = ...,
    ) -> m.Organization: ...


@pytest.fixture
def listing(db: None) -> Maker:
    def make(
        name: str,
        *,
        visibility: str = "public",
        status: str = VettingStatus.VETTED,
        confidential: bool = False,
        address: str = "12 Quillmere Street",
        zip_code: str = "78205",
        counties: list[str] | None = None,
        languages: list[str] | None = None,
        populations: list[str] | None = None,
        service_types: list[str] | None = None,
        minimum_age: int | None = 0,
        maximum_age: int | None = 24,
        capacity: int | None = None,
        hours: tuple[str, str, str] | None = None,
        phone: str = "(210) 555-0100",
    ) -> m.Organization:
        org = services.application_submit(
            data=services.ApplicationData(
                organization_name=name,
                description=f"{name}: fictional provider for tests.",
                email=f"intake@{name.lower().replace(' ', '-')}.example.org",
                phone=phone,
                address_1=address,
                city="San Antonio",
                postal_code=zip_code,
                confidential_address=confidential,
                counties=counties or ["48029"],
                languages=languages or ["en"],
                populations=populations or [],
                service_types=service_types or [],
                minimum_age=minimum_age,
                maximum_age=maximum_age,
                victim_centered="We follow the survivor's lead.",
                sustainable_management="Three funders, audited yearly.",
                collaboration="Member of the county task force.",
                ability_to_serve="Ten years of survivor services.",
            )
        )
        service = m.Service.objects.get(organization_id=org.id)
        if capacity is not None:
            m.Unit.objects.get_or_create(id="5d0f6a52-8d7c-4c64-b1a5-2f9b2f7e0c11", defaults={"name": "bed"})
            m.ServiceCapacity.objects.create(
                id=services.new_id(),
                service_id=service.id,
                unit_id="5d0f6a52-8d7c-4c64-b1a5-2f9b2f7e0c11",
                available=capacity,
                updated="2026-01-01T00:00:00Z",
            )
        if hours is not None:
            m.Schedule.objects.create(
                id=services.new_id(),
                service_id=service.id,
                freq="WEEKLY",
                byday=hours[0],
                opens_at=hours[1],
                closes_at=hours[2],
            )
        m.Organization.objects.filter(id=org.id).update(
            vetting_status=status,
            visibility=visibility,
            approved_at=timezone.now() if status == VettingStatus.VETTED else None,
            next_audit_date=timezone.localdate() + timedelta(days=365)
            if status == VettingStatus.VETTED
            else None,
        )
        reindex_organization(org.id)
        org.refresh_from_db()
        return org

    return make
