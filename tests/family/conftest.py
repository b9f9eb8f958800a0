from __future__ import annotations

import pytest

from tests.conftest import Persona, make_persona
from threadline.accounts.models import Organization
from threadline.core.roles import Role


@pytest.fixture
def family_coordinator(care_coordinator_org: Organization) -> Persona:
    """Rowan, Family Coordinator at the advocacy center."""
    return make_persona(
        email="rowan@cedar.test", role=Role.FAMILY_COORDINATOR, organization=care_coordinator_org
    )
