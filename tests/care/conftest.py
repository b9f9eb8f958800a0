"""A fictional youth served by the Cedar Hollow coordinator, with two partner agencies on the team."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

import pytest

from tests.conftest import Persona
from tests.factories.access import Share, consent_share, guardian_add, youth_with_team
from threadline.access.models import Consent, TeamRole
from threadline.youth.models import Youth


@pytest.fixture
def youth(coordinator: Persona, dfps_caseworker: Persona, probation_officer: Persona) -> Youth:
    """Marisol (fictional). The coordinator's organization and both partners are on her team;
    no partner has consent to see anything until a test shares it."""
    return youth_with_team(
        coordinator.membership,
        [
            (dfps_caseworker.organization, TeamRole.DFPS_CASEWORKER),
            (probation_officer.organization, TeamRole.PROBATION_OFFICER),
        ],
        preferred_name="Marisol",
    )


@pytest.fixture
def share(coordinator: Persona) -> Share:
    def do(
        youth: Youth,
        partner: Persona,
        categories: Iterable[str],
        *,
        starts_at: datetime.datetime | None = None,
        expires_at: datetime.datetime | None = None,
    ) -> Consent:
        guardian = guardian_add(coordinator.membership, youth, relationship="aunt")
        return consent_share(
            coordinator.membership,
            youth,
            partner.organization,
            categories,
            guardian=guardian,
            starts_at=starts_at,
            expires_at=expires_at,
        )

    return do
