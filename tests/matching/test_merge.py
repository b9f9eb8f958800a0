"""Merging two records of one youth, and undoing it: reversible, ledgered, both histories kept, and
refused (changing nothing) to anyone who may not merge or may not change both records."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.conftest import Persona, make_persona
from tests.factories.accounts import OrganizationFactory
from threadline.audit.models import AccessEvent
from threadline.core.roles import OrganizationType, Role
from threadline.intake.models import Program, Referral
from threadline.intake.services.referrals import ReferralInput, referral_submit
from threadline.matching.models import BlockKey, MatchProfile, MergeRecord
from threadline.matching.selectors import referral_candidates, survivor_of
from threadline.matching.services import youth_merge, youth_unmerge
from threadline.youth.models import TimelineEntry, Youth
from threadline.youth.policy import YouthNotFound
from threadline.youth.services import youth_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def first(coordinator: Persona) -> Youth:
    return youth_create(
        membership=coordinator.membership, preferred_name="Itzel Morales", date_of_birth=date(2011, 6, 2)
    )


@pytest.fixture
def second(coordinator: Persona) -> Youth:
    """The same young person, opened again by another agency's referral under a nickname."""
    return youth_create(
        membership=coordinator.membership, preferred_name="Izzy Morales Vega", date_of_birth=date(2011, 6, 2)
    )


def _state(*youths: Youth) -> tuple[object, ...]:
    return (
        MergeRecord.objects.count(),
        AccessEvent.objects.count(),
        TimelineEntry.objects.filter(youth__in=youths).count(),
        BlockKey.objects.filter(youth__in=youths).count(),
    )


def test_merge_then_unmerge_restores_both_records(
    program: Program, coordinator: Persona, first: Youth, second: Youth
) -> None:
    keys_before = set(BlockKey.objects.filter(youth=second).values_list("digest", flat=True))
    timeline_before = {y.pk: TimelineEntry.objects.filter(youth=y).count() for y in (first, second)}
    ledger_before = AccessEvent.objects.count()

    record = youth_merge(
        membership=coordinator.membership, merged_id=second.pk, survivor_id=first.pk, reason="same youth"
    )
    assert survivor_of(second.pk) == first.pk and survivor_of(first.pk) is None
    assert not BlockKey.objects.filter(youth=second).exists()
    assert not MatchProfile.objects.filter(youth=second).exists()
    # Both histories kept: nothing deleted, one line added on each timeline.
    assert Youth.objects.filter(pk__in=[first.pk, second.pk]).count() == 2
    for youth in (first, second):
        assert TimelineEntry.objects.filter(youth=youth).count() == timeline_before[youth.pk] + 1
    merges = AccessEvent.objects.filter(seq__gt=ledger_before, action="merge")
    assert sorted(str(e.youth_id) for e in merges) == sorted([str(first.pk), str(second.pk)])
    # A new referral now finds the survivor only.
    referral = referral_submit(
        program=program,
        channel=Referral.Channel.WEB_FORM,
        data=ReferralInput(
            youth_name="Itzel Morales", youth_date_of_birth=date(2011, 6, 2), what_is_known="x"
        ),
    )
    found = [c.youth_id for c in referral_candidates(membership=coordinator.membership, referral=referral)]
    assert found == [first.pk]

    youth_unmerge(membership=coordinator.membership, merge_id=record.pk, reason="two sisters")
    record.refresh_from_db()
    assert record.undone_at is not None and record.undone_by == coordinator.user
    assert survivor_of(second.pk) is None
    assert set(BlockKey.objects.filter(youth=second).values_list("digest", flat=True)) == keys_before
    found_again = {
        c.youth_id for c in referral_candidates(membership=coordinator.membership, referral=referral)
    }
    assert found_again == {first.pk, second.pk}
    assert AccessEvent.objects.filter(seq__gt=ledger_before, action="unmerge").count() == 2
    # Merging again after an un-merge is allowed (the old record stays, undone).
    youth_merge(membership=coordinator.membership, merged_id=second.pk, survivor_id=first.pk)
    assert MergeRecord.objects.filter(merged=second).count() == 2


def test_invalid_merges_are_refused_and_change_nothing(
    coordinator: Persona, first: Youth, second: Youth
) -> None:
    youth_merge(membership=coordinator.membership, merged_id=second.pk, survivor_id=first.pk)
    before = _state(first, second)
    with pytest.raises(ValidationError):
        youth_merge(membership=coordinator.membership, merged_id=first.pk, survivor_id=first.pk)
    with pytest.raises(ValidationError):
        youth_merge(membership=coordinator.membership, merged_id=second.pk, survivor_id=first.pk)
    with pytest.raises(ValidationError):  # the survivor of a merge cannot itself be merged away
        youth_merge(membership=coordinator.membership, merged_id=first.pk, survivor_id=second.pk)
    assert _state(first, second) == before


def test_only_those_who_may_merge_and_change_both_records(
    coordinator: Persona, advocate: Persona, dfps_caseworker: Persona, first: Youth, second: Youth
) -> None:
    before = _state(first, second)
    for persona in (advocate, dfps_caseworker):  # no merge permission
        with pytest.raises(PermissionDenied):
            youth_merge(membership=persona.membership, merged_id=second.pk, survivor_id=first.pk)
    assert _state(first, second) == before
    elsewhere = OrganizationFactory(
        name="Bluebonnet Advocacy Center", org_type=OrganizationType.CAC, is_care_coordinator=True
    )
    rosa = make_persona(email="rosa@bluebonnet.test", role=Role.CARE_COORDINATOR, organization=elsewhere)
    hers = youth_create(
        membership=rosa.membership, preferred_name="Itzel Morales", date_of_birth=date(2011, 6, 2)
    )
    before = _state(first, second)
    # Rosa may merge, but not Cedar Hollow's youths: the same 404 as a youth that does not exist.
    for merged, survivor in (
        (second.pk, hers.pk),
        (hers.pk, first.pk),
        ("00000000-0000-0000-0000-000000000000", hers.pk),
    ):
        with pytest.raises(YouthNotFound):
            youth_merge(membership=rosa.membership, merged_id=merged, survivor_id=survivor)
    assert _state(first, second) == before
    record = youth_merge(membership=coordinator.membership, merged_id=second.pk, survivor_id=first.pk)
    after_merge = _state(first, second)
    with pytest.raises(YouthNotFound):
        youth_unmerge(membership=rosa.membership, merge_id=record.pk)
    with pytest.raises(PermissionDenied):
        youth_unmerge(membership=advocate.membership, merge_id=record.pk)
    with pytest.raises(YouthNotFound):
        youth_unmerge(membership=coordinator.membership, merge_id="not-an-id")
    assert _state(first, second) == after_merge
