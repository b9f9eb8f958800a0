"""The per-youth policy: care team, consent by category, expiry, revocation, alleged exploiter, 404s."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.conftest import Persona
from tests.factories.access import consent_share, guardian_add, youth_with_team
from tests.factories.youth import make_youth
from threadline.access.categories import Category
from threadline.access.models import Consent, TeamRole
from threadline.accounts.models import Organization
from threadline.audit.models import AccessEvent
from threadline.youth.models import Youth
from threadline.youth.policy import YouthNotFound, access_youth, visible_youth
from threadline.youth.services import household_member_flag_exploiter
from threadline.youth.sharing import consent_revoke

pytestmark = pytest.mark.django_db


@pytest.fixture
def youth(coordinator: Persona, dfps_caseworker: Persona) -> Youth:
    return youth_with_team(
        coordinator.membership,
        [(dfps_caseworker.organization, TeamRole.DFPS_CASEWORKER)],
        preferred_name="Marisol",
    )


def share(coordinator: Persona, youth: Youth, org: Organization, categories: list[str]) -> Consent:
    guardian = guardian_add(coordinator.membership, youth, name="Parent", relationship="mother")
    return consent_share(coordinator.membership, youth, org, categories, guardian=guardian)


def test_coordinator_sees_everything(coordinator: Persona, youth: Youth) -> None:
    for category in Category.values:
        assert access_youth(coordinator.membership, youth.pk, category).pk == youth.pk


def test_partner_on_team_without_consent_sees_nothing(dfps_caseworker: Persona, youth: Youth) -> None:
    before = AccessEvent.objects.count()
    for category in Category.values:
        with pytest.raises(YouthNotFound):
            access_youth(dfps_caseworker.membership, youth.pk, category)
    assert not visible_youth(dfps_caseworker.membership, Category.RECORD).exists()
    assert AccessEvent.objects.count() == before  # a refusal discloses nothing, so it records nothing


def test_partner_sees_only_consented_categories(
    coordinator: Persona, dfps_caseworker: Persona, youth: Youth
) -> None:
    share(coordinator, youth, dfps_caseworker.organization, [Category.CARE_PLAN])
    assert access_youth(dfps_caseworker.membership, youth.pk, Category.CARE_PLAN).pk == youth.pk
    for category in set(Category.values) - {Category.CARE_PLAN, Category.RECORD}:
        with pytest.raises(YouthNotFound):
            access_youth(dfps_caseworker.membership, youth.pk, category)


def test_revocation_and_expiry_take_effect_at_once(
    coordinator: Persona, dfps_caseworker: Persona, youth: Youth
) -> None:
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


def test_consent_through_alleged_exploiter_never_counts(
    coordinator: Persona, dfps_caseworker: Persona, youth: Youth
) -> None:
    consent = share(coordinator, youth, dfps_caseworker.organization, [Category.IDENTITY])
    assert access_youth(dfps_caseworker.membership, youth.pk, Category.IDENTITY)
    household_member_flag_exploiter(
        membership=coordinator.membership, youth_id=youth.pk, member_id=consent.guardian_id
    )
    with pytest.raises(YouthNotFound):
        access_youth(dfps_caseworker.membership, youth.pk, Category.IDENTITY)


def test_other_organization_sees_nothing(
    coordinator: Persona, dfps_caseworker: Persona, probation_officer: Persona, youth: Youth
) -> None:
    share(coordinator, youth, dfps_caseworker.organization, [Category.IDENTITY])
    with pytest.raises(YouthNotFound):
        access_youth(probation_officer.membership, youth.pk, Category.IDENTITY)


def test_missing_and_forbidden_are_the_same(dfps_caseworker: Persona, youth: Youth) -> None:
    import uuid

    for bad in [uuid.uuid4(), youth.pk, "not-a-uuid", None, 42]:
        with pytest.raises(YouthNotFound):
            access_youth(dfps_caseworker.membership, bad, Category.IDENTITY)


def test_every_read_writes_one_ledger_row(coordinator: Persona, youth: Youth) -> None:
    before = AccessEvent.objects.filter(youth_id=youth.pk).count()
    access_youth(coordinator.membership, youth.pk, Category.CASE_NOTES, purpose="read notes")
    rows = AccessEvent.objects.filter(youth_id=youth.pk).order_by("-seq")
    assert rows.count() == before + 1
    assert rows[0].category == Category.CASE_NOTES and rows[0].actor_id == coordinator.user.pk


def test_a_reference_code_collision_draws_again(
    coordinator: Persona, monkeypatch: pytest.MonkeyPatch
) -> None:
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
