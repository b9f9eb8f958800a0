"""Intake fixtures: a program owned by the test Care Coordinator, a region and a rota."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from pytest_django import Settings

from tests.conftest import Persona
from threadline.accounts.models import Organization
from threadline.intake.models import OnCallPhone, Program, Region, Shift
from threadline.intake.notify import LocmemSMSBackend

# A fixed, fake "now": tests move this clock by hand and never sleep.
T0 = datetime(2026, 3, 14, 3, 0, tzinfo=UTC)


@pytest.fixture
def sms_outbox(settings: Settings) -> Iterator[list[dict[str, str]]]:
    settings.INTAKE_SMS_BACKEND = "threadline.intake.notify.LocmemSMSBackend"
    LocmemSMSBackend.outbox.clear()
    yield LocmemSMSBackend.outbox
    LocmemSMSBackend.outbox.clear()


@pytest.fixture
def program(care_coordinator_org: Organization) -> Program:
    found = Program.objects.get(slug="demo-five-county")
    found.organization = care_coordinator_org
    found.save(update_fields=["organization"])
    return found


@pytest.fixture
def region(program: Program) -> Region:
    return Region.objects.create(program=program, name="Five-county area")


@pytest.fixture
def rota(region: Region, advocate: Persona, coordinator: Persona, supervisor: Persona) -> Shift:
    """Tomas on call, Nadia backup, Ines supervising, from 8 p.m. to 8 a.m. around T0."""
    for persona, number in (
        (advocate, "+12105550101"),
        (coordinator, "+12105550102"),
        (supervisor, "+12105550103"),
    ):
        OnCallPhone.objects.create(user=persona.user, sms_number=number)
    return Shift.objects.create(
        region=region,
        starts_at=T0 - timedelta(hours=7),
        ends_at=T0 + timedelta(hours=5),
        primary=advocate.user,
        backup=coordinator.user,
        supervisor=supervisor.user,
    )
