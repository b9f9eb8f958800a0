"""The per-youth policy: care team, consent by category, expiry, revocation, alleged exploiter, 404s."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.factories.youth import make_youth
from threadline.access.categories import Category
from threadline.access.models import Consent
from threadline.audit.models import AccessEvent
from threadline.youth.policy import YouthNotFound, access_youth, visible_youth
from threadline.youth.services import household_member_add, household_member_flag_exploiter
from threadline.youth.sharing import care_team_add, consent_record, consent_revoke

pytestmark = pytest.mark.django_db


@pytest.fixture
def youth(coordinator, dfps_caseworker):  # type: ignore[no-untyped-def]
    y = make_youth(coordinator.membership, preferred_name="Marisol")
    care_team_add(
        membership=coordinator.membership,
        youth_id=y.pk,
        organization_id=dfps_caseworker.organization.pk,
        role="dfps_caseworker",
    )
    return y


def share(coordinator, youth, org, categories, **kw):  # type: ignore[no-untyped-def]
    guardian = household_member_add(
        membership=coordinator.membership,
        youth_id=youth.pk,
        name="Parent",
        relationship="mother",
        is_guardian=True,
        is_non_offending_caregiver=True,
    )
    return consent_record(
        membership=coordinator.membership,
        youth_id=youth.pk,
        organization_id=org.pk,
        categories=categories,
        purpose="coordinate services",
        given_by="parent_guardian",
        guardian_id=guardian.pk,
        **kw,
    )


def test_coordinator_sees_everything(coordinator, youth) -> None:  # type: ignore[no-untyped-def]
    for category in Category.values:
        assert access_youth(coordinator.membership, youth.pk, category).pk == youth.pk


def test_partner_on_team_without_consent_sees_nothing(dfps_caseworker, youth) -> None:  # type: ignore[no-untyped-def]
    before = AccessEvent.objects.count()
    for category in Category.values:
        with pytest.raises(YouthNotFound):
            access_youth(dfps_caseworker.membership, youth.pk, category)
    assert not visible_youth(dfps_caseworker.membership, Category.RECORD).exists()
    assert AccessEvent.objects.count() == before  # a refusal discloses nothing, so it records nothing


def test_partner_sees_only_consented_categories(coordinator, dfps_caseworker, youth) -> None:  # type: ignore[no-untyped-def]
    share(coordinator, youth, dfps_caseworker.organization, [Category.CARE_PLAN])
    assert access_youth(dfps_caseworker.membership, youth.pk, Category.CARE_PLAN).pk == youth.pk
    for category in set(Category.values) - {Category.CARE_PLAN, Category.RECORD}:
        with pytest.raises(YouthNotFound):
            access_youth(dfps_caseworker.membership, youth.pk, category)


def test_revocation_and_expiry_take_effect_at_once(coordinator, dfps_caseworker, youth) -> None:  # type: ignore[no-untyped-def]
    consent = share(coordinator, youth, dfps_caseworker.organization, [Category.IDENTITY])
    assert access_youth(dfps_caseworker.membership, youth.pk, Category.IDENTITY)
    consent_revoke(membership=coordinator.membership, youth_id=youth.pk, consent_id=consent.pk)
    with pytest.raises(YouthNotFound):
        access_youth(dfps_caseworker.membership, youth.pk, Category.IDENTITY)
    second = share(coordinator, youth, dfps_caseworker.organization, [Category.IDENTITY])
    assert access_youth(dfps_caseworker.membership, youth.pk, Category.IDENTITY)
    Consent.objects.filter(pk=second.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(YouthNotFound):
        access_youth(dfps_caseworker.membership, youth.pk, Category.IDENTITY)


def test_consent_through_alleged_exploiter_never_counts(coordinator, dfps_caseworker, youth) -> None:  # type: ignore[no-untyped-def]
    consent = share(coordinator, youth, dfps_caseworker.organization, [Category.IDENTITY])
    assert access_youth(dfps_caseworker.membership, youth.pk, Category.IDENTITY)
    household_member_flag_exploiter(
        membership=coordinator.membership, youth_id=youth.pk, member_id=consent.guardian_id
    )
    with pytest.raises(YouthNotFound):
        access_youth(dfps_caseworker.membership, youth.pk, Category.IDENTITY)


def test_other_organization_sees_nothing(coordinator, dfps_caseworker, probation_officer, youth) -> None:  # type: ignore[no-untyped-def]
    share(coordinator, youth, dfps_caseworker.organization, [Category.IDENTITY])
    with pytest.raises(YouthNotFound):
        access_youth(probation_officer.membership, youth.pk, Category.IDENTITY)


def test_missing_and_forbidden_are_the_same(dfps_caseworker, youth) -> None:  # type: ignore[no-untyped-def]
    import uuid

    for bad in [uuid.uuid4(), youth.pk, "not-a-uuid", None, 42]:
        with pytest.raises(YouthNotFound):
            access_youth(dfps_caseworker.membership, bad, Category.IDENTITY)


def test_every_read_writes_one_ledger_row(coordinator, youth) -> None:  # type: ignore[no-untyped-def]
    before = AccessEvent.objects.filter(youth_id=youth.pk).count()
    access_youth(coordinator.membership, youth.pk, Category.CASE_NOTES, purpose="read notes")
    rows = AccessEvent.objects.filter(youth_id=youth.pk).order_by("-seq")
    assert rows.count() == before + 1
    assert rows[0].category == Category.CASE_NOTES and rows[0].actor_id == coordinator.user.pk


def test_a_reference_code_collision_draws_again(coordinator, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from django.db import transaction

    from threadline.crypto.datakeys import data_key_create
    from threadline.youth import services
    from threadline.youth.models import Youth

    first = make_youth(coordinator.membership)
    monkeypatch.setattr(services, "new_reference", lambda: "Y-NEWONE")
    with transaction.atomic():
        second = Youth(data_key=data_key_create(), reference=first.reference)
        services._save_with_unique_reference(second)
    assert Youth.objects.get(pk=second.pk).reference == "Y-NEWONE"
