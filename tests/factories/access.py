"""Who may see a youth: the care team, a guardian in the household and a consent through that guardian.

Tests of the policy build this again and again; these helpers build it through the real services (so
every row is ledgered like in production). Every name is fictional."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any, Protocol

from tests.conftest import Persona
from tests.factories.youth import make_youth
from threadline.access.models import Consent, ConsentState
from threadline.accounts.models import Membership, Organization
from threadline.youth.models import HouseholdMember, Youth
from threadline.youth.services import household_member_add
from threadline.youth.sharing import care_team_add, consent_record


def youth_with_team(
    membership: Membership, partners: Iterable[tuple[Organization, str]], **youth_fields: Any
) -> Youth:
    """A fictional youth created by `membership`'s organization, with each partner organization on the
    care team in the given team role (a `TeamRole` value). No partner has a consent yet."""
    youth = make_youth(membership, **youth_fields)
    for organization, team_role in partners:
        care_team_add(
            membership=membership, youth_id=youth.pk, organization_id=organization.pk, role=team_role
        )
    return youth


def guardian_add(
    membership: Membership, youth: Youth, *, name: str = "Guardian (fictional)", relationship: str = ""
) -> HouseholdMember:
    """A non-offending guardian in the youth's household, who may sign a release of information."""
    return household_member_add(
        membership=membership,
        youth_id=youth.pk,
        name=name,
        relationship=relationship,
        is_guardian=True,
        is_non_offending_caregiver=True,
    )


def consent_share(
    membership: Membership,
    youth: Youth,
    organization: Organization,
    categories: Iterable[str],
    *,
    guardian: HouseholdMember | None = None,
    purpose: str = "coordinate services",
    starts_at: datetime.datetime | None = None,
    expires_at: datetime.datetime | None = None,
    state: str = ConsentState.GRANTED,
) -> Consent:
    """A release of information to `organization` for `categories`, signed by `guardian` (a new
    guardian is added to the household when none is given)."""
    if guardian is None:
        guardian = guardian_add(membership, youth)
    return consent_record(
        membership=membership,
        youth_id=youth.pk,
        organization_id=organization.pk,
        categories=list(categories),
        purpose=purpose,
        given_by="parent_guardian",
        guardian_id=guardian.pk,
        starts_at=starts_at,
        expires_at=expires_at,
        state=state,
    )


class Share(Protocol):
    """The `share` fixture of tests/care: the coordinator shares `categories` with `partner`'s agency."""

    def __call__(
        self,
        youth: Youth,
        partner: Persona,
        categories: Iterable[str],
        *,
        starts_at: datetime.datetime | None = None,
        expires_at: datetime.datetime | None = None,
    ) -> Consent: ...
