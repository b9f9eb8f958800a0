"""A fictional youth served by the Cedar Hollow coordinator, with two partner agencies on the team."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest

from tests.conftest import Persona
from tests.factories.youth import make_youth
from threadline.access.models import Consent
from threadline.youth.models import Youth
from threadline.youth.services import household_member_add
from threadline.youth.sharing import care_team_add, consent_record


@pytest.fixture
def youth(coordinator: Persona, dfps_caseworker: Persona, probation_officer: Persona) -> Youth:
    """Marisol (fictional). The coordinator's organization and both partners are on her team;
    no partner has consent to see anything until a test shares it."""
    y = make_youth(coordinator.membership, preferred_name="Marisol")
    for partner, role in ((dfps_caseworker, "dfps_caseworker"), (probation_officer, "probation_officer")):
        care_team_add(
            membership=coordinator.membership,
            youth_id=y.pk,
            organization_id=partner.organization.pk,
            role=role,
        )
    return y


@pytest.fixture
def share(coordinator: Persona) -> Callable[..., Consent]:
    def do(youth: Youth, partner: Persona, categories: Iterable[str], **kw: Any) -> Consent:
        guardian = household_member_add(
            membership=coordinator.membership,
            youth_id=youth.pk,
            name="Guardian (fictional)",
            relationship="aunt",
            is_guardian=True,
            is_non_offending_caregiver=True,
        )
        return consent_record(
            membership=coordinator.membership,
            youth_id=youth.pk,
            organization_id=partner.organization.pk,
            categories=list(categories),
            purpose="coordinate services",
            given_by="parent_guardian",
            guardian_id=guardian.pk,
            **kw,
        )

    return do
