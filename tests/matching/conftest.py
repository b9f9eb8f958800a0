"""Matching fixtures: the demo program owned by the test Care Coordinator (as in tests/intake)."""

from __future__ import annotations

import pytest

from threadline.accounts.models import Organization
from threadline.intake.models import Program


@pytest.fixture
def program(care_coordinator_org: Organization) -> Program:
    found = Program.objects.get(slug="demo-five-county")
    found.organization = care_coordinator_org
    found.save(update_fields=["organization"])
    return found
