"""A youth's guardians are part of what the matcher compares: adding one, or flagging one as an alleged
exploiter, updates the youth's matcher profile in the same action."""

from __future__ import annotations

import uuid

import pytest

from tests.conftest import Persona
from threadline.matching.models import MatchProfile
from threadline.youth.services import household_member_add, household_member_flag_exploiter, youth_create


def _guardians(youth_id: uuid.UUID) -> list[str]:
    profile = MatchProfile.objects.select_related("youth__data_key").get(youth_id=youth_id)
    return list(profile.data.get("guardians", []))


@pytest.mark.django_db(transaction=True)
def test_a_guardian_added_or_flagged_is_in_step_with_the_matcher(coordinator: Persona) -> None:
    youth = youth_create(membership=coordinator.membership, preferred_name="Yesenia Quintanilla")
    assert _guardians(youth.pk) == []

    household_member_add(
        membership=coordinator.membership, youth_id=youth.pk, name="Rosa Quintanilla", is_guardian=True
    )
    household_member_add(
        membership=coordinator.membership, youth_id=youth.pk, name="Marta Ruiz", relationship="aunt"
    )
    assert _guardians(youth.pk) == ["Rosa Quintanilla"]

    guardian = youth.household.get(is_guardian=True)
    household_member_flag_exploiter(
        membership=coordinator.membership, youth_id=youth.pk, member_id=guardian.pk
    )
    assert _guardians(youth.pk) == []
