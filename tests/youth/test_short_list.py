"""``visible_among``'s statement is compiled once per shape of question and run again with fresh values
(``youth.short_list``): what is kept is SQL text, never an answer. The time, the local date and the ids
are bound afresh at every call, so a revoked consent, an expired one or an ended team membership takes
effect on the very next call; a statement whose stand-ins cannot all be found is never kept."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone

from tests.conftest import Persona
from tests.factories.access import consent_share, youth_with_team
from threadline.access.categories import Category
from threadline.access.models import CareTeamMember, TeamRole
from threadline.youth import short_list
from threadline.youth.models import unscoped_youth
from threadline.youth.policy import visible_among
from threadline.youth.sharing import care_team_end, consent_revoke

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh() -> None:
    short_list.forget()


def _kept() -> list[Any]:
    return [s for s in short_list._kept.values() if isinstance(s, short_list._Statement)]


def test_a_partner_loses_the_youth_on_the_next_call_after_revocation_expiry_or_end_of_team(
    coordinator: Persona, dfps_caseworker: Persona
) -> None:
    partner = dfps_caseworker.organization
    revoked, expiring, leaving = (
        youth_with_team(coordinator.membership, [(partner, TeamRole.DFPS_CASEWORKER)], preferred_name=n)
        for n in ("Ana", "Bo", "Cy")
    )
    now = timezone.now()
    consents = {
        y.pk: consent_share(
            coordinator.membership,
            y,
            partner,
            [Category.IDENTITY],
            expires_at=now + datetime.timedelta(days=2) if y is expiring else None,
        )
        for y in (revoked, expiring, leaving)
    }
    ids = [revoked.pk, expiring.pk, leaving.pk]
    asker = dfps_caseworker.membership
    assert visible_among(asker, Category.IDENTITY, ids) == dict.fromkeys(ids, True)
    assert len(_kept()) == 1  # the statement is kept...

    consent_revoke(membership=coordinator.membership, youth_id=revoked.pk, consent_id=consents[revoked.pk].pk)
    assert visible_among(asker, Category.IDENTITY, ids) == {expiring.pk: True, leaving.pk: True}
    # ...and the time is bound afresh: three days on, the expired consent no longer opens the youth.
    later = now + datetime.timedelta(days=3)
    assert visible_among(asker, Category.IDENTITY, ids, now=later) == {leaving.pk: True}
    # The local date too: a team membership that ended yesterday no longer counts.
    member = CareTeamMember.objects.get(youth=leaving, organization=partner)
    care_team_end(membership=coordinator.membership, youth_id=leaving.pk, member_id=member.pk)
    tomorrow = now + datetime.timedelta(days=1)
    assert visible_among(asker, Category.IDENTITY, ids, now=tomorrow) == {expiring.pk: True}
    assert len(_kept()) == 1  # every call above ran the one kept statement


def test_another_list_length_or_person_is_another_statement(
    coordinator: Persona, dfps_caseworker: Persona
) -> None:
    youth = youth_with_team(
        coordinator.membership, [(dfps_caseworker.organization, TeamRole.DFPS_CASEWORKER)]
    )
    assert visible_among(coordinator.membership, Category.IDENTITY, [youth.pk]) == {youth.pk: True}
    assert visible_among(coordinator.membership, Category.IDENTITY, [youth.pk, uuid.uuid4()]) == {
        youth.pk: True
    }
    assert visible_among(dfps_caseworker.membership, Category.IDENTITY, [youth.pk]) == {}  # no consent
    assert len(_kept()) == 3


def test_a_value_derived_from_the_time_some_other_way_is_never_kept(coordinator: Persona) -> None:
    """A statement binding ``now - 1 day`` would keep the stand-in's day for ever: it is compiled
    afresh at every call instead, and still answers right."""
    from tests.factories.youth import make_youth

    youth = make_youth(coordinator.membership)

    def build(at: datetime.datetime, among: list[uuid.UUID]) -> short_list.Built:
        since = at - datetime.timedelta(days=1)
        return unscoped_youth().filter(pk__in=among, created_at__gte=since).values("pk"), "extra"

    def ask(now: datetime.datetime) -> Any:
        return short_list.rows(("derived",), build, alias=DEFAULT_DB_ALIAS, now=now, ids=[youth.pk])

    assert ask(timezone.now()) == ([{"pk": youth.pk}], "extra")
    assert ask(timezone.now() + datetime.timedelta(days=2)) == ([], "extra")
    assert _kept() == []
