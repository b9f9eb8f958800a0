"""Outcomes fixtures: a generated, fictional caseload for the test Care Coordinator."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests.conftest import Persona, make_persona
from threadline.accounts.models import Organization
from threadline.care.instruments import DEMO_INSTRUMENT, load_file
from threadline.care.services.instruments import instrument_load
from threadline.core.roles import Role
from threadline.intake.models import Program, Region
from threadline.outcomes import demo_generate as generate
from threadline.outcomes.demo_caseload_services import CaseloadSetting, generated_caseload_write


@pytest.fixture(autouse=True)
def _fresh_dashboard_cache() -> Iterator[None]:
    """Dashboards reuse their figures for a few minutes: never across tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def analyst(care_coordinator_org: Organization) -> Persona:
    """Priya, analyst at the advocacy center: aggregates only."""
    return make_persona(email="priya@cedar.test", role=Role.ANALYST, organization=care_coordinator_org)


def caseload_setting(organization: Organization, coordinator: Persona, advocate: Persona) -> CaseloadSetting:
    """The demo programs (with a region each) and the demo instrument, given to ``organization``, and
    the setting a generated caseload is written with for its coordinator and advocate."""
    programs = []
    for slug in ("demo-five-county", "demo-central-texas"):
        program = Program.objects.get(slug=slug)
        program.organization = organization
        program.save(update_fields=["organization"])
        Region.objects.get_or_create(program=program, name=f"{slug} region")
        programs.append(program.pk)
    loaded = instrument_load(
        definition=load_file(DEMO_INSTRUMENT), licence_attestation="", source=str(DEMO_INSTRUMENT)
    )
    return CaseloadSetting(
        organization_id=organization.pk,
        advocate_id=advocate.user.pk,
        coordinator_id=coordinator.user.pk,
        program_ids=tuple(programs),
        instrument_id=loaded.instrument.pk,
    )


@pytest.fixture
def caseload(care_coordinator_org: Organization, coordinator: Persona, advocate: Persona) -> generate.Plan:
    """Sixty generated youths over two years ending today, written for the Care Coordinator."""
    setting = caseload_setting(care_coordinator_org, coordinator, advocate)
    plan = generate.plan(seed=7, youths=60, end=timezone.localdate(), tz=timezone.get_current_timezone())
    generated_caseload_write(setting=setting, youths=plan.youths, others=plan.other_referrals)
    return plan


def two_years() -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    return today - dt.timedelta(days=730), today
